import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../__testUtils__/fakeServer';
import {
  as,
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

function config(phases: Record<string, JsonObject> = {}): JsonObject {
  const base = pipelineConfig(phases) as { release: JsonObject };
  return {
    release: {
      ...base.release,
      providers: { simulated: { durationMs: 300, steps: ['Rolling out'] } },
      dispatcher: {
        pollIntervalMs: 100,
        followIntervalMs: 100,
        backoffMs: 100,
        callTimeoutMs: 1_000,
        leaseMs: 2_000,
      },
    },
  };
}

const promotion = (h: Harness, id: string) =>
  request(h.server)
    .get(`/api/release/promotions/${id}`)
    .set('Authorization', as(USERS.alice));

const schedule = (
  h: Harness,
  id: string,
  deployAt: string | null,
  user = USERS.alice,
) =>
  request(h.server)
    .put(`/api/release/promotions/${id}/schedule`)
    .set('Authorization', as(user))
    .send({ deployAt });

describe('scheduled promotions (issue 16)', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('invariant 31: a scheduled promotion deploys at its time through the same gates, once; one due in a freeze or without approval ends with the reason', async () => {
      const knex = await databases.init(databaseId);
      const cfg = config({
        qa: {
          freezeWindows: [
            { cron: '* * * * *', duration: 'PT2H', reason: 'QA freeze' },
          ],
        },
      });
      const h = await startReleaseBackend({ knex, config: cfg });
      await seedRelease(h, '2.0.0', ['dev', 'qa', 'stage']);
      await seedRelease(h, '2.3.0');
      const soon = () => new Date(Date.now() + 1_500).toISOString();

      // Bad times: 400, nothing recorded.
      for (const deployAt of [
        'yesterday',
        '2020-01-01T00:00:00Z',
        '2099-01-01T00:00:00Z',
      ]) {
        const bad = await promote(h, USERS.alice, {
          version: '2.3.0',
          phase: 'dev',
          deployAt,
        });
        expect(bad.status).toBe(400);
      }

      // Dev needs no approval: approved, not queued before its time.
      const dev = await promote(h, USERS.alice, {
        version: '2.3.0',
        phase: 'dev',
        deployAt: soon(),
      });
      expect(dev.status).toBe(202);
      expect(dev.body.status).toBe('approved');
      expect(dev.body.scheduledAt).toBeTruthy();
      // Live needs two approvals and gets none: it ends at its time.
      const live = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'live',
        deployAt: soon(),
      });
      expect(live.body.status).toBe('pending_approval');
      // QA is frozen at the time: it ends with the freeze as the reason.
      await seedRelease(h, '2.2.0', ['dev']);
      const qa = await promote(h, USERS.alice, {
        version: '2.2.0',
        phase: 'qa',
        deployAt: soon(),
      });
      expect(qa.body.status).toBe('approved');
      // Re-scheduling: the requester may; carol (no deployer) may not; a past time is a 400.
      expect((await schedule(h, qa.body.id, soon(), USERS.carol)).status).toBe(
        403,
      );
      expect(
        (await schedule(h, qa.body.id, '2020-01-01T00:00:00Z')).status,
      ).toBe(400);
      const moved = await schedule(h, qa.body.id, soon());
      expect(moved.status).toBe(200);
      // The releases matrix shows the schedule and who asked for it.
      const matrix = await request(h.server)
        .get(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice));
      const row = matrix.body.items.find(
        (r: { version: string }) => r.version === '2.2.0',
      );
      expect(row.phases.qa).toMatchObject({
        status: 'approved',
        scheduledAt: moved.body.scheduledAt,
        requestedBy: USERS.alice,
      });
      // The change set says when it would deploy: at its time it is frozen, so it would end.
      const changes = await request(h.server)
        .get(`/api/release/promotions/${qa.body.id}/changes`)
        .set('Authorization', as(USERS.alice));
      expect(changes.status).toBe(200);
      expect(changes.body.gates.deployAt).toMatchObject({
        kind: 'ends',
        at: moved.body.scheduledAt,
        because: 'schedule',
        reason: expect.stringMatching(/^frozen until .*: QA freeze$/),
      });
      const single = await request(h.server)
        .get(`${PAYMENTS}/releases/2.2.0`)
        .set('Authorization', as(USERS.alice));
      expect(single.body.phases.qa.scheduledAt).toBe(moved.body.scheduledAt);
      expect(single.body.phases.dev.scheduledAt).toBeUndefined();

      await new Promise(r => setTimeout(r, 2_000));
      expect((await promotion(h, dev.body.id)).body.status).toBe('approved');
      // The time has come: two replicas' reconcilers run at once.
      const replica = () =>
        startReleaseBackend({
          knex,
          config: cfg,
          features: [mockServices.scheduler.factory()],
        });
      await Promise.all([replica(), replica()]);
      const deployed = await eventually(async () => {
        const now = (await promotion(h, dev.body.id)).body;
        return now.status === 'succeeded' ? now : undefined;
      });
      expect(deployed.status).toBe('succeeded');
      const ended = await eventually(async () => {
        const a = (await promotion(h, live.body.id)).body;
        const b = (await promotion(h, qa.body.id)).body;
        return a.status === 'cancelled' && b.status === 'cancelled'
          ? [a, b]
          : undefined;
      });
      const history = await request(h.server)
        .get(`${PAYMENTS}/history?limit=100`)
        .set('Authorization', as(USERS.alice));
      const reasons = Object.fromEntries(
        history.body.items
          .filter((e: { action: string }) => e.action === 'promotion.cancelled')
          .map((e: { promotionId: string; reason: string; actor: string }) => [
            e.promotionId,
            [e.actor, e.reason],
          ]),
      );
      expect(reasons[ended[0].id][0]).toBe('system:scheduler');
      expect(reasons[ended[0].id][1]).toMatch(
        /Not approved by its scheduled time/,
      );
      expect(reasons[ended[1].id][1]).toMatch(
        /QA\/Demo is frozen until .*QA freeze/,
      );
      // Deployed exactly once.
      const deploys = history.body.items.filter(
        (e: { action: string; promotionId: string }) =>
          e.action === 'promotion.deploying' && e.promotionId === dev.body.id,
      );
      expect(deploys).toHaveLength(1);
    });

    it('invariant 31: a due scheduled promotion is run by its own task every 5 seconds, not only by the 30-second reconciler', async () => {
      const knex = await databases.init(databaseId);
      const scheduler = mockServices.scheduler();
      const tasks: Array<{ id: string; frequency?: unknown }> = [];
      const scheduleTask = scheduler.scheduleTask.bind(scheduler);
      scheduler.scheduleTask = async task => {
        tasks.push(task);
        return scheduleTask(task);
      };
      const h = await startReleaseBackend({
        knex,
        config: config(),
        // This scheduler runs a task only when the test triggers it.
        features: [
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
        ],
      });
      expect(tasks.find(t => t.id === 'release-scheduled-promotions')).toEqual(
        expect.objectContaining({ frequency: { seconds: 5 } }),
      );
      expect(tasks.find(t => t.id === 'release-reconciler')).toEqual(
        expect.objectContaining({ frequency: { seconds: 30 } }),
      );
      await seedRelease(h, '2.0.0', []);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
        deployAt: new Date(Date.now() + 1_000).toISOString(),
      });
      expect(p.body.status).toBe('approved');
      await new Promise(r => setTimeout(r, 1_500));
      expect((await promotion(h, p.body.id)).body.status).toBe('approved');
      // Due: the task (not the reconciler) queues it, and it deploys.
      await scheduler.triggerTask('release-scheduled-promotions');
      const done = await eventually(async () => {
        const b = (await promotion(h, p.body.id)).body;
        return b.status === 'succeeded' ? b : undefined;
      });
      expect(done.status).toBe('succeeded');
    });

    it('approvals may be given before the time; the promotion deploys only at its time', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({ knex, config: config() });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
        deployAt: new Date(Date.now() + 60 * 60_000).toISOString(),
      });
      expect(p.body.status).toBe('pending_approval');
      const approved = await decide(h, USERS.lead, p.body.id, 'approve');
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      // Cleared: deploys as soon as approved (now).
      const now = await schedule(h, p.body.id, null);
      expect(now.status).toBe(200);
      const done = await eventually(async () => {
        const b = (await promotion(h, p.body.id)).body;
        return b.status === 'succeeded' ? b : undefined;
      });
      expect(done.scheduledAt).toBeUndefined();
      // Finished: a re-schedule is a 409 that says why, and changes nothing.
      const late = await schedule(
        h,
        p.body.id,
        new Date(Date.now() + 60_000).toISOString(),
      );
      expect(late.status).toBe(409);
      expect(late.body.error.message).toMatch(
        /is succeeded; only a promotion that is not queued yet/,
      );
      expect((await promotion(h, p.body.id)).body.scheduledAt).toBeUndefined();
    });

    it('invariant 31: deployment windows hold approved promotions until a window opens; "next window" schedules for its opening; an override names the window', async () => {
      const knex = await databases.init(databaseId);
      // One window a day, opening 12 hours from now: closed now.
      const hour = (new Date().getUTCHours() + 12) % 24;
      const h = await startReleaseBackend({
        knex,
        config: config({
          dev: {
            deploymentWindows: [
              { cron: `0 ${hour} * * *`, duration: 'PT1H', timezone: 'UTC' },
            ],
          },
        }),
      });
      await seedRelease(h, '5.0.0');
      await seedRelease(h, '5.1.0');
      const waiting = await promote(h, USERS.alice, {
        version: '5.0.0',
        phase: 'dev',
      });
      expect(waiting.status).toBe(202);
      expect(waiting.body.status).toBe('approved');
      const next = await promote(h, USERS.alice, {
        version: '5.1.0',
        phase: 'dev',
        deployInNextWindow: true,
      });
      expect(next.status).toBe(202);
      expect(new Date(next.body.scheduledAt).getUTCHours()).toBe(hour);
      expect(Date.parse(next.body.scheduledAt) - Date.now()).toBeGreaterThan(
        11 * 3600_000,
      );
      // The change sets: a preview would deploy at the next opening; the
      // scheduled promotion at its time.
      const previewed = await request(h.server)
        .get(`${PAYMENTS}/changes`)
        .query({ version: '5.1.0', phase: 'dev' })
        .set('Authorization', as(USERS.alice));
      expect(previewed.status).toBe(200);
      expect(previewed.body.gates.deployAt).toEqual({
        kind: 'at',
        at: next.body.scheduledAt,
        because: 'window',
        blockedBy: [],
      });
      const scheduledChanges = await request(h.server)
        .get(`/api/release/promotions/${next.body.id}/changes`)
        .set('Authorization', as(USERS.alice));
      expect(scheduledChanges.body.gates.deployAt).toEqual({
        kind: 'scheduled',
        at: next.body.scheduledAt,
        because: 'schedule',
        blockedBy: [],
      });
      // A phase without windows cannot be scheduled into one.
      await seedRelease(h, '5.2.0', ['dev']);
      const none = await promote(h, USERS.alice, {
        version: '5.2.0',
        phase: 'qa',
        deployInNextWindow: true,
      });
      expect(none.status).toBe(400);
      expect(none.body.error.message).toMatch(/no deployment windows/);

      // Re-schedule takes the same choices as the request.
      const put = (id: string, body: object, user = USERS.alice) =>
        request(h.server)
          .put(`/api/release/promotions/${id}/schedule`)
          .set('Authorization', as(user))
          .send(body);
      // (5.1.0 superseded the waiting 5.0.0: the phase's one waiting promotion is next.)
      const both = await put(next.body.id, {
        deployAt: new Date(Date.now() + 60_000).toISOString(),
        deployInNextWindow: true,
      });
      expect(both.status).toBe(400);
      expect(both.body.error.message).toMatch(/not both/);
      const denied = await put(
        next.body.id,
        { deployInNextWindow: true },
        USERS.carol,
      );
      expect(denied.status).toBe(403);
      // Neither: as soon as approved (here: held by the closed window, unscheduled).
      const cleared = await put(next.body.id, {});
      expect(cleared.status).toBe(200);
      expect(cleared.body.scheduledAt).toBeUndefined();
      expect(cleared.body.status).toBe('approved');
      const intoWindow = await put(next.body.id, { deployInNextWindow: true });
      expect(intoWindow.status).toBe(200);
      expect(intoWindow.body.scheduledAt).toBe(next.body.scheduledAt);
      // A phase without windows: 400, the time stays as it was.
      const qaWaiting = await promote(h, USERS.alice, {
        version: '5.2.0',
        phase: 'qa',
        deployAt: new Date(Date.now() + 3600_000).toISOString(),
      });
      expect(qaWaiting.status).toBe(202);
      const noWindow = await put(qaWaiting.body.id, {
        deployInNextWindow: true,
      });
      expect(noWindow.status).toBe(400);
      expect(noWindow.body.error.message).toMatch(
        /has no deployment windows; give deployAt instead/,
      );
      expect((await promotion(h, qaWaiting.body.id)).body.scheduledAt).toBe(
        qaWaiting.body.scheduledAt,
      );
    });
  });
});
