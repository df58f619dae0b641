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
  pipelineConfig,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

/**
 * Cached reads never outlive a change: the pipeline state and release pages
 * are served from memory on PostgreSQL, and dropped when the database's
 * change feed (a trigger + LISTEN/NOTIFY) reports the entity changed —
 * whichever process or code path wrote.
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

  it.each(
    databases.eachSupportedId().filter(([id]) => !id.startsWith('POSTGRES')),
  )('%p: nothing is cached without a change feed', async databaseId => {
    const knex = await databases.init(databaseId);
    const a = await startReleaseBackend({ knex, config: pipelineConfig() });
    await seedRelease(a, '1.0.0', ['dev']);
    await pipeline(a);
    const counter = countStatements(knex);
    await pipeline(a);
    counter.stop();
    expect(counter.seen.filter(s => /release_/.test(s))).toHaveLength(1);
  });
});
