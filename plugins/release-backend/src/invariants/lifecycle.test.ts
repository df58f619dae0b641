import { mockCredentials } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import { RELEASE_LIFECYCLE_TOPIC } from '@release-manager/backstage-plugin-release-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually, json, startFakeServer } from '../__testUtils__/fakeServer';
import {
  as,
  decide,
  Harness,
  HarnessOptions,
  PAYMENTS,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';
import { capturedLines, SECRET_MARKER } from '../__testUtils__/secretScan';
import {
  signWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '../providers/WebhookProvider';

jest.setTimeout(120_000);

const ENTITY = 'component:default/payments-api';
const TEAM = 'group:default/team-payments';
const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
const KEY = Buffer.alloc(32, 7).toString('base64');
const link = (id: string) =>
  `/catalog/default/component/payments-api/releases?promotion=${id}`;

/** Event types of one promotion, in publication order. */
const typesOf = (h: Harness, promotionId: string) =>
  h
    .lifecycle()
    .filter(e => e.promotionId === promotionId)
    .map(e => e.type);

const eventOf = (h: Harness, promotionId: string, type: string) =>
  h.lifecycle().find(e => e.promotionId === promotionId && e.type === type);

/** Waits until the promotion's events reached `type`. */
const until = (h: Harness, promotionId: string, type: string) =>
  eventually(
    async () => eventOf(h, promotionId, type),
    10_000,
    `${type} of ${promotionId}`,
  );

/** Waits until a notification with this title prefix was sent. */
const notified = (h: Harness, title: string) =>
  eventually(
    async () => h.notifications.find(n => n.payload.title.startsWith(title)),
    10_000,
    `notification "${title}"`,
  );

/** Dev and QA deploy with the given provider; stage needs one approval, live two. */
function deployConfig(dev: JsonObject): JsonObject {
  const base = pipelineConfig({ dev: { provider: dev } }) as {
    release: JsonObject;
  };
  return {
    release: {
      ...base.release,
      secrets: { keys: [{ id: 'k1', key: KEY }] },
      providers: {
        webhook: { secret: WEBHOOK_SECRET, timeoutMs: 1_000 },
        simulated: { durationMs: 300, steps: ['Pulling image'] },
      },
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

describe('lifecycle events and notifications', () => {
  const databases = createTestDatabases();
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map(c => c()));
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(options: Partial<HarnessOptions> = {}) {
      return startReleaseBackend({
        knex: await databases.init(databaseId),
        config: pipelineConfig(),
        ...options,
      });
    }

    it('publishes release.created, with the documented payload, when CI creates a release', async () => {
      const h = await start();
      const created = await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          version: '3.1.0',
          artifact: 'registry.example.com/pay@sha256:31',
          commit: 'abc1234',
          notes: 'Faster refunds',
        });
      expect(created.status).toBe(201);
      const event = await eventually(async () =>
        h.events.find(e => e.metadata?.type === 'release.created'),
      );
      expect(event.topic).toBe(RELEASE_LIFECYCLE_TOPIC);
      expect(event.metadata).toEqual({
        type: 'release.created',
        entityRef: ENTITY,
      });
      expect(event.eventPayload).toEqual({
        type: 'release.created',
        entityRef: ENTITY,
        version: '3.1.0',
        artifact: 'registry.example.com/pay@sha256:31',
        commit: 'abc1234',
        actor: created.body.createdBy,
        link: '/catalog/default/component/payments-api/releases',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(created.body.createdBy).toMatch(/^service:/);
      // A new release notifies no one.
      expect(h.notifications).toEqual([]);
    });

    it('a promotion waiting for approval notifies the approvers (not the requester); approval notifies the requester; cancel by another notifies them too', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
        comment: 'Ready for stage',
      });
      expect(p.status).toBe(202);
      const id = p.body.id;

      const requested = await until(h, id, 'promotion.requested');
      expect(requested).toEqual({
        type: 'promotion.requested',
        entityRef: ENTITY,
        phase: 'stage',
        version: '2.0.0',
        promotionId: id,
        kind: 'promote',
        status: 'pending_approval',
        requestedBy: USERS.alice,
        actor: USERS.alice,
        message: 'Ready for stage',
        link: link(id),
        at: expect.any(String),
      });
      const ask = await notified(h, 'Approval needed');
      expect(ask).toEqual<NotificationSendOptions>({
        // The phase's approvers default to the owners; the requester is
        // taken out of the resolved recipients.
        recipients: {
          type: 'entity',
          entityRef: [TEAM],
          excludeEntityRef: [USERS.alice],
        },
        payload: {
          title: 'Approval needed: payments-api 2.0.0 into Stage',
          description: `${USERS.alice} asks to promote ${ENTITY} 2.0.0 into Stage: Ready for stage`,
          link: link(id),
          severity: 'normal',
          topic: 'release-approvals',
          scope: `release-promotion:${id}:approval`,
          metadata: {
            eventType: 'promotion.requested',
            entityRef: ENTITY,
            promotionId: id,
          },
        },
      });

      expect((await decide(h, USERS.lead, id, 'approve')).status).toBe(200);
      await until(h, id, 'promotion.queued');
      const approved = await notified(h, 'Approved');
      expect(approved.recipients).toEqual({
        type: 'entity',
        entityRef: [USERS.alice],
      });
      expect(approved.payload).toMatchObject({
        title: 'Approved: payments-api 2.0.0 into Stage',
        description: `Approved by ${USERS.lead}; it deploys when Stage is free.`,
        link: link(id),
        topic: 'release-outcomes',
        scope: `release-promotion:${id}`,
      });
      expect(eventOf(h, id, 'promotion.approved')).toMatchObject({
        status: 'approved',
        previousStatus: 'pending_approval',
        actor: USERS.lead,
        requestedBy: USERS.alice,
        kind: 'promote',
      });
      expect(eventOf(h, id, 'promotion.decision_recorded')).toMatchObject({
        decision: 'approve',
        actor: USERS.lead,
      });

      expect(
        (
          await decide(h, USERS.bob, id, 'cancel', {
            comment: 'Stage is being rebuilt',
          })
        ).status,
      ).toBe(200);
      const cancelled = await notified(h, 'Cancelled');
      expect(cancelled.recipients).toEqual({
        type: 'entity',
        entityRef: [USERS.alice],
      });
      expect(cancelled.payload.description).toBe(
        `Cancelled by ${USERS.bob}: Stage is being rebuilt`,
      );
      expect(typesOf(h, id)).toEqual([
        'promotion.requested',
        'promotion.decision_recorded',
        'promotion.approved',
        'promotion.queued',
        'promotion.cancelled',
      ]);
      // Exactly three notifications, none of them to the requester's own action.
      expect(h.notifications.map(n => n.payload.title)).toEqual([
        'Approval needed: payments-api 2.0.0 into Stage',
        'Approved: payments-api 2.0.0 into Stage',
        'Cancelled: payments-api 2.0.0 into Stage',
      ]);
    });

    it('a rejection notifies the requester with the reason', async () => {
      const h = await start();
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      const id = p.body.id;
      const rejected = await decide(h, USERS.bob, id, 'reject', {
        comment: 'Migrations are not reviewed',
      });
      expect(rejected.status).toBe(200);
      const note = await notified(h, 'Rejected');
      expect(note).toMatchObject({
        recipients: { type: 'entity', entityRef: [USERS.alice] },
        payload: {
          title: 'Rejected: payments-api 2.0.0 into Stage',
          description: `Rejected by ${USERS.bob}: Migrations are not reviewed`,
          severity: 'high',
          link: link(id),
        },
      });
      await until(h, id, 'promotion.rejected');
      expect(typesOf(h, id)).toEqual([
        'promotion.requested',
        'promotion.decision_recorded',
        'promotion.rejected',
      ]);
      expect(eventOf(h, id, 'promotion.rejected')).toMatchObject({
        status: 'rejected',
        previousStatus: 'pending_approval',
        message: 'Migrations are not reviewed',
      });
    });

    it('N-of-M: one approval of two keeps the approvers waiting; a configuration change asks them again', async () => {
      const h = await start({
        config: {
          release: {
            ...(pipelineConfig() as { release: JsonObject }).release,
            secrets: { keys: [{ id: 'k1', key: KEY }] },
          },
        },
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa', 'stage']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'live',
      });
      const id = p.body.id;
      expect((await decide(h, USERS.lead, id, 'approve')).status).toBe(200);
      await until(h, id, 'promotion.decision_recorded');
      // A secret value set in the phase must never reach an event or a notification.
      const secret = await request(h.server)
        .put(`${PAYMENTS}/phases/live/secrets/DB_PASSWORD`)
        .set('Authorization', as(USERS.alice))
        .send({ value: `${SECRET_MARKER}live-db-9d1e` });
      expect(secret.status).toBe(204);

      const again = await until(h, id, 'promotion.approvals_invalidated');
      expect(again).toMatchObject({
        status: 'pending_approval',
        previousStatus: 'pending_approval',
        configVersion: 1,
        actor: USERS.alice,
      });
      const changed = h
        .lifecycle()
        .find(e => e.type === 'phase.config_changed');
      expect(changed).toEqual({
        type: 'phase.config_changed',
        entityRef: ENTITY,
        phase: 'live',
        configVersion: 1,
        actor: USERS.alice,
        message: 'secret DB_PASSWORD set',
        link: '/catalog/default/component/payments-api/releases',
        at: expect.any(String),
      });
      const reask = await notified(h, 'Approve again');
      expect(reask.recipients).toEqual({
        type: 'entity',
        entityRef: [TEAM],
        excludeEntityRef: [USERS.alice],
      });
      expect(reask.payload.scope).toBe(`release-promotion:${id}:approval`);
      expect(typesOf(h, id)).toEqual([
        'promotion.requested',
        'promotion.decision_recorded',
        'promotion.approvals_invalidated',
      ]);
      expect(JSON.stringify([h.events, h.notifications])).not.toContain(
        SECRET_MARKER,
      );
    });

    it('a deployment through the simulated provider: queued, deploying, succeeded; the requester hears it is running', async () => {
      const h = await start({ config: deployConfig({ type: 'simulated' }) });
      await seedRelease(h, '2.0.0');
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      expect(p.status).toBe(202);
      const id = p.body.id;
      await until(h, id, 'promotion.succeeded');
      expect(typesOf(h, id)).toEqual([
        'promotion.requested',
        'promotion.queued',
        'promotion.deploying',
        'promotion.succeeded',
      ]);
      expect(eventOf(h, id, 'promotion.requested')).toMatchObject({
        status: 'approved',
      });
      expect(eventOf(h, id, 'promotion.succeeded')).toMatchObject({
        status: 'succeeded',
        previousStatus: 'deploying',
        actor: 'system:dispatcher',
        requestedBy: USERS.alice,
      });
      const done = await notified(h, 'Deployed');
      expect(done).toMatchObject({
        recipients: { type: 'entity', entityRef: [USERS.alice] },
        payload: {
          title: 'Deployed: payments-api 2.0.0 into Dev',
          description: 'payments-api 2.0.0 is running in Dev.',
          link: link(id),
        },
      });
      // Dev needs no approval: nobody was asked to approve.
      expect(h.notifications).toHaveLength(1);
    });

    it('a deployment the webhook provider reports failed (signed callback) notifies the requester', async () => {
      const server = await startFakeServer((_req, res) =>
        json(res, 200, {
          status: 'running',
          externalId: 'run-42',
          url: 'https://ci.example.com/run/42',
        }),
      );
      closers.push(server.close);
      const h = await start({
        config: deployConfig({ type: 'webhook', url: `${server.url}/deploy` }),
      });
      await seedRelease(h, '2.0.0');
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      const id = p.body.id;
      const deploying = await until(h, id, 'promotion.deploying');
      expect(deploying.externalUrl).toBe('https://ci.example.com/run/42');

      const body = JSON.stringify({
        promotionId: id,
        status: 'failed',
        message: 'Image pull failed',
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const callback = await request(h.server)
        .post('/api/release/callbacks/webhook')
        .set('content-type', 'application/json')
        .set(WEBHOOK_TIMESTAMP_HEADER, timestamp)
        .set(
          WEBHOOK_SIGNATURE_HEADER,
          signWebhook(WEBHOOK_SECRET, timestamp, body),
        )
        .send(body);
      expect(callback.status).toBe(204);

      const failed = await until(h, id, 'promotion.failed');
      expect(failed).toMatchObject({
        status: 'failed',
        previousStatus: 'deploying',
        actor: 'system:webhook-callback',
        message: 'Image pull failed',
      });
      const note = await notified(h, 'Deployment failed');
      expect(note).toMatchObject({
        recipients: { type: 'entity', entityRef: [USERS.alice] },
        payload: {
          title: 'Deployment failed: payments-api 2.0.0 into Dev',
          description: 'The deployment to Dev failed: Image pull failed',
          severity: 'high',
          link: link(id),
        },
      });
      expect(typesOf(h, id)).toEqual([
        'promotion.requested',
        'promotion.queued',
        'promotion.deploying',
        'promotion.failed',
      ]);
    });

    it('a failing or hanging notifications service never fails or slows the request; events still flow; one warning', async () => {
      const failing = await start({
        notifications: {
          async send() {
            throw new Error('notifications backend is down');
          },
        },
      });
      const warningsBefore = capturedLines('log warn').filter(l =>
        l.includes('Could not send the release notification'),
      ).length;
      await seedRelease(failing, '2.0.0', ['dev', 'qa']);
      await seedRelease(failing, '2.1.0', ['dev', 'qa']);
      const first = await promote(failing, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(first.status).toBe(202);
      const second = await promote(failing, USERS.alice, {
        version: '2.1.0',
        phase: 'stage',
      });
      expect(second.status).toBe(202);
      await until(failing, second.body.id, 'promotion.requested');
      // Both sends were tried and failed; only the first failure is a warning.
      await eventually(async () => failing.notifications.length === 2);
      await eventually(
        async () =>
          capturedLines('log debug').some(l =>
            l.includes('notifications backend is down'),
          ),
        10_000,
        'the second failure at debug level',
      );
      const warnings = capturedLines('log warn').filter(l =>
        l.includes('Could not send the release notification'),
      );
      expect(warnings.length - warningsBefore).toBe(1);
      expect(warnings[warnings.length - 1]).toMatch(
        /notifications backend is down.*Is the notifications backend plugin installed/,
      );

      const hanging = await start({
        notifications: { send: () => new Promise<void>(() => {}) },
      });
      await seedRelease(hanging, '2.0.0', ['dev', 'qa']);
      const began = Date.now();
      const slow = await promote(hanging, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(slow.status).toBe(202);
      expect(Date.now() - began).toBeLessThan(2_000);
      // The events publisher has its own queue: it is not held up.
      await until(hanging, slow.body.id, 'promotion.requested');
      expect(
        (await decide(hanging, USERS.lead, slow.body.id, 'approve')).status,
      ).toBe(200);
      await until(hanging, slow.body.id, 'promotion.queued');
    });

    it('without the notifications backend installed, the default notification service fails once with a warning and nothing else breaks', async () => {
      const warningsOf = () =>
        capturedLines('log warn').filter(l =>
          l.includes('Could not send the release notification'),
        );
      const before = warningsOf().length;
      const h = await start({ notifications: 'default' });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(p.status).toBe(202);
      await until(h, p.body.id, 'promotion.requested');
      const warning = await eventually(
        async () => warningsOf().length > before && warningsOf()[before],
        10_000,
        'the warning',
      );
      expect(warning).toMatch(/Failed to send notifications/);
      expect((await decide(h, USERS.lead, p.body.id, 'approve')).status).toBe(
        200,
      );
      await until(h, p.body.id, 'promotion.queued');
      // The approval notification failed too, but only the first was a warning.
      await eventually(
        async () =>
          capturedLines('log debug').some(
            l =>
              l.includes('Could not send the release notification') &&
              l.includes('Approved:'),
          ),
        10_000,
        'the second failure at debug level',
      );
      expect(warningsOf().length - before).toBe(1);
    });

    it('release.notifications.enabled: false sends nothing, and events are still published', async () => {
      const base = pipelineConfig() as { release: JsonObject };
      const h = await start({
        config: {
          release: { ...base.release, notifications: { enabled: false } },
        },
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      await decide(h, USERS.lead, p.body.id, 'approve');
      await until(h, p.body.id, 'promotion.queued');
      expect(h.notifications).toEqual([]);
    });
  });
});
