import { JsonObject } from '@backstage/types';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PhaseActions,
  PipelineView,
} from '@release-manager/backstage-plugin-release-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  as,
  Harness,
  PAYMENTS,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  TestPolicy,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

// Live is deployed by team leads only; everything else defaults to the owners
// (team-payments: alice, lead, bob). Carol is in another team.
const config = pipelineConfig({
  live: { access: { deployers: ['group:default/team-leads'] } },
});

async function actionsOf(h: Harness, auth: string) {
  const res = await request(h.server)
    .get(`${PAYMENTS}/pipeline`)
    .set('Authorization', auth);
  expect(res.status).toBe(200);
  const view = res.body as PipelineView;
  return Object.fromEntries(view.phases.map(p => [p.id, p.actions])) as Record<
    string,
    PhaseActions
  >;
}

describe('per-phase actions of the caller in GET …/pipeline', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(policy?: TestPolicy) {
      const batches: number[] = [];
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config,
        policy,
        onAuthorize: n => batches.push(n),
      });
      return { h, batches };
    }

    it('permission framework off (allow all): phase access alone decides, per caller, reasons name phase titles', async () => {
      const { h } = await start();
      await seedRelease(h, '1.0.0', ['dev', 'qa']);

      const alice = await actionsOf(h, as(USERS.alice));
      const carol = await actionsOf(h, as(USERS.carol));
      const lead = await actionsOf(h, as(USERS.lead));

      // A deployer of dev…stage, not of live.
      expect(alice.dev.deploy).toEqual({ allowed: true });
      expect(alice.stage).toMatchObject({
        deploy: { allowed: true },
        approve: { allowed: true },
        editConfig: { allowed: true },
        lock: { allowed: true },
        skip: { allowed: true },
        rollback: { allowed: true },
      });
      expect(alice.live.deploy).toEqual({
        allowed: false,
        reason: 'You are not a deployer of Live',
      });
      expect(alice.live.rollback).toEqual({
        allowed: false,
        reason: 'You are not a deployer of Live',
      });
      expect(alice.live.skip.allowed).toBe(false);
      // Approvers of live default to the owners: alice still approves.
      expect(alice.live.approve).toEqual({ allowed: true });
      expect(alice.dev.skip).toEqual({
        allowed: false,
        reason: 'Dev has no earlier phase to skip',
      });
      expect(lead.live.deploy).toEqual({ allowed: true });

      // Not in any list: nothing allowed, each with a reason naming the title.
      for (const [id, title] of [
        ['dev', 'Dev'],
        ['qa', 'QA/Demo'],
        ['stage', 'Stage'],
        ['live', 'Live'],
      ]) {
        for (const capability of Object.values(carol[id])) {
          expect(capability.allowed).toBe(false);
          expect(capability.reason).toContain(title);
        }
      }
      expect(carol.qa.deploy.reason).toBe('You are not a deployer of QA/Demo');
      expect(carol.qa.approve.reason).toBe(
        'You are not an approver of QA/Demo',
      );
      expect(carol.qa.editConfig.reason).toBe(
        'You are not a config editor of QA/Demo',
      );
      expect(carol.qa.deploy.reason).not.toMatch(/\bqa\b/);

      // What the API says is what the operation does.
      expect(
        (await promote(h, USERS.carol, { version: '1.0.0', phase: 'qa' }))
          .status,
      ).toBe(403);
      expect(
        (await promote(h, USERS.alice, { version: '1.0.0', phase: 'stage' }))
          .status,
      ).toBe(202);
    });

    it('permission framework on: one authorize call for all phases and actions; a denial says so with the title', async () => {
      const policy: TestPolicy = (name, resourceRef, credentials) => {
        const user = (credentials as { principal: { userEntityRef?: string } })
          .principal.userEntityRef;
        if (
          user === USERS.alice &&
          resourceRef?.endsWith('#stage') &&
          (name === 'release.promotion.create' || name === 'release.phase.lock')
        ) {
          return AuthorizeResult.DENY;
        }
        if (name === 'release.promotion.skip') return AuthorizeResult.DENY;
        return AuthorizeResult.ALLOW;
      };
      const { h, batches } = await start(policy);
      await seedRelease(h, '1.0.0', ['dev', 'qa']);

      batches.length = 0;
      const alice = await actionsOf(h, as(USERS.alice));
      // The read permission, then one batch of 5 permissions × 4 phases.
      expect(batches).toEqual([1, 20]);
      expect(alice.stage.deploy).toEqual({
        allowed: false,
        reason: 'The permission policy does not allow you to deploy to Stage',
      });
      expect(alice.stage.rollback).toEqual({
        allowed: false,
        reason: 'The permission policy does not allow you to roll back Stage',
      });
      expect(alice.stage.lock.reason).toBe(
        'The permission policy does not allow you to lock or unlock Stage',
      );
      expect(alice.stage.approve).toEqual({ allowed: true });
      expect(alice.qa.deploy).toEqual({ allowed: true });
      expect(alice.qa.skip).toEqual({
        allowed: false,
        reason:
          'The permission policy does not allow you to skip Dev on the way to QA/Demo',
      });
      // Phase access is checked first: the non-deployer hears that, not the policy.
      const carol = await actionsOf(h, as(USERS.carol));
      expect(carol.stage.deploy.reason).toBe('You are not a deployer of Stage');
      // The lead is not denied by the policy for stage.
      const lead = await actionsOf(h, as(USERS.lead));
      expect(lead.stage.deploy).toEqual({ allowed: true });

      expect(
        (await promote(h, USERS.alice, { version: '1.0.0', phase: 'stage' }))
          .status,
      ).toBe(403);
    });

    it("a caller's view with their actions, and their read permission, are kept for release.readCache.listDecisionsMs", async () => {
      const { h, batches } = await start();
      await seedRelease(h, '1.0.0', ['dev']);
      // (On PostgreSQL the seeding's change notifications may still drop
      // the first view: read until one is kept.)
      const read = async (user: string) => {
        batches.length = 0;
        await actionsOf(h, as(user));
        return [...batches];
      };
      const since = Date.now();
      while ((await read(USERS.alice)).length > 0) {
        expect(Date.now() - since).toBeLessThan(3_000);
      }
      // Kept: neither the read permission nor the 20 action decisions are
      // asked again.
      expect(await read(USERS.alice)).toEqual([]);
      // Another caller gets their own.
      expect(await read(USERS.lead)).toEqual([1, 20]);
      expect(await read(USERS.lead)).toEqual([]);

      // With listDecisionsMs 0 the actions are decided on every request.
      const fresh = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: {
          ...config,
          release: {
            ...(config.release as JsonObject),
            readCache: { listDecisionsMs: 0 },
          },
        },
        onAuthorize: n => batches.push(n),
      });
      await seedRelease(fresh, '1.0.0', ['dev']);
      batches.length = 0;
      await actionsOf(fresh, as(USERS.alice));
      await actionsOf(fresh, as(USERS.alice));
      expect(batches).toEqual([1, 20, 1, 20]);
    });

    it('actions are per caller even when the shared view is served from the read cache', async () => {
      const { h } = await start();
      await seedRelease(h, '1.0.0', ['dev']);
      for (let i = 0; i < 3; i++) {
        expect((await actionsOf(h, as(USERS.lead))).live.deploy.allowed).toBe(
          true,
        );
        expect((await actionsOf(h, as(USERS.alice))).live.deploy.allowed).toBe(
          false,
        );
        expect((await actionsOf(h, as(USERS.carol))).dev.deploy.allowed).toBe(
          false,
        );
      }
      // A change still shows (the cached part is dropped on commit).
      expect(
        (await promote(h, USERS.alice, { version: '1.0.0', phase: 'qa' }))
          .status,
      ).toBe(202);
      const res = await request(h.server)
        .get(`${PAYMENTS}/pipeline`)
        .set('Authorization', as(USERS.carol));
      const qa = (res.body as PipelineView).phases.find(p => p.id === 'qa')!;
      expect(qa.active ?? qa.pending[0]).toBeTruthy();
      expect(qa.actions!.deploy!.allowed).toBe(false);
    });

    it('a service token may read the pipeline and is told that only users act', async () => {
      const { h } = await start();
      const service = await actionsOf(h, mockCredentials.service.header());
      expect(service.qa.deploy).toEqual({
        allowed: false,
        reason: 'Only signed-in users may deploy to QA/Demo',
      });
      expect(service.qa.approve.allowed).toBe(false);
    });
  });
});
