import { JsonObject } from '@backstage/types';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { spec } from '../schema/openapi.generated';
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

const PROMOTION_ID = '00000000-0000-4000-8000-000000000000';

/** Every operation of the spec with its path filled in. */
function allOperations() {
  const ops: Array<{ method: string; path: string }> = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    // The signed provider callback is the one route without credentials (invariant 28).
    if (path.startsWith('/callbacks/')) continue;
    for (const method of Object.keys(item)) {
      const filled = path
        .replace('{kind}', 'component')
        .replace('{namespace}', 'default')
        .replace('{name}', 'payments-api')
        .replace('{version}', '1.0.0')
        .replace('{phase}', 'stage')
        .replace('{id}', PROMOTION_ID);
      ops.push({ method, path: `/api/release${filled}` });
    }
  }
  return ops;
}

describe('invariants: authentication and authorization', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(
      options: Partial<Parameters<typeof startReleaseBackend>[0]> = {},
    ) {
      return startReleaseBackend({
        knex: await databases.init(databaseId),
        config: pipelineConfig(),
        ...options,
      });
    }

    it('invariant 1: no route answers without credentials, and no mutating route accepts a cookie-only token', async () => {
      const h = await start();
      const ops = allOperations();
      expect(ops.length).toBeGreaterThanOrEqual(16);
      for (const { method, path } of ops) {
        const res = await (request(h.server) as any)
          [method](path)
          .send(method === 'get' || method === 'delete' ? undefined : {});
        expect({ method, path, status: res.status }).toEqual({
          method,
          path,
          status: 401,
        });
      }
      for (const { method, path } of ops.filter(o => o.method !== 'get')) {
        const res = await (request(h.server) as any)
          [method](path)
          .set('Cookie', mockCredentials.limitedUser.cookie(USERS.alice))
          .send({});
        expect({ method, path, status: res.status }).toEqual({
          method,
          path,
          status: 401,
        });
      }
    });

    it('invariant 2: service tokens create releases and read, but never approve, reject or override', async () => {
      const h = await start();
      const ci = mockCredentials.service.header();
      const created = await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', ci)
        .send({ version: '1.0.0', artifact: 'img@sha256:1' });
      expect(created.status).toBe(201);
      expect(
        (
          await request(h.server)
            .get(`${PAYMENTS}/pipeline`)
            .set('Authorization', ci)
        ).status,
      ).toBe(200);

      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(p.body.status).toBe('pending_approval');
      for (const decision of ['approve', 'reject'] as const) {
        const res = await request(h.server)
          .post(`/api/release/promotions/${p.body.id}/${decision}`)
          .set('Authorization', ci)
          .send({ comment: 'from CI' });
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/service tokens cannot/);
      }
      const byCi = await request(h.server)
        .post(`${PAYMENTS}/promotions`)
        .set('Authorization', ci)
        .send({ version: '2.0.0', phase: 'stage', override: { reason: 'ci' } });
      expect(byCi.status).toBe(403);
      expect(await countRows(h.knex, 'release_approvals')).toBe(0);
    });

    it('invariant 3: a user acting through a service on their behalf cannot approve', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      // What a plugin (here the scaffolder) presents when it calls on lead's behalf.
      const onBehalf = `Bearer ${mockCredentials.user.token(USERS.lead, {
        actor: { subject: 'plugin:scaffolder' },
      })}`;
      const res = await request(h.server)
        .post(`/api/release/promotions/${p.body.id}/approve`)
        .set('Authorization', onBehalf)
        .send({});
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/on a user's behalf/);
      expect(await countRows(h.knex, 'release_approvals')).toBe(0);
      // The same user acting directly may.
      expect((await decide(h, USERS.lead, p.body.id, 'approve')).status).toBe(
        200,
      );
    });

    it('invariant 4: phase access from the pipeline config holds while the permission framework allows everything', async () => {
      const h = await start({
        config: pipelineConfig({
          stage: { access: { deployers: ['group:default/team-leads'] } },
        }),
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      // carol is not an owner: no promotion, no approval, no lock, no release.
      const asCarol = await promote(h, USERS.carol, {
        version: '2.0.0',
        phase: 'qa',
      });
      expect(asCarol.status).toBe(403);
      expect(asCarol.body.error.message).toMatch(/not a deployer of QA\/Demo/);
      const lock = await request(h.server)
        .put(`${PAYMENTS}/phases/qa/lock`)
        .set('Authorization', as(USERS.carol))
        .send({ reason: 'mine' });
      expect(lock.status).toBe(403);
      const release = await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.carol))
        .send({ version: '3.0.0', artifact: 'x' });
      expect(release.status).toBe(403);
      // alice owns the entity but only team-leads deploy to stage.
      const asAlice = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(asAlice.status).toBe(403);
      const asLead = await promote(h, USERS.lead, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(asLead.status).toBe(202);
      const carolApproves = await decide(
        h,
        USERS.carol,
        asLead.body.id,
        'approve',
      );
      expect(carolApproves.status).toBe(403);
      expect(carolApproves.body.error.message).toMatch(/not an approver/);
    });

    it('invariant 5: every route maps to a named permission; a DENY fails actions and empties lists', async () => {
      const denied = new Set<string>();
      // Lists reuse a decision for release.readCache.listDecisionsMs
      // (5 s by default; short here); actions always ask.
      const config = pipelineConfig();
      const listDecisionsMs = 200;
      const h = await start({
        policy: name =>
          denied.has(name) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
        config: {
          ...config,
          release: {
            ...(config.release as JsonObject),
            readCache: { listDecisionsMs },
          },
        },
      });
      // A list page may be kept for that time too, holding decisions as old.
      const decisionsExpire = () =>
        new Promise(r => setTimeout(r, 2 * listDecisionsMs + 50));
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const expectDenied = async (
        permission: string,
        call: () => Promise<request.Response>,
      ) => {
        denied.clear();
        denied.add(permission);
        const res = await call();
        expect({ permission, status: res.status }).toEqual({
          permission,
          status: 403,
        });
        expect(res.body.error.message).toContain(permission);
        denied.clear();
      };
      await expectDenied('release.pipeline.read', () =>
        request(h.server)
          .get(`${PAYMENTS}/pipeline`)
          .set('Authorization', as(USERS.alice)),
      );
      await expectDenied('release.release.create', () =>
        request(h.server)
          .post(`${PAYMENTS}/releases`)
          .set('Authorization', as(USERS.alice))
          .send({ version: '9.0.0', artifact: 'x' }),
      );
      await expectDenied('release.promotion.create', () =>
        promote(h, USERS.alice, { version: '2.0.0', phase: 'stage' }),
      );
      await expectDenied('release.phase.lock', () =>
        request(h.server)
          .put(`${PAYMENTS}/phases/stage/lock`)
          .set('Authorization', as(USERS.alice))
          .send({ reason: 'x' }),
      );
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      await expectDenied('release.promotion.approve', () =>
        decide(h, USERS.lead, p.body.id, 'approve'),
      );
      await expectDenied('release.promotion.cancel', () =>
        decide(h, USERS.alice, p.body.id, 'cancel'),
      );
      await expectDenied('release.freeze.override', () =>
        decide(h, USERS.lead, p.body.id, 'approve', {
          override: { reason: 'hotfix' },
        }),
      );

      // Lists filter rather than fail.
      const inbox = () =>
        request(h.server)
          .get('/api/release/approvals')
          .set('Authorization', as(USERS.lead));
      expect(
        (await inbox()).body.items.map((i: { id: string }) => i.id),
      ).toEqual([p.body.id]);
      denied.add('release.promotion.approve');
      await decisionsExpire();
      const empty = await inbox();
      expect(empty.status).toBe(200);
      expect(empty.body.items).toEqual([]);
      denied.clear();
      denied.add('release.pipeline.read');
      await decisionsExpire();
      const status = await request(h.server)
        .post('/api/release/status')
        .set('Authorization', as(USERS.alice))
        .send({ entityRefs: ['component:default/payments-api'] });
      expect(status.status).toBe(200);
      expect(status.body.items).toEqual([]);
    });

    it('invariant 6: an allowed decision is re-checked against current state inside the write transaction', async () => {
      let lockDuringCheck: (() => Promise<void>) | undefined;
      const h = await start({
        beforeDecision: async name => {
          if (name === 'release.promotion.approve' && lockDuringCheck) {
            const fn = lockDuringCheck;
            lockDuringCheck = undefined;
            await fn();
          }
        },
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      // While the approval's permission is being decided, someone locks the phase.
      lockDuringCheck = async () => {
        const res = await request(h.server)
          .put(`${PAYMENTS}/phases/stage/lock`)
          .set('Authorization', as(USERS.bob))
          .send({ reason: 'incident 42' });
        expect(res.status).toBe(200);
      };
      const res = await decide(h, USERS.lead, p.body.id, 'approve');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(
        /locked by user:default\/bob: incident 42/,
      );
      expect(await countRows(h.knex, 'release_approvals')).toBe(0);

      // Likewise a promotion cancelled meanwhile cannot be approved.
      await request(h.server)
        .delete(`${PAYMENTS}/phases/stage/lock`)
        .set('Authorization', as(USERS.bob));
      lockDuringCheck = async () => {
        expect((await decide(h, USERS.alice, p.body.id, 'cancel')).status).toBe(
          200,
        );
      };
      const late = await decide(h, USERS.lead, p.body.id, 'approve');
      expect(late.status).toBe(409);
      expect(late.body.error.message).toMatch(/is cancelled/);
      expect(await countRows(h.knex, 'release_approvals')).toBe(0);
    });

    it('invariant 7: the actor comes from verified credentials, never from the body', async () => {
      const h = await start();
      const spoof = await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice))
        .send({ version: '1.0.0', artifact: 'x', createdBy: USERS.lead });
      expect(spoof.status).toBe(400);
      const ok = await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice))
        .send({ version: '1.0.0', artifact: 'x' });
      expect(ok.body.createdBy).toBe(USERS.alice);
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
        requestedBy: USERS.lead,
      });
      expect(p.status).toBe(400);
      const p2 = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(p2.body.requestedBy).toBe(USERS.alice);
      const approved = await decide(h, USERS.lead, p2.body.id, 'approve', {
        userRef: USERS.bob,
      });
      expect(approved.status).toBe(400);
      const history = await h.store.listHistory(
        'component:default/payments-api',
        { limit: 50 },
      );
      expect(
        history.items.find(e => e.action === 'promotion.request')?.actor,
      ).toBe(USERS.alice);
    });

    it('invariant 8: reading an entity’s pipeline follows the caller’s right to read it in the catalog', async () => {
      const h = await start({
        hiddenFrom: { [USERS.carol]: ['component:default/payments-api'] },
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      for (const path of [
        'pipeline',
        'releases',
        'releases/2.0.0',
        'promotions',
        'history',
      ]) {
        const res = await request(h.server)
          .get(`${PAYMENTS}/${path}`)
          .set('Authorization', as(USERS.carol));
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
      const one = await request(h.server)
        .get(`/api/release/promotions/${p.body.id}`)
        .set('Authorization', as(USERS.carol));
      expect(one.status).toBe(404);
      const status = await request(h.server)
        .post('/api/release/status')
        .set('Authorization', as(USERS.carol))
        .send({ entityRefs: ['component:default/payments-api'] });
      expect(status.body.items).toEqual([]);
      // alice may read it.
      const mine = await request(h.server)
        .get(`${PAYMENTS}/pipeline`)
        .set('Authorization', as(USERS.alice));
      expect(mine.status).toBe(200);
    });
  });
});
