import {
  nextDeploymentWindow,
  PipelineView,
} from '@release-manager/backstage-plugin-release-common';
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import {
  as,
  PAYMENTS,
  pipelineConfig,
  startReleaseBackend,
  USERS,
} from '../../__testUtils__/harness';

jest.setTimeout(120_000);

describe('release plan and deployment windows through the real wiring', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start() {
      const knex = await databases.init(databaseId);
      return startReleaseBackend({
        knex,
        config: pipelineConfig({
          // Always open: a window starting every minute lasting an hour.
          stage: {
            deploymentWindows: [{ cron: '* * * * *', duration: 'PT1H' }],
          },
          // Open only on the first minute of the year, Berlin time.
          live: {
            deploymentWindows: [
              {
                cron: '0 0 1 1 *',
                duration: 'PT1M',
                timezone: 'Europe/Berlin',
                reason: 'new year',
              },
            ],
          },
        }),
      });
    }

    it('shows each phase’s deployment windows, whether one is open and when the next opens', async () => {
      const h = await start();
      const before = new Date();
      const res = await request(h.server)
        .get(`${PAYMENTS}/pipeline`)
        .set('Authorization', as(USERS.alice));
      expect(res.status).toBe(200);
      const phases = (res.body as PipelineView).phases;
      const byId = Object.fromEntries(phases.map(p => [p.id, p]));
      expect(byId.dev.deploymentWindows).toEqual({
        restricted: false,
        open: true,
        windows: [],
      });
      expect(byId.stage.deploymentWindows).toMatchObject({
        restricted: true,
        open: true,
        windows: [{ cron: '* * * * *', duration: 'PT1H' }],
      });
      const live = byId.live.deploymentWindows!;
      expect(live.restricted).toBe(true);
      expect(live.windows[0].reason).toBe('new year');
      const expected = nextDeploymentWindow(
        { id: 'live', deploymentWindows: live.windows },
        before,
      );
      expect(live.open).toBe(expected.open);
      expect(live.next).toEqual(expected.next);
      expect(live.next!.startedAt).toMatch(/-12-31T23:00:00.000Z$/);
    });

    it('keeps a planned date per phase: set on create, changed and cleared by PATCH, recorded in the history', async () => {
      const h = await start();
      const created = await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice))
        .send({
          version: '4.0.0',
          artifact: 'registry.example.com/app@sha256:4',
          committedAt: '2026-11-20T08:00:00Z',
          plannedAt: { stage: '2026-12-01', live: '2026-12-03T09:00:00Z' },
        });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        committedAt: '2026-11-20T08:00:00.000Z',
        plannedAt: {
          stage: '2026-12-01T00:00:00.000Z',
          live: '2026-12-03T09:00:00.000Z',
        },
      });

      const patched = await request(h.server)
        .patch(`${PAYMENTS}/releases/4.0.0/plan`)
        .set('Authorization', as(USERS.alice))
        .send({
          plannedAt: {
            live: '2026-12-10T09:00:00Z',
            stage: null,
            qa: '2026-11-28T12:00:00Z',
          },
        });
      expect(patched.status).toBe(200);
      expect(patched.body.plannedAt).toEqual({
        qa: '2026-11-28T12:00:00.000Z',
        live: '2026-12-10T09:00:00.000Z',
      });
      expect(patched.body.phases).toEqual({});

      // The release list and the release detail show the plan.
      const list = await request(h.server)
        .get(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice));
      expect(list.body.items[0].plannedAt).toEqual(patched.body.plannedAt);
      expect(list.body.items[0].committedAt).toBe('2026-11-20T08:00:00.000Z');

      const history = await h.store.listHistory(
        'component:default/payments-api',
        { limit: 10 },
      );
      const entry = history.items.find(e => e.action === 'release.plan');
      expect(entry).toMatchObject({
        actor: USERS.alice,
        version: '4.0.0',
        before: {
          plannedAt: {
            stage: '2026-12-01T00:00:00.000Z',
            live: '2026-12-03T09:00:00.000Z',
          },
        },
        after: { plannedAt: patched.body.plannedAt },
      });
      expect(
        h.audit
          .filter(e => e.eventId === 'release-plan-update')
          .map(e => e.status),
      ).toEqual(['initiated', 'succeeded']);
    });

    it('lets only those who may create releases change a plan, and refuses bad plans with a 400 that changes nothing', async () => {
      const h = await start();
      await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice))
        .send({
          version: '4.1.0',
          artifact: 'a',
          plannedAt: { live: '2026-12-03' },
        })
        .expect(201);
      const patch = (user: string, body: object, version = '4.1.0') =>
        request(h.server)
          .patch(`${PAYMENTS}/releases/${version}/plan`)
          .set('Authorization', as(user))
          .send(body);

      // carol is in another team: not an owner nor a deployer.
      expect(
        (await patch(USERS.carol, { plannedAt: { live: null } })).status,
      ).toBe(403);
      const unknownPhase = await patch(USERS.alice, {
        plannedAt: { prod: '2026-12-01' },
      });
      expect(unknownPhase.status).toBe(400);
      expect(unknownPhase.body.error.message).toMatch(
        /'prod' is not a phase of the pipeline \(dev, qa, stage, live\)/,
      );
      const badDate = await patch(USERS.alice, { plannedAt: { live: 'soon' } });
      expect(badDate.status).toBe(400);
      expect(
        (await patch(USERS.alice, { plannedAt: { live: null } }, '9.9.9'))
          .status,
      ).toBe(404);
      const badCreate = await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice))
        .send({
          version: '4.2.0',
          artifact: 'a',
          plannedAt: { nope: '2026-12-03' },
        });
      expect(badCreate.status).toBe(400);

      const release = await h.store.getRelease(
        'component:default/payments-api',
        '4.1.0',
      );
      expect(release?.plannedAt).toEqual({ live: '2026-12-03T00:00:00.000Z' });
      expect(
        await h.store.getRelease('component:default/payments-api', '4.2.0'),
      ).toBeUndefined();
      const history = await h.store.listHistory(
        'component:default/payments-api',
        { limit: 10 },
      );
      expect(history.items.filter(e => e.action === 'release.plan')).toEqual(
        [],
      );
    });
  });
});
