import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually, json, startFakeServer } from '../__testUtils__/fakeServer';
import {
  as,
  countRows,
  decide,
  Harness,
  PAYMENTS,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

/** The test pipeline with checks on some phases; the dispatcher runs fast. */
function config(phases: Record<string, JsonObject>): JsonObject {
  const base = pipelineConfig(phases) as { release: JsonObject };
  return {
    release: {
      ...base.release,
      providers: { simulated: { durationMs: 300, steps: ['Rolling out'] } },
      checks: { timeoutMs: 2_000 },
      dispatcher: {
        pollIntervalMs: 100,
        followIntervalMs: 100,
        backoffMs: 100,
        gateRetryMs: 150,
        verifyIntervalMs: 150,
        maxUnknown: 3,
        callTimeoutMs: 1_000,
        leaseMs: 2_000,
      },
    },
  };
}

const get = (h: Harness, path: string, user = USERS.alice) =>
  request(h.server).get(path).set('Authorization', as(user));

const promotion = async (h: Harness, id: string) =>
  (await get(h, `/api/release/promotions/${id}`)).body;

async function phaseChecks(h: Harness, phase: string) {
  const view = await get(h, `${PAYMENTS}/pipeline`);
  expect([view.status, view.body.error?.message]).toEqual([200, undefined]);
  return view.body.phases.find((p: { id: string }) => p.id === phase).checks;
}

describe('verification checks (issue 17)', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let target: Awaited<ReturnType<typeof startFakeServer>>;
    let ready: unknown = false;
    let status = 200;
    beforeEach(async () => {
      ready = false;
      status = 200;
      target = await startFakeServer((_req, res) =>
        json(res, status, { ready }),
      );
    });
    afterEach(() => target.close());

    const readiness = () => ({
      type: 'http',
      name: 'readiness',
      when: 'before-deploy',
      url: `${target.url}/ready/{{ entity.name }}/{{ phase }}/{{ version }}`,
      json: { path: 'ready', equals: true, pendingValues: ['warming-up'] },
    });

    it('invariant 31: a failing before-deploy check blocks the deploy with its summary, the dispatcher waits, and it deploys once the check passes', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({
        knex,
        config: config({ qa: { checks: [readiness()] } }),
      });
      await seedRelease(h, '2.0.0', ['dev']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'qa',
      });
      expect(p.status).toBe(202);
      // Failing: queued, waiting at deploy time with the check's summary.
      const waiting = await eventually(async () => {
        const now = await promotion(h, p.body.id);
        return now.progressMessage?.includes('readiness') ? now : undefined;
      });
      expect(waiting.status).toBe('queued');
      expect(waiting.progressMessage).toBe(
        "Waiting: Check 'readiness' failed: ready is false, not true",
      );
      expect(target.received.map(r => r.path)).toContain(
        '/ready/payments-api/qa/2.0.0',
      );
      // The pipeline response shows the check and its last result.
      expect(await phaseChecks(h, 'qa')).toEqual([
        expect.objectContaining({
          name: 'readiness',
          type: 'http',
          when: 'before-deploy',
          last: expect.objectContaining({
            status: 'failed',
            summary: 'ready is false, not true',
            version: '2.0.0',
            promotionId: p.body.id,
          }),
        }),
      ]);
      // Still blocked a while later: nothing deployed.
      await new Promise(r => setTimeout(r, 500));
      expect((await promotion(h, p.body.id)).status).toBe('queued');

      // Pending: still waiting, now with the pending summary.
      ready = 'warming-up';
      await eventually(async () => {
        const now = await promotion(h, p.body.id);
        return now.progressMessage ===
          'Waiting: Check \'readiness\' is pending: ready is "warming-up", waiting for true'
          ? now
          : undefined;
      });
      expect((await promotion(h, p.body.id)).status).toBe('queued');

      // Green: it deploys.
      ready = true;
      await eventually(
        async () =>
          (await promotion(h, p.body.id)).status === 'succeeded' || undefined,
      );
      expect((await phaseChecks(h, 'qa'))[0].last.status).toBe('passed');
    });

    it('invariant 31: a failing check refuses the approval with its summary; an override of the checks gate lifts it, is recorded and audited', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({
        knex,
        config: config({
          stage: { approvals: { required: 1 }, checks: [readiness()] },
        }),
      });
      status = 503;
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(p.status).toBe(202);
      const refused = await decide(h, USERS.lead, p.body.id, 'approve');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(
        /Check 'readiness' failed: .*\/ready\/payments-api\/stage\/2\.0\.0 answered HTTP 503/,
      );
      expect((await promotion(h, p.body.id)).status).toBe('pending_approval');
      // Overriding another gate does not lift the checks.
      const lockOnly = await decide(h, USERS.lead, p.body.id, 'approve', {
        override: { reason: 'hotfix', gates: ['lock'] },
      });
      expect(lockOnly.status).toBe(409);
      // Without naming gates, the gate blocking now (checks) is lifted.
      const lifted = await decide(h, USERS.lead, p.body.id, 'approve', {
        override: { reason: 'smoke endpoint down, verified by hand' },
      });
      expect(lifted.status).toBe(200);
      expect(lifted.body.overrideGates).toEqual(['checks']);
      // The dispatcher does not wait for the lifted check either.
      await eventually(
        async () =>
          (await promotion(h, p.body.id)).status === 'succeeded' || undefined,
      );
      const history = await get(h, `${PAYMENTS}/history?phase=stage`);
      expect(
        history.body.items.find(
          (e: { action: string }) => e.action === 'promotion.override',
        ),
      ).toMatchObject({
        actor: USERS.lead,
        reason: 'smoke endpoint down, verified by hand',
      });
      const audit = h.audit.find(
        e =>
          e.eventId === 'promotion-approve' &&
          e.status === 'succeeded' &&
          (e.meta as JsonObject).override,
      );
      expect(audit?.severityLevel).toBe('critical');
    });

    it('invariant 31: the change set shows the before-deploy checks as they stand, and says an approval would wait for them', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({
        knex,
        config: config({
          stage: { approvals: { required: 1 }, checks: [readiness()] },
        }),
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(p.status).toBe(202);
      const calls = () =>
        target.received.filter(
          r => r.path === '/ready/payments-api/stage/2.0.0',
        ).length;
      const before = calls();
      const changes = await get(
        h,
        `/api/release/promotions/${p.body.id}/changes`,
      );
      expect(changes.status).toBe(200);
      expect(changes.body.gates.checks).toEqual([
        expect.objectContaining({
          name: 'readiness',
          type: 'http',
          status: 'failed',
          summary: 'ready is false, not true',
        }),
      ]);
      expect(changes.body.gates.approvingDeploysNow).toBe(false);
      expect(changes.body.gates.waitingFor).toContain(
        "Check 'readiness' failed: ready is false, not true",
      );
      expect(calls()).toBe(before + 1);
      // Read again at once: the fresh result is reused, not evaluated again.
      ready = true;
      const again = await get(
        h,
        `/api/release/promotions/${p.body.id}/changes`,
      );
      expect(again.body.gates.checks[0].status).toBe('failed');
      expect(calls()).toBe(before + 1);
      // A preview of the same move shows the same check.
      const preview = await get(
        h,
        `${PAYMENTS}/changes?version=2.0.0&phase=stage`,
      );
      expect(preview.body.gates.checks).toEqual(again.body.gates.checks);
      // Phases without checks list none.
      const qa = await get(h, `${PAYMENTS}/changes?version=2.0.0&phase=qa`);
      expect(qa.body.gates.checks).toEqual([]);
    });

    it('invariant 31: an after-deploy check failing on stage marks the promotion failed with its summary and requests the rollback through the same lifecycle, which deploys the previous release', async () => {
      const knex = await databases.init(databaseId);
      // 2.0.0 is unhealthy after deploying; 1.0.0 is healthy.
      const health = await startFakeServer((req, res) =>
        json(res, 200, { healthy: !req.path.endsWith('/2.0.0') }),
      );
      try {
        const h = await startReleaseBackend({
          knex,
          config: config({
            stage: {
              approvals: { required: 1 },
              checks: [
                {
                  type: 'http',
                  name: 'smoke',
                  when: 'after-deploy',
                  window: 'PT1M',
                  onFailure: 'rollback',
                  url: `${health.url}/health/{{ version }}`,
                  json: { path: 'healthy', equals: true },
                },
              ],
            },
          }),
        });
        await seedRelease(h, '1.0.0', ['dev', 'qa', 'stage']);
        await seedRelease(h, '2.0.0', ['dev', 'qa']);
        const p = await promote(h, USERS.alice, {
          version: '2.0.0',
          phase: 'stage',
        });
        expect((await decide(h, USERS.lead, p.body.id, 'approve')).status).toBe(
          200,
        );
        const failed = await eventually(async () => {
          const now = await promotion(h, p.body.id);
          return now.status === 'failed' ? now : undefined;
        });
        expect(failed.progressMessage).toBe(
          'Verification failed: smoke: healthy is false, not true',
        );
        const rows = await eventually(async () => {
          const found = await knex('release_promotions')
            .where({ phase: 'stage', kind: 'rollback' })
            .select();
          return found.length ? found : undefined;
        });
        expect(rows.map(r => [r.version, r.requested_by, r.status])).toEqual([
          ['1.0.0', 'system:verification', 'pending_approval'],
        ]);
        // The rollback passes the same approval gate, then deploys 1.0.0,
        // whose verification passes.
        const rollbackId = rows[0].id;
        expect(
          (await decide(h, USERS.lead, rollbackId, 'approve')).status,
        ).toBe(200);
        const back = await eventually(async () => {
          const now = await promotion(h, rollbackId);
          return now.status === 'succeeded' ? now : undefined;
        });
        expect(back.progressMessage).toBe('Verified: smoke');
        const view = await get(h, `${PAYMENTS}/pipeline`);
        const stage = view.body.phases.find(
          (x: { id: string }) => x.id === 'stage',
        );
        expect(stage.current.version).toBe('1.0.0');
        expect(stage.checks[0].last).toMatchObject({
          status: 'passed',
          version: '1.0.0',
        });
        // The failed release was verified as it ran: it stayed deploying
        // while verifying, and no second rollback was requested.
        const progress = JSON.parse(
          (await knex('release_promotions').where({ id: p.body.id }).first())
            .progress,
        ).map((e: { message: string }) => e.message);
        expect(progress).toContain('Verifying: smoke');
        expect(
          await countRows(knex, 'release_promotions', {
            phase: 'stage',
            kind: 'rollback',
          }),
        ).toBe(1);
      } finally {
        await health.close();
      }
    });
  });
});
