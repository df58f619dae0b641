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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';

jest.setTimeout(120_000);

describe('invariants: approval integrity', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(
      config: JsonObject = pipelineConfig(),
      denied: string[] = [],
    ) {
      return startReleaseBackend({
        knex: await databases.init(databaseId),
        config,
        policy: name =>
          denied.includes(name) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      });
    }

    it('invariant 9: the requester cannot approve their own promotion unless the phase allows it', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      const self = await decide(h, USERS.alice, p.body.id, 'approve');
      expect(self.status).toBe(403);
      expect(self.body.error.message).toMatch(/You requested this promotion/);
      expect(await countRows(h.knex, 'release_approvals')).toBe(0);

      const lenient = await start(
        pipelineConfig({
          stage: { approvals: { required: 1, allowSelfApproval: true } },
        }),
      );
      await seedRelease(lenient, '2.0.0', ['dev', 'qa']);
      const q = await promote(lenient, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      const ok = await decide(lenient, USERS.alice, q.body.id, 'approve');
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('queued');
    });

    it('invariant 10: one decision per user per promotion, even with 50 concurrent approvals', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa', 'stage']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'live',
      });
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          decide(h, USERS.lead, p.body.id, 'approve'),
        ),
      );
      const statuses = results.map(r => r.status);
      expect(statuses.filter(s => s === 200)).toHaveLength(1);
      expect(statuses.filter(s => s !== 200).every(s => s === 409)).toBe(true);
      expect(
        await countRows(h.knex, 'release_approvals', {
          promotion_id: p.body.id,
        }),
      ).toBe(1);
      const after = await request(h.server)
        .get(`/api/release/promotions/${p.body.id}`)
        .set('Authorization', as(USERS.alice));
      expect(after.body.status).toBe('pending_approval');
      expect(after.body.approvals).toHaveLength(1);
    });

    it('invariant 11: an approval is bound to the release artifact and the config snapshot hash', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(p.body.configHash).toMatch(/^[0-9a-f]{64}$/);
      await decide(h, USERS.lead, p.body.id, 'approve');
      const [row] = await h
        .knex('release_approvals')
        .where({ promotion_id: p.body.id });
      expect(row.artifact).toBe('registry.example.com/app@sha256:2.0.0');
      expect(row.config_hash).toBe(p.body.configHash);
      const detail = await request(h.server)
        .get(`/api/release/promotions/${p.body.id}`)
        .set('Authorization', as(USERS.alice));
      expect(detail.body.approvals[0]).toMatchObject({
        userRef: USERS.lead,
        valid: true,
      });
    });

    it('invariant 12: a release reaches a phase only after succeeding in the phase it requires; skipping needs its own permission and is critical', async () => {
      const h = await start(pipelineConfig(), []);
      await seedRelease(h, '2.0.0', ['dev']);
      const skip = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(skip.status).toBe(409);
      expect(skip.body.error.message).toMatch(/has not succeeded in 'qa'/);
      expect(
        await countRows(h.knex, 'release_promotions', { phase: 'stage' }),
      ).toBe(0);

      const denied = await start(pipelineConfig(), ['release.promotion.skip']);
      await seedRelease(denied, '2.0.0', ['dev']);
      const refused = await promote(denied, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
        skipRequires: true,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/release.promotion.skip/);

      const allowed = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
        skipRequires: true,
      });
      expect(allowed.status).toBe(202);
      expect(allowed.body.skippedRequires).toBe(true);
      expect(h.audit).toContainEqual(
        expect.objectContaining({
          eventId: 'promotion-request',
          severityLevel: 'critical',
          status: 'succeeded',
          meta: expect.objectContaining({ skipRequires: true }),
        }),
      );
    });

    it('invariant 13: a rejected promotion can never be approved or deployed later', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      const noComment = await decide(h, USERS.lead, p.body.id, 'reject');
      expect(noComment.status).toBe(400);
      const rejected = await decide(h, USERS.lead, p.body.id, 'reject', {
        comment: 'breaks checkout',
      });
      expect(rejected.body.status).toBe('rejected');
      const approve = await decide(h, USERS.bob, p.body.id, 'approve');
      expect(approve.status).toBe(409);
      expect(approve.body.error.message).toMatch(/is rejected/);
      const cancel = await decide(h, USERS.alice, p.body.id, 'cancel');
      expect(cancel.status).toBe(409);
      const [row] = await h.knex('release_promotions').where({ id: p.body.id });
      expect(row.status).toBe('rejected');
      expect(row.active_key).toBeNull();
    });

    it('invariant 14: locks and freeze windows are checked when approving and again when deploying; overrides need permission and a reason and are audited', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      const lock = await request(h.server)
        .put(`${PAYMENTS}/phases/stage/lock`)
        .set('Authorization', as(USERS.bob))
        .send({ reason: 'database migration' });
      expect(lock.status).toBe(200);
      const blocked = await decide(h, USERS.lead, p.body.id, 'approve');
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toMatch(/locked .*database migration/);
      const blank = await decide(h, USERS.lead, p.body.id, 'approve', {
        override: { reason: '  ' },
      });
      expect(blank.status).toBe(400);
      const overridden = await decide(h, USERS.lead, p.body.id, 'approve', {
        override: { reason: 'hotfix for incident 7' },
      });
      expect(overridden.status).toBe(200);
      expect(h.audit).toContainEqual(
        expect.objectContaining({
          eventId: 'promotion-approve',
          severityLevel: 'critical',
          status: 'succeeded',
        }),
      );

      // Deploy-time check: a frozen phase keeps an approved promotion out of the queue.
      const frozen = await start(
        pipelineConfig({
          qa: {
            freezeWindows: [
              { cron: '* * * * *', duration: 'PT1H', reason: 'code freeze' },
            ],
          },
        }),
      );
      await seedRelease(frozen, '2.0.0', ['dev']);
      const q = await promote(frozen, USERS.alice, {
        version: '2.0.0',
        phase: 'qa',
      });
      expect(q.status).toBe(202);
      expect(q.body.status).toBe('approved');
      const pipeline = await request(frozen.server)
        .get(`${PAYMENTS}/pipeline`)
        .set('Authorization', as(USERS.alice));
      const qa = pipeline.body.phases.find(
        (x: { id: string }) => x.id === 'qa',
      );
      expect(qa.freeze).toMatchObject({ reason: 'code freeze' });
      expect(qa.active).toBeNull();
      const withOverride = await promote(frozen, USERS.lead, {
        version: '2.0.0',
        phase: 'qa',
        override: { reason: 'security fix' },
      });
      // The same release is already waiting: the override is a new request only for another version.
      expect(withOverride.status).toBe(409);
      await seedRelease(frozen, '2.0.1', ['dev']);
      const urgent = await promote(frozen, USERS.lead, {
        version: '2.0.1',
        phase: 'qa',
        override: { reason: 'security fix' },
      });
      expect(urgent.status).toBe(202);
      expect(urgent.body.status).toBe('queued');
      expect(urgent.body.overrideReason).toBe('security fix');
    });

    it('invariant 15: a phase needing 2 approvals deploys only after 2 distinct eligible approvers', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa', 'stage']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'live',
      });
      const first = await decide(h, USERS.lead, p.body.id, 'approve');
      expect(first.body.status).toBe('pending_approval');
      expect((await decide(h, USERS.lead, p.body.id, 'approve')).status).toBe(
        409,
      );
      expect((await decide(h, USERS.carol, p.body.id, 'approve')).status).toBe(
        403,
      );
      expect((await decide(h, USERS.alice, p.body.id, 'approve')).status).toBe(
        403,
      );
      const second = await decide(h, USERS.bob, p.body.id, 'approve');
      expect(second.body.status).toBe('queued');
      expect(
        second.body.approvals.map((a: { userRef: string }) => a.userRef).sort(),
      ).toEqual([USERS.bob, USERS.lead]);
    });
  });
});
