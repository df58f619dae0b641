import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import path from 'path';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  as,
  countRows,
  decide,
  PAYMENTS,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

const ENTITY = 'component:default/payments-api';

describe('invariants: data integrity and concurrency', () => {
  const databases = createTestDatabases();
  const extraClients: Knex[] = [];
  afterAll(async () => {
    await Promise.all(extraClients.map(k => k.destroy()));
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    /**
     * Two backend instances on one database when it is PostgreSQL (each with
     * its own connection pool, as two processes would have); one on SQLite,
     * which is the single-process embedded setup.
     */
    async function startInstances() {
      const knex = await databases.init(databaseId);
      const a = await startReleaseBackend({ knex, config: pipelineConfig() });
      if (!databaseId.startsWith('POSTGRES')) {
        return [a, a];
      }
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
      return [a, b];
    }

    it('invariant 16: at most one queued or deploying promotion per phase, enforced by the database across backend instances', async () => {
      const [a, b] = await startInstances();
      await seedRelease(a, '2.0.0', ['dev', 'qa']);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          promote(i % 2 ? a : b, USERS.alice, {
            version: '2.0.0',
            phase: 'qa',
          }),
        ),
      );
      const statuses = results.map(r => r.status).sort();
      expect(statuses.filter(s => s === 202)).toHaveLength(1);
      expect(statuses.filter(s => s === 409)).toHaveLength(19);
      expect(
        await countRows(a.knex, 'release_promotions', {
          phase: 'qa',
          status: 'queued',
        }),
      ).toBe(1);

      // The database itself refuses a second active promotion, whatever the code does.
      const [queued] = await a
        .knex('release_promotions')
        .where({ phase: 'qa', status: 'queued' });
      let error: unknown;
      try {
        await a.knex('release_promotions').insert({
          ...queued,
          id: '11111111-1111-4111-8111-111111111111',
          open_key: null,
          idempotency_key: null,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeDefined();
    });

    it('invariant 17: every state change is a compare-and-set; a stale transition is a 409 and changes nothing', async () => {
      const [a, b] = await startInstances();
      await seedRelease(a, '2.0.0', ['dev', 'qa']);
      const p = await promote(a, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      const [first, second] = await Promise.all([
        decide(a, USERS.alice, p.body.id, 'cancel'),
        decide(b, USERS.alice, p.body.id, 'cancel'),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const historyBefore = await countRows(a.knex, 'release_history');
      const approvalsBefore = await countRows(a.knex, 'release_approvals');
      const stale = await decide(b, USERS.lead, p.body.id, 'approve');
      expect(stale.status).toBe(409);
      const staleReject = await decide(a, USERS.lead, p.body.id, 'reject', {
        comment: 'late',
      });
      expect(staleReject.status).toBe(409);
      expect(await countRows(a.knex, 'release_history')).toBe(historyBefore);
      expect(await countRows(a.knex, 'release_approvals')).toBe(
        approvalsBefore,
      );
      const [row] = await a.knex('release_promotions').where({ id: p.body.id });
      expect(row.status).toBe('cancelled');
    });

    it('invariant 18: the same Idempotency-Key returns the first result and causes one promotion', async () => {
      const [a, b] = await startInstances();
      await seedRelease(a, '2.0.0', ['dev']);
      const key = { 'Idempotency-Key': 'ci-run-4711' };
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          promote(
            i % 2 ? a : b,
            USERS.alice,
            { version: '2.0.0', phase: 'qa' },
            key,
          ),
        ),
      );
      expect(results.map(r => r.status)).toEqual(Array(10).fill(202));
      expect(new Set(results.map(r => r.body.id)).size).toBe(1);
      expect(
        await countRows(a.knex, 'release_promotions', { phase: 'qa' }),
      ).toBe(1);
      expect(
        await countRows(a.knex, 'release_history', {
          action: 'promotion.request',
        }),
      ).toBe(1);
      // Another key is another request (here refused: the release is already open).
      const other = await promote(
        a,
        USERS.alice,
        { version: '2.0.0', phase: 'qa' },
        {
          'Idempotency-Key': 'ci-run-4712',
        },
      );
      expect(other.status).toBe(409);
    });

    it('invariant 19: a newer release supersedes older waiting ones; an older release never overtakes a newer one', async () => {
      const [a, b] = await startInstances();
      await seedRelease(a, '2.0.0', ['dev']);
      await seedRelease(a, '2.1.0', ['dev']);
      const older = await promote(a, USERS.alice, {
        version: '2.0.0',
        phase: 'qa',
      });
      expect(older.body.status).toBe('queued');
      const newer = await promote(b, USERS.alice, {
        version: '2.1.0',
        phase: 'qa',
      });
      expect(newer.body.status).toBe('queued');
      const [oldRow] = await a
        .knex('release_promotions')
        .where({ id: older.body.id });
      expect(oldRow.status).toBe('superseded');
      const back = await promote(a, USERS.alice, {
        version: '2.0.0',
        phase: 'qa',
      });
      expect(back.status).toBe(409);
      expect(back.body.error.message).toMatch(/newer release, 2.1.0/);

      // Racing: whatever the order, only the newest stays open.
      await seedRelease(a, '3.0.0', ['dev', 'qa']);
      await seedRelease(a, '3.1.0', ['dev', 'qa']);
      await Promise.all([
        promote(a, USERS.alice, { version: '3.0.0', phase: 'stage' }),
        promote(b, USERS.alice, { version: '3.1.0', phase: 'stage' }),
        promote(b, USERS.alice, { version: '3.0.0', phase: 'stage' }),
        promote(a, USERS.alice, { version: '3.1.0', phase: 'stage' }),
      ]);
      const open = await a
        .knex('release_promotions')
        .where({ phase: 'stage' })
        .whereIn('status', [
          'pending_approval',
          'approved',
          'queued',
          'deploying',
        ]);
      expect(open.map(r => r.version)).toEqual(['3.1.0']);

      // A release older than what runs in the phase is refused (rollback is explicit).
      await a.store.importPromotion({
        entityRef: ENTITY,
        phase: 'dev',
        version: '3.1.0',
        status: 'succeeded',
        requestedBy: USERS.alice,
        requestedAt: new Date(),
      });
      const outdated = await promote(a, USERS.alice, {
        version: '3.0.0',
        phase: 'dev',
      });
      expect(outdated.status).toBe(409);
      expect(outdated.body.error.message).toMatch(/3.1.0 already runs in Dev/);
    });

    it('invariant 20: releases are immutable; a version cannot be re-created with another artifact', async () => {
      const [a, b] = await startInstances();
      const results = await Promise.all(
        ['sha256:aaa', 'sha256:bbb', 'sha256:ccc', 'sha256:ddd'].map(
          (artifact, i) =>
            request((i % 2 ? a : b).server)
              .post(`${PAYMENTS}/releases`)
              .set('Authorization', as(USERS.alice))
              .send({ version: '5.0.0', artifact }),
        ),
      );
      expect(results.map(r => r.status).sort()).toEqual([201, 409, 409, 409]);
      const winner = results.find(r => r.status === 201)!.body.artifact;
      const stored = await request(a.server)
        .get(`${PAYMENTS}/releases/5.0.0`)
        .set('Authorization', as(USERS.alice));
      expect(stored.body.artifact).toBe(winner);
      expect(
        await countRows(a.knex, 'release_releases', { version: '5.0.0' }),
      ).toBe(1);
    });

    it('invariant 21: the history ledger is append-only', async () => {
      const [a] = await startInstances();
      await seedRelease(a, '2.0.0', ['dev', 'qa']);
      const before = await a.knex('release_history').orderBy('id');
      const p = await promote(a, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      await decide(a, USERS.lead, p.body.id, 'reject', { comment: 'no' });
      await request(a.server)
        .put(`${PAYMENTS}/phases/stage/lock`)
        .set('Authorization', as(USERS.lead))
        .send({ reason: 'freeze' });
      const after = await a.knex('release_history').orderBy('id');
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after.slice(before.length).map(r => r.action)).toEqual([
        'promotion.request',
        'approval.reject',
        'promotion.rejected',
        'phase.lock',
      ]);
    });
  });

  it('invariant 21: no code updates or deletes ledger rows', () => {
    const root = path.resolve(__dirname, '..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(file);
        } else if (
          /\.ts$/.test(entry.name) &&
          !/\.test\.ts$/.test(entry.name)
        ) {
          const text = fs.readFileSync(file, 'utf8');
          // Any statement naming the ledger table must not update, delete or truncate.
          const statements = text
            .split(/;\s*\n/)
            .filter(s => s.includes("'release_history'"));
          for (const s of statements) {
            if (
              /\.(update|delete|del|truncate)\s*\(|\b(UPDATE|DELETE|TRUNCATE)\b/.test(
                s,
              )
            ) {
              offenders.push(
                `${path.relative(root, file)}: ${s.trim().slice(0, 80)}`,
              );
            }
          }
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
    const mentions = fs
      .readFileSync(path.join(root, 'database', 'rows.ts'), 'utf8')
      .includes("db('release_history').insert(");
    expect(mentions).toBe(true);
  });
});
