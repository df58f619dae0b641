import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import {
  createTestDatabases,
  describeOnPostgres,
} from '../__testUtils__/databases';
import {
  as,
  Harness,
  PAYMENTS,
  decide,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

/**
 * Cached reads never outlive a change: the pipeline state and release pages
 * are served from memory, and dropped when the database's change feed
 * reports the entity changed — on PostgreSQL a trigger + LISTEN/NOTIFY
 * (whichever process or code path wrote), on SQLite connection-local
 * triggers (whichever code path of the process wrote) and, for a database
 * file other processes may write, SQLite's data_version.
 */
describe('invariants: cached reads follow every change', () => {
  const databases = createTestDatabases();
  const extraClients: Knex[] = [];
  afterAll(async () => {
    await Promise.all(extraClients.map(k => k.destroy()));
  });

  function countStatements(knex: Knex) {
    const seen: string[] = [];
    const on = (q: { sql: string }) => seen.push(q.sql);
    knex.on('query', on);
    return {
      seen,
      stop: () => knex.off('query', on),
    };
  }

  const pipeline = (h: Harness) =>
    request(h.server)
      .get(`${PAYMENTS}/pipeline`)
      .set('Authorization', as(USERS.alice));
  const releases = (h: Harness) =>
    request(h.server)
      .get(`${PAYMENTS}/releases`)
      .set('Authorization', as(USERS.alice));
  const status = (h: Harness) =>
    request(h.server)
      .post('/api/release/status')
      .set('Authorization', as(USERS.alice))
      .send({ entityRefs: ['component:default/payments-api'] });
  const lockOf = async (h: Harness, phase: string) =>
    (await pipeline(h)).body.phases.find((p: any) => p.id === phase).lock;

  const h2Import = (h: Harness, version: string, phase: string) =>
    h.store.importPromotion({
      entityRef: 'component:default/payments-api',
      phase,
      version,
      status: 'succeeded',
      requestedBy: USERS.alice,
      requestedAt: new Date(),
      finishedAt: new Date(),
    });

  async function eventually<T>(
    read: () => Promise<T>,
    ok: (value: T) => boolean,
    withinMs = 3_000,
  ): Promise<{ value: T; ms: number }> {
    const start = Date.now();
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() - start > withinMs) {
        return { value, ms: Date.now() - start };
      }
      await new Promise(r => setTimeout(r, 20));
    }
  }

  describeOnPostgres(databases, databaseId => {
    async function startInstances() {
      const knex = await databases.init(databaseId);
      const a = await startReleaseBackend({ knex, config: pipelineConfig() });
      const second = knexFactory({
        client: 'pg',
        connection: knex.client.config.connection,
        pool: { min: 0, max: 10 },
      });
      extraClients.push(second);
      const b = await startReleaseBackend({
        knex: second,
        config: pipelineConfig(),
      });
      return { a, b, knex, second };
    }

    it('serves repeated reads from memory, and a change made through another backend instance reaches it', async () => {
      const { a, b, second } = await startInstances();
      await seedRelease(a, '1.0.0', ['dev']);

      expect((await pipeline(b)).status).toBe(200);
      expect((await releases(b)).status).toBe(200);
      expect((await status(b)).body.items[0].phases[0]).toMatchObject({
        id: 'dev',
        currentVersion: '1.0.0',
      });
      // Served from memory: no statement on instance B's database pool
      // (once the notifications of the seeding above have arrived).
      const cached = await eventually(
        async () => {
          const counter = countStatements(second);
          const responses = [
            await pipeline(b),
            await releases(b),
            await status(b),
          ];
          counter.stop();
          expect(responses.map(r => r.status)).toEqual([200, 200, 200]);
          return counter.seen.filter(s => /release_/.test(s));
        },
        seen => seen.length === 0,
      );
      expect(cached.value).toEqual([]);

      const locked = await request(a.server)
        .put(`${PAYMENTS}/phases/qa/lock`)
        .set('Authorization', as(USERS.alice))
        .send({ reason: 'Quarter close' });
      expect(locked.status).toBe(200);
      const seen = await eventually(
        () => lockOf(b, 'qa'),
        lock => Boolean(lock),
      );
      expect(seen.value).toMatchObject({ reason: 'Quarter close' });
      expect(seen.ms).toBeLessThan(2_000);

      // A new release created on A shows in B's (cached) first page.
      await request(a.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice))
        .send({ version: '1.1.0', artifact: 'registry.example.com/a@1.1.0' });
      const page = await eventually(
        () => releases(b),
        r => r.body.items[0]?.version === '1.1.0',
      );
      expect(page.value.body.items.map((r: any) => r.version)).toEqual([
        '1.1.0',
        '1.0.0',
      ]);

      // And the bulk status: 1.1.0 deployed to dev through A.
      await h2Import(a, '1.1.0', 'dev');
      const bulk = await eventually(
        () => status(b),
        r => r.body.items[0]?.phases[0]?.currentVersion === '1.1.0',
      );
      expect(bulk.value.body.items[0].phases[0].currentVersion).toBe('1.1.0');
    });

    it('delivery metrics and change sets are served from memory, and follow a deployment or a release made on another instance', async () => {
      const { a, b, second } = await startInstances();
      await seedRelease(a, '1.0.0', ['dev', 'qa', 'stage', 'live']);
      await seedRelease(a, '1.2.0', ['dev', 'qa', 'stage']);
      const metrics = () =>
        request(b.server)
          .get(`${PAYMENTS}/metrics`)
          .set('Authorization', as(USERS.alice));
      const preview = () =>
        request(b.server)
          .get(`${PAYMENTS}/changes?version=1.2.0&phase=live`)
          .set('Authorization', as(USERS.alice));
      // The metrics' read of the production history (promotions joined with
      // their releases) and the change set's read of every release.
      const bulkRead = (sql: string) =>
        /from "release_promotions" as "p" inner join "release_releases"/.test(
          sql,
        ) || /from "release_releases".*order by/s.test(sql);
      const versions = (r: request.Response) =>
        r.body.releases.map((x: { version: string }) => x.version);

      expect((await metrics()).body.metrics.deployments).toBe(1);
      expect(versions(await preview())).toEqual(['1.2.0']);
      // Warm: the metrics read no release table at all, the change set does
      // not read the entity's releases again (only single-row reads).
      const warm = await eventually(
        async () => {
          const counter = countStatements(second);
          const responses = [await metrics(), await preview()];
          counter.stop();
          expect(responses.map(r => r.status)).toEqual([200, 200]);
          return counter.seen;
        },
        seen => !seen.some(bulkRead),
      );
      expect(warm.value.filter(bulkRead)).toEqual([]);

      // A production deployment recorded through A counts on B …
      await h2Import(a, '1.2.0', 'live');
      const counted = await eventually(
        async () => (await metrics()).body.metrics.deployments,
        n => n === 2,
      );
      expect(counted.value).toBe(2);
      expect(counted.ms).toBeLessThan(2_000);
      // … and a release created on A between what Live runs and 1.2.0 is
      // listed in B's change set.
      await request(a.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice))
        .send({ version: '1.1.0', artifact: 'registry.example.com/a@1.1.0' })
        .expect(201);
      await a.store.importPromotion({
        entityRef: 'component:default/payments-api',
        phase: 'live',
        version: '1.0.0',
        status: 'succeeded',
        kind: 'rollback',
        requestedBy: USERS.alice,
        requestedAt: new Date(),
        finishedAt: new Date(),
      });
      const listed = await eventually(
        async () => versions(await preview()),
        v => v.length === 2,
      );
      expect(listed.value).toEqual(['1.1.0', '1.2.0']);
      expect(listed.ms).toBeLessThan(2_000);

      // A configuration change saved on A is in B's change set: the
      // configuration tables notify like the release tables.
      const saved = await request(a.server)
        .put(`${PAYMENTS}/phases/live/config`)
        .set('Authorization', as(USERS.alice))
        .send({ variables: { FEATURE_X: 'on' }, expectedVersion: 0 });
      expect(saved.status).toBe(200);
      const configured = await eventually(
        async () => (await preview()).body.config.variables.added,
        added => added.length > 0,
      );
      expect(configured.value).toEqual([{ key: 'FEATURE_X', to: 'on' }]);
      expect(configured.ms).toBeLessThan(2_000);
    });

    it('the approvals inbox is served from memory and follows a request or a decision made on another instance', async () => {
      const { a, b, second } = await startInstances();
      await seedRelease(a, '1.0.0', ['dev', 'qa', 'stage']);
      await seedRelease(a, '1.1.0', ['dev', 'qa']);
      const inbox = async () => {
        const res = await request(b.server)
          .get('/api/release/approvals')
          .set('Authorization', as(USERS.lead));
        expect(res.status).toBe(200);
        return res.body.items.map(
          (i: { version: string; phase: string }) => `${i.version}→${i.phase}`,
        );
      };
      // Live needs two approvals: the first leaves it waiting.
      const live = await promote(a, USERS.alice, {
        version: '1.0.0',
        phase: 'live',
      });
      expect(live.status).toBe(202);
      const shown = await eventually(inbox, items => items.length === 1);
      expect(shown.value).toEqual(['1.0.0→live']);
      // Warm: no statement on B's pool.
      const warm = await eventually(
        async () => {
          const counter = countStatements(second);
          await inbox();
          counter.stop();
          return counter.seen.filter(q => /release_/.test(q));
        },
        seen => seen.length === 0,
      );
      expect(warm.value).toEqual([]);

      // A new request on A is in B's inbox …
      await promote(a, USERS.alice, { version: '1.1.0', phase: 'stage' });
      const more = await eventually(inbox, items => items.length === 2);
      expect(more.value.sort()).toEqual(['1.0.0→live', '1.1.0→stage']);
      expect(more.ms).toBeLessThan(2_000);
      // … and the lead's first approval on A (live still waits for a second
      // approver) leaves it: only the approvals table changed.
      expect(
        (await decide(a, USERS.lead, live.body.id, 'approve')).status,
      ).toBe(200);
      const decided = await eventually(inbox, items => items.length === 1);
      expect(decided.value).toEqual(['1.1.0→stage']);
      expect(decided.ms).toBeLessThan(2_000);
    });

    it('a caller reads their own write at once, on the instance that made it', async () => {
      const { a } = await startInstances();
      await seedRelease(a, '1.0.0', ['dev']);
      expect(await lockOf(a, 'stage')).toBeNull();
      expect(await lockOf(a, 'stage')).toBeNull(); // cached now
      await request(a.server)
        .put(`${PAYMENTS}/phases/stage/lock`)
        .set('Authorization', as(USERS.alice))
        .send({ reason: 'Incident' })
        .expect(200);
      // No waiting: the mutation dropped the entity before it answered.
      expect(await lockOf(a, 'stage')).toMatchObject({ reason: 'Incident' });
      // Conditional reads: the same view is a 304, a changed one is not.
      const first = await pipeline(a);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^W\/"/);
      await pipeline(a).set('If-None-Match', etag).expect(304);
      await request(a.server)
        .delete(`${PAYMENTS}/phases/stage/lock`)
        .set('Authorization', as(USERS.alice))
        .expect(204);
      expect(await lockOf(a, 'stage')).toBeNull();
      const changed = await pipeline(a).set('If-None-Match', etag);
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    });

    it('a write that bypasses the API (another process, a background job, a manual fix) still reaches cached readers', async () => {
      const { a, b, knex } = await startInstances();
      await seedRelease(a, '1.0.0', ['dev']);
      await seedRelease(a, '1.1.0', []);
      const before = (await pipeline(b)).body.phases.find(
        (p: any) => p.id === 'dev',
      );
      expect(before.current.version).toBe('1.0.0');
      const release = await knex('release_releases')
        .where({ version: '1.1.0' })
        .first();
      await knex('release_phase_state')
        .where({ entity_ref: 'component:default/payments-api', phase: 'dev' })
        .update({ version: '1.1.0', release_id: release.id });
      const seen = await eventually(
        async () =>
          (await pipeline(b)).body.phases.find((p: any) => p.id === 'dev')
            .current.version,
        v => v === '1.1.0',
      );
      expect(seen.value).toBe('1.1.0');
      expect(seen.ms).toBeLessThan(2_000);
    });

    it('when the change feed is lost, reads go to the database until it is back', async () => {
      const { a, knex } = await startInstances();
      await seedRelease(a, '1.0.0', ['dev']);
      await pipeline(a);
      // Cut every listening connection of this database (both instances).
      const { rows } = await knex.raw(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and query ilike 'LISTEN release_entity_changed%' and pid <> pg_backend_pid()`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      await new Promise(r => setTimeout(r, 100));
      // Written while nobody listens: no notification reaches anyone.
      await knex('release_phase_locks').insert({
        entity_ref: 'component:default/payments-api',
        phase: 'qa',
        reason: 'Written while the feed was down',
        locked_by: USERS.lead,
        locked_at: new Date(),
      });
      expect(await lockOf(a, 'qa')).toMatchObject({
        reason: 'Written while the feed was down',
      });
      // The listener comes back and caching resumes.
      const resumed = await eventually(
        async () => {
          await pipeline(a);
          const counter = countStatements(knex);
          await pipeline(a);
          counter.stop();
          return counter.seen.filter(s => /release_/.test(s)).length;
        },
        n => n === 0,
        10_000,
      );
      expect(resumed.value).toBe(0);
      await knex('release_phase_locks').del();
      const cleared = await eventually(
        () => lockOf(a, 'qa'),
        lock => lock === null,
      );
      expect(cleared.value).toBeNull();
    });
  });

  describe('SQLite', () => {
    const sqliteIds = databases
      .eachSupportedId()
      .filter(([id]) => !id.startsWith('POSTGRES'));

    it.each(sqliteIds)(
      '%p in memory (the embedded default): repeated reads issue no statement, and every write of the process shows at once',
      async databaseId => {
        const knex = await databases.init(databaseId);
        const a = await startReleaseBackend({ knex, config: pipelineConfig() });
        await seedRelease(a, '1.0.0', ['dev']);
        await seedRelease(a, '1.1.0', []);
        for (const read of [pipeline, releases, status]) {
          expect((await read(a)).status).toBe(200);
        }
        const counter = countStatements(knex);
        const responses = [
          await pipeline(a),
          await releases(a),
          await status(a),
        ];
        counter.stop();
        expect(responses.map(r => r.status)).toEqual([200, 200, 200]);
        expect(counter.seen.filter(q => /release_/.test(q))).toEqual([]);

        // Its own mutation through the API: visible to the next read.
        await request(a.server)
          .put(`${PAYMENTS}/phases/qa/lock`)
          .set('Authorization', as(USERS.alice))
          .send({ reason: 'Quarter close' })
          .expect(200);
        expect(await lockOf(a, 'qa')).toMatchObject({
          reason: 'Quarter close',
        });

        // A write that bypasses the API (a background job, a manual fix)
        // in the same process: the connection-local trigger reports it.
        const release = await knex('release_releases')
          .where({ version: '1.1.0' })
          .first();
        await knex('release_phase_state')
          .where({ entity_ref: 'component:default/payments-api', phase: 'dev' })
          .update({ version: '1.1.0', release_id: release.id });
        expect(
          (await pipeline(a)).body.phases.find((p: any) => p.id === 'dev')
            .current.version,
        ).toBe('1.1.0');
        expect((await status(a)).body.items[0].phases[0].currentVersion).toBe(
          '1.1.0',
        );

        // A rolled-back write leaves the cached reads right.
        await expect(
          knex.transaction(async tx => {
            await tx('release_phase_locks').insert({
              entity_ref: 'component:default/payments-api',
              phase: 'stage',
              reason: 'rolled back',
              locked_by: USERS.lead,
              locked_at: new Date(),
            });
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        expect(await lockOf(a, 'stage')).toBeNull();
      },
    );

    describe('a database file', () => {
      let dir: string;
      beforeAll(async () => {
        dir = await fs.mkdtemp(path.join(os.tmpdir(), 'release-cache-'));
      });
      afterAll(async () => {
        await fs.rm(dir, { recursive: true, force: true });
      });

      async function twoProcesses(mode?: 'exclusive' | 'shared') {
        const filename = path.join(dir, `${mode ?? 'default'}.sqlite`);
        const open = () => {
          const k = knexFactory({
            client: 'better-sqlite3',
            connection: { filename },
            useNullAsDefault: true,
          });
          extraClients.push(k);
          return k;
        };
        const config = pipelineConfig() as any;
        if (mode) config.release.readCache = { sqliteFile: mode };
        const ka = open();
        const a = await startReleaseBackend({ knex: ka, config });
        const kb = open();
        const b = await startReleaseBackend({ knex: kb, config });
        return { a, b, ka, kb };
      }

      it("shared (default): another process's write is seen by the next read", async () => {
        const { a, b, kb } = await twoProcesses();
        await seedRelease(a, '1.0.0', ['dev']);
        expect(await lockOf(b, 'qa')).toBeNull();
        // Cached: no read of a release table on B's connection.
        const counter = countStatements(kb);
        expect(await lockOf(b, 'qa')).toBeNull();
        counter.stop();
        expect(counter.seen.filter(q => /release_/.test(q))).toEqual([]);
        // Written by process A: B's next read has it, without waiting.
        await request(a.server)
          .put(`${PAYMENTS}/phases/qa/lock`)
          .set('Authorization', as(USERS.alice))
          .send({ reason: 'Written by A' })
          .expect(200);
        expect(await lockOf(b, 'qa')).toMatchObject({ reason: 'Written by A' });
      });

      it('exclusive, yet written by another process: the cache notices and turns to shared', async () => {
        const { a, b } = await twoProcesses('exclusive');
        await seedRelease(a, '1.0.0', ['dev']);
        expect(await lockOf(b, 'qa')).toBeNull();
        await request(a.server)
          .put(`${PAYMENTS}/phases/qa/lock`)
          .set('Authorization', as(USERS.alice))
          .send({ reason: 'Written by A' })
          .expect(200);
        const seen = await eventually(
          () => lockOf(b, 'qa'),
          lock => Boolean(lock),
          6_000,
        );
        expect(seen.value).toMatchObject({ reason: 'Written by A' });
        expect(seen.ms).toBeLessThan(4_000);
        // From then on B checks before every read: the next write is seen at once.
        await request(a.server)
          .delete(`${PAYMENTS}/phases/qa/lock`)
          .set('Authorization', as(USERS.alice))
          .expect(204);
        expect(await lockOf(b, 'qa')).toBeNull();
      });
    });
  });
});
