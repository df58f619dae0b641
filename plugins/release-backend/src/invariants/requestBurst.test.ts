import request from 'supertest';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  as,
  countRows,
  PAYMENTS,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

/**
 * A burst of identical promotion requests (P5 of the benchmarks): one is
 * accepted, the others are refused from the committed phase state before
 * they evaluate the gates or queue for the phase's lock, and each request
 * asks the permission framework once, whatever it needs decided.
 */
describe('invariants: promotion requests under a burst', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('a promotion request makes one permission call for all its decisions, and each decision still applies', async () => {
      const batches: number[] = [];
      let denied: string[] = [];
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: pipelineConfig(),
        policy: name =>
          denied.includes(name) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
        onAuthorize: n => batches.push(n),
      });
      await seedRelease(h, '1.0.0', []);
      const accepted = await promote(h, USERS.alice, {
        version: '1.0.0',
        phase: 'dev',
      });
      expect(accepted.status).toBe(202);
      // Read and deploy, decided in one call.
      expect(batches).toEqual([2]);

      denied = ['release.promotion.create'];
      await seedRelease(h, '1.1.0', []);
      const refused = await promote(h, USERS.alice, {
        version: '1.1.0',
        phase: 'dev',
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/release\.promotion\.create/);
      expect(
        await countRows(h.knex, 'release_promotions', { version: '1.1.0' }),
      ).toBe(0);

      denied = ['release.pipeline.read'];
      const unreadable = await promote(h, USERS.alice, {
        version: '1.1.0',
        phase: 'dev',
      });
      expect(unreadable.status).toBe(403);
      expect(unreadable.body.error.message).toMatch(/release\.pipeline\.read/);
    });

    it('a request the open promotions refuse is answered without the gates or the phase lock; with an idempotency key the original is returned', async () => {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: pipelineConfig(),
      });
      await seedRelease(h, '1.0.0', ['dev', 'qa']);
      const first = await promote(h, USERS.alice, {
        version: '1.0.0',
        phase: 'stage',
      });
      expect(first.status).toBe(202);

      const seen: string[] = [];
      const on = (q: { sql: string }) => seen.push(q.sql);
      h.knex.on('query', on);
      const again = await promote(h, USERS.alice, {
        version: '1.0.0',
        phase: 'stage',
      });
      h.knex.off('query', on);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already pending_approval/);
      // No lock, no transaction, no write.
      expect(seen.filter(s => /advisory|begin|insert|update/i.test(s))).toEqual(
        [],
      );
      expect(
        await countRows(h.knex, 'release_promotions', {
          version: '1.0.0',
          phase: 'stage',
        }),
      ).toBe(1);

      // A replay with the key of an accepted request still gets it back.
      await seedRelease(h, '1.0.1', ['dev']);
      const k1 = await request(h.server)
        .post(`${PAYMENTS}/promotions`)
        .set('Authorization', as(USERS.alice))
        .set('Idempotency-Key', 'burst-2')
        .send({ version: '1.0.1', phase: 'qa' });
      expect(k1.status).toBe(202);
      const k2 = await request(h.server)
        .post(`${PAYMENTS}/promotions`)
        .set('Authorization', as(USERS.alice))
        .set('Idempotency-Key', 'burst-2')
        .send({ version: '1.0.1', phase: 'qa' });
      expect(k2.status).toBe(202);
      expect(k2.body.id).toBe(k1.body.id);
    });
  });
});
