import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../__testUtils__/fakeServer';
import { ENTITIES } from '../__testUtils__/fixtures';
import {
  as,
  countRows,
  decide,
  Harness,
  HarnessOptions,
  seedRelease,
  startReleaseBackend,
  TestPolicy,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

const SHOP = 'system:default/shop';
const PAY = 'component:default/payments-api';
const CART = 'component:default/cart-api';
const WEB = 'component:default/checkout-web';

function member(
  name: string,
  pipeline: string,
  dependsOn: string[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'release.backstage.io/pipeline': pipeline },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-payments',
      system: 'shop',
    },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/team-payments' },
      { type: 'partOf', targetRef: SHOP },
      ...dependsOn.map(d => ({ type: 'dependsOn', targetRef: d })),
    ],
  };
}

/** The shop System: checkout-web → cart-api → payments-api (dependsOn). */
function shopEntities(cartPipeline = 'default', cycle = false): Entity[] {
  return [
    ...ENTITIES.filter(e => e.metadata.name !== 'payments-api'),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'shop', namespace: 'default' },
      spec: { owner: 'group:default/team-payments' },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/team-payments' },
        { type: 'hasPart', targetRef: WEB },
        { type: 'hasPart', targetRef: CART },
        { type: 'hasPart', targetRef: PAY },
      ],
    },
    // Listed out of order: the train orders them by dependsOn.
    member('checkout-web', 'default', [CART]),
    // With `cycle`, payments-api depends on checkout-web: no order exists.
    member('payments-api', 'default', cycle ? [WEB] : []),
    member('cart-api', cartPipeline, [PAY]),
  ];
}

const PHASES: JsonObject[] = [
  { id: 'dev', title: 'Dev' },
  { id: 'qa', title: 'QA/Demo' },
  { id: 'stage', title: 'Stage', approvals: { required: 1 } },
  { id: 'live', title: 'Live', approvals: { required: 2 } },
];

function config(): JsonObject {
  return {
    release: {
      providers: { simulated: { durationMs: 300, steps: ['Rolling out'] } },
      dispatcher: {
        pollIntervalMs: 100,
        followIntervalMs: 100,
        backoffMs: 100,
        callTimeoutMs: 1_000,
        leaseMs: 2_000,
      },
      pipelines: {
        default: { phases: PHASES },
        // Same phases; its Stage deployments always fail.
        shaky: {
          phases: PHASES.map(p =>
            p.id === 'stage'
              ? { ...p, provider: { type: 'simulated', failureRate: 1 } }
              : p,
          ),
        },
      },
      trains: [{ system: SHOP, title: 'Shop', phases: ['stage', 'live'] }],
    },
  };
}

async function start(
  knex: HarnessOptions['knex'],
  options: {
    cartPipeline?: string;
    cycle?: boolean;
    policy?: TestPolicy;
    hiddenFrom?: Record<string, string[]>;
  } = {},
) {
  const h = await startReleaseBackend({
    knex,
    config: config(),
    entities: shopEntities(options.cartPipeline, options.cycle),
    policy: options.policy,
    hiddenFrom: options.hiddenFrom,
  });
  // What runs in Stage: 1.0.0 of each; 1.1.0 passed QA.
  for (const ref of [PAY, CART, WEB]) {
    await seedRelease(h, '1.0.0', ['dev', 'qa', 'stage'], ref);
    await seedRelease(h, '1.1.0', ['dev', 'qa'], ref);
  }
  return h;
}

const requestTrain = (h: Harness, user: string, body: JsonObject = {}) =>
  request(h.server)
    .post('/api/release/trains')
    .set('Authorization', as(user))
    .send({ system: SHOP, phase: 'stage', ...body });

const train = (h: Harness, id: string, user = USERS.alice) =>
  request(h.server)
    .get(`/api/release/trains/${id}`)
    .set('Authorization', as(user));

const trainAction = (
  h: Harness,
  id: string,
  action: 'approve' | 'reject' | 'cancel' | 'rollback',
  user: string,
  body: JsonObject = {},
) =>
  request(h.server)
    .post(`/api/release/trains/${id}/${action}`)
    .set('Authorization', as(user))
    .send(body);

async function memberRows(h: Harness) {
  return h
    .knex('release_promotions')
    .whereNotNull('train_id')
    .select('id', 'entity_ref', 'status', 'started_at', 'finished_at');
}

describe('release trains (issue 17)', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('invariant 38: one approval deploys every member, in dependsOn order; no self-approval, no decision on a member alone', async () => {
      const h = await start(await databases.init(databaseId));

      const plan = await request(h.server)
        .get('/api/release/entities/system/default/shop/train-plan?phase=stage')
        .set('Authorization', as(USERS.alice));
      expect(plan.status).toBe(200);
      expect(plan.body).toMatchObject({
        system: SHOP,
        phase: 'stage',
        phaseTitle: 'Stage',
        canRequest: true,
        members: [
          { entityRef: PAY, order: 1, version: '1.1.0', fromVersion: '1.0.0' },
          { entityRef: CART, order: 2, version: '1.1.0', dependsOn: [PAY] },
          { entityRef: WEB, order: 3, version: '1.1.0', dependsOn: [CART] },
        ],
      });
      const defs = await request(h.server)
        .get('/api/release/train-definitions')
        .set('Authorization', as(USERS.alice));
      expect(defs.body.items).toEqual([
        {
          system: SHOP,
          title: 'Shop',
          phases: [
            { id: 'stage', title: 'Stage' },
            { id: 'live', title: 'Live' },
          ],
          members: [PAY, CART, WEB],
        },
      ]);

      const created = await requestTrain(h, USERS.alice, { comment: 'go' });
      expect(created.status).toBe(202);
      const id = created.body.id;
      expect(created.body).toMatchObject({
        system: SHOP,
        title: 'Shop',
        status: 'pending_approval',
        requestedBy: USERS.alice,
        approvals: { required: 1, given: [] },
        canDecide: false,
        cannotDecideReason: 'You requested this train',
        rollbackAvailable: false,
      });
      expect(created.body.members.map((m: any) => m.entityRef)).toEqual([
        PAY,
        CART,
        WEB,
      ]);
      // Ordinary promotions with the train's id, through the request path.
      const rows = await memberRows(h);
      expect(rows).toHaveLength(3);
      expect(rows.every(r => r.status === 'pending_approval')).toBe(true);
      const second = await request(h.server)
        .get(`/api/release/promotions/${created.body.members[1].promotionId}`)
        .set('Authorization', as(USERS.alice));
      expect(second.body.trainId).toBe(id);
      // The pipeline tells a member from an ordinary promotion (the portal
      // offers the train's decision instead of the member's).
      const pipeline = await request(h.server)
        .get('/api/release/entities/component/default/cart-api/pipeline')
        .set('Authorization', as(USERS.alice));
      const stage = pipeline.body.phases.find((p: any) => p.id === 'stage');
      expect(stage.pending).toEqual([
        expect.objectContaining({ version: '1.1.0', trainId: id }),
      ]);

      // The approvers hear of the train once, with the train's deep link.
      const notes = h.notifications.filter(n =>
        n.payload.link?.includes('/trains?train='),
      );
      expect(notes).toHaveLength(1);
      expect(notes[0].payload.link).toBe(
        `/catalog/default/system/shop/trains?train=${id}`,
      );
      expect(
        h.notifications.filter(n => n.payload.link?.includes('promotion=')),
      ).toHaveLength(0);

      // A member on its own is neither decided nor requested again.
      const alone = await decide(
        h,
        USERS.bob,
        created.body.members[0].promotionId,
        'approve',
      );
      expect(alone.status).toBe(409);
      expect(alone.body.error.message).toContain('approve the train');
      const single = await request(h.server)
        .post('/api/release/entities/component/default/cart-api/promotions')
        .set('Authorization', as(USERS.lead))
        .send({ version: '1.1.0', phase: 'stage' });
      expect(single.status).toBe(409);

      // No self-approval: refused, nothing recorded.
      const self = await trainAction(h, id, 'approve', USERS.alice);
      expect(self.status).toBe(403);
      expect(await countRows(h.knex, 'release_approvals')).toBe(0);

      const view = await train(h, id, USERS.bob);
      expect(view.body.canDecide).toBe(true);
      const approved = await trainAction(h, id, 'approve', USERS.bob, {
        comment: 'ship it',
      });
      expect(approved.status).toBe(200);
      // One approval of the train is one approval on each member.
      expect(
        await countRows(h.knex, 'release_approvals', { decision: 'approve' }),
      ).toBe(3);

      const done = await eventually(
        async () => {
          const res = await train(h, id);
          return res.body.status === 'succeeded' && res.body;
        },
        30_000,
        'the train to succeed',
      );
      expect(done.approvals.given).toEqual([
        expect.objectContaining({ by: USERS.bob, comment: 'ship it' }),
      ]);
      // Dispatch order: each member started only after the one before it
      // finished (payments-api, then cart-api, then checkout-web).
      const after = await memberRows(h);
      const byRef = (ref: string) => after.find(r => r.entity_ref === ref)!;
      const t = (v: unknown) => new Date(v as string).getTime();
      expect(t(byRef(CART).started_at)).toBeGreaterThanOrEqual(
        t(byRef(PAY).finished_at),
      );
      expect(t(byRef(WEB).started_at)).toBeGreaterThanOrEqual(
        t(byRef(CART).finished_at),
      );
      const deploying = (await h
        .knex('release_history')
        .whereIn(
          'promotion_id',
          after.map(r => r.id),
        )
        .where('action', 'promotion.deploying')
        .orderBy('id', 'asc')
        .select('entity_ref')) as Array<{ entity_ref: string }>;
      expect(deploying.map(r => r.entity_ref)).toEqual([PAY, CART, WEB]);
      // Lifecycle events of the members carry the train's id.
      const events = h
        .lifecycle()
        .filter(e => after.some(r => r.id === e.promotionId));
      expect(events.length).toBeGreaterThan(6);
      expect(events.every(e => e.trainId === id)).toBe(true);
      expect(
        h.signals.some(s => (s.message as { trainId?: string }).trainId === id),
      ).toBe(true);
    });

    it('invariant 39: a failing member stops the rest (nothing half-done) and rollback rolls back the deployed ones', async () => {
      const h = await start(await databases.init(databaseId), {
        cartPipeline: 'shaky',
      });
      const created = await requestTrain(h, USERS.alice);
      expect(created.status).toBe(202);
      const id = created.body.id;
      expect((await trainAction(h, id, 'approve', USERS.bob)).status).toBe(200);
      const failed = await eventually(
        async () => {
          const res = await train(h, id);
          // The train is failed as soon as cart-api is; checkout-web is
          // stopped right after (held by train_order until then).
          return (
            res.body.status === 'failed' &&
            res.body.members[2].status !== 'approved' &&
            res.body
          );
        },
        30_000,
        'the train to fail and stop the rest',
      );
      expect(failed.members.map((m: any) => [m.entityRef, m.status])).toEqual([
        [PAY, 'succeeded'],
        [CART, 'failed'],
        [WEB, 'cancelled'],
      ]);
      expect(failed.stoppedBy).toEqual({
        entityRef: CART,
        reason: expect.stringContaining('Simulated failure'),
      });
      expect(failed.rollbackAvailable).toBe(true);
      // checkout-web never started, and its history says why.
      const web = (await memberRows(h)).find(r => r.entity_ref === WEB)!;
      expect(web.started_at).toBeNull();
      const [stop] = await h
        .knex('release_history')
        .where({ promotion_id: web.id, action: 'promotion.cancelled' });
      expect(stop.reason).toMatch(
        /^stopped: cart-api failed: Simulated failure/,
      );
      expect(stop.actor).toBe('system:train');
      // Nothing of the train is still open.
      expect(
        (await memberRows(h)).filter(r =>
          ['pending_approval', 'approved', 'queued', 'deploying'].includes(
            r.status,
          ),
        ),
      ).toEqual([]);

      // Rollback: payments-api goes back to 1.0.0 through the normal path.
      const rolled = await trainAction(h, id, 'rollback', USERS.alice);
      expect(rolled.status).toBe(202);
      expect(rolled.body.status).toBe('rolled_back');
      expect(rolled.body.rollbackAvailable).toBe(false);
      const rollbacks = await h
        .knex('release_promotions')
        .where({ kind: 'rollback', phase: 'stage' })
        .select('id', 'entity_ref', 'version', 'train_id', 'status');
      expect(rollbacks).toEqual([
        {
          id: expect.any(String),
          entity_ref: PAY,
          version: '1.0.0',
          train_id: null,
          status: 'pending_approval',
        },
      ]);
      // Stage needs an approval for a rollback too: the normal path.
      expect(
        (await decide(h, USERS.bob, rollbacks[0].id, 'approve')).status,
      ).toBe(200);
      await eventually(
        async () => {
          const [row] = await h
            .knex('release_promotions')
            .where({ kind: 'rollback', entity_ref: PAY });
          return row?.status === 'succeeded';
        },
        30_000,
        'the rollback to succeed',
      );
      expect((await trainAction(h, id, 'rollback', USERS.alice)).status).toBe(
        409,
      );
    });

    it('invariant 38: no member deploys while another still waits for the approval (a decision cut off half-way is never half-deployed)', async () => {
      const knex = await databases.init(databaseId);
      const h = await start(knex);
      const created = await requestTrain(h, USERS.alice);
      expect(created.status).toBe(202);
      const [first] = created.body.members;
      // As if the process died after the first member's approval was
      // recorded and before the others': the first member is approved alone.
      await h
        .knex('release_promotions')
        .where({ id: first.promotionId })
        .update({ status: 'approved' });
      // A replica whose reconciler runs at startup offers it to its phase.
      await startReleaseBackend({
        knex,
        config: config(),
        entities: shopEntities(),
        features: [mockServices.scheduler.factory()],
      });
      await new Promise(r => setTimeout(r, 1_500));
      const held = await memberRows(h);
      expect(held.find(r => r.id === first.promotionId)!.status).toBe(
        'approved',
      );
      const started = await h
        .knex('release_history')
        .whereIn(
          'promotion_id',
          held.map(r => r.id),
        )
        .whereIn('action', ['promotion.queued', 'promotion.deploying']);
      expect(started).toEqual([]);
      const view = await train(h, created.body.id);
      expect(view.body.status).toBe('pending_approval');

      // Approving the train again records the rest; then all of it deploys.
      const approved = await trainAction(
        h,
        created.body.id,
        'approve',
        USERS.bob,
      );
      expect(approved.status).toBe(200);
      const done = await eventually(
        async () => {
          const res = await train(h, created.body.id);
          return res.body.status === 'succeeded' && res.body;
        },
        30_000,
        'the train to succeed',
      );
      expect(done.members.map((m: { status: string }) => m.status)).toEqual([
        'succeeded',
        'succeeded',
        'succeeded',
      ]);
    });

    it('a locked member refuses the train with 409 naming it, and nothing is created', async () => {
      const h = await start(await databases.init(databaseId));
      const lock = await request(h.server)
        .put(
          '/api/release/entities/component/default/cart-api/phases/stage/lock',
        )
        .set('Authorization', as(USERS.bob))
        .send({ reason: 'incident 42' });
      expect(lock.status).toBe(200);
      const before = await countRows(h.knex, 'release_promotions');

      const plan = await request(h.server)
        .get('/api/release/entities/system/default/shop/train-plan?phase=stage')
        .set('Authorization', as(USERS.alice));
      expect(plan.body.canRequest).toBe(false);
      expect(plan.body.members[1].blockers).toEqual([
        'Stage is locked by bob (incident 42)',
      ]);

      const refused = await requestTrain(h, USERS.alice);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        'cart-api: Stage is locked by bob (incident 42)',
      );
      expect(await countRows(h.knex, 'release_promotions')).toBe(before);
      expect(await countRows(h.knex, 'release_trains')).toBe(0);
      expect(await countRows(h.knex, 'release_train_members')).toBe(0);
    });

    it('a dependsOn cycle among the members refuses the train with 409 naming it, and nothing is created', async () => {
      const h = await start(await databases.init(databaseId), { cycle: true });
      const before = await countRows(h.knex, 'release_promotions');
      const refused = await requestTrain(h, USERS.alice);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/cycle/);
      expect(refused.body.error.message).toMatch(/payments-api/);
      expect(await countRows(h.knex, 'release_promotions')).toBe(before);
      expect(await countRows(h.knex, 'release_trains')).toBe(0);
      expect(await countRows(h.knex, 'release_train_members')).toBe(0);
    });

    it('two concurrent trains over the same service: exactly one wins, the other gets 409', async () => {
      const h = await start(await databases.init(databaseId));
      const results = await Promise.all([
        requestTrain(h, USERS.alice),
        requestTrain(h, USERS.lead, {
          members: [{ entityRef: CART, version: '1.1.0' }],
        }),
      ]);
      expect(results.map(r => r.status).sort()).toEqual([202, 409]);
      const loser = results.find(r => r.status === 409)!;
      expect(loser.body.error.message).toMatch(/cart-api/);
      expect(await countRows(h.knex, 'release_trains')).toBe(1);
      const rows = await memberRows(h);
      const winner = results.find(r => r.status === 202)!;
      expect(rows).toHaveLength(winner.body.members.length);
      expect(
        await countRows(h.knex, 'release_promotions', { phase: 'stage' }),
      ).toBe(3 + rows.length); // the seeded 1.0.0s and the winner's members
    });

    it('release:request-train-promotion (actions registry) requests the same train, idempotently', async () => {
      const h = await start(await databases.init(databaseId));
      const invoke = () =>
        request(h.server)
          .post(
            `/api/release/.backstage/actions/v1/actions/${encodeURIComponent(
              'release:request-train-promotion',
            )}/invoke`,
          )
          .set('Authorization', as(USERS.alice))
          .send({
            system: SHOP,
            phase: 'stage',
            comment: 'via an agent',
            idempotencyKey: 'train-1',
          });
      const first = await invoke();
      expect(first.status).toBe(200);
      const out = first.body.output;
      expect(out.replayed).toBe(false);
      expect(out.train).toMatchObject({
        system: SHOP,
        phase: 'stage',
        status: 'pending_approval',
        requestedBy: USERS.alice,
        link: `/catalog/default/system/shop/trains?train=${out.train.id}`,
      });
      expect(out.train.members.map((m: any) => m.entityRef)).toEqual([
        PAY,
        CART,
        WEB,
      ]);
      const again = await invoke();
      expect(again.body.output).toEqual({ ...out, replayed: true });
      expect(await countRows(h.knex, 'release_trains')).toBe(1);
      expect((await memberRows(h)).length).toBe(3);

      // Cancel: refused for someone who is neither the requester nor a
      // deployer of every member (nothing cancelled), then the requester.
      const refused = await trainAction(h, out.train.id, 'cancel', USERS.carol);
      expect(refused.status).toBe(403);
      expect(
        (await memberRows(h)).every(r => r.status === 'pending_approval'),
      ).toBe(true);
      const cancelled = await trainAction(
        h,
        out.train.id,
        'cancel',
        USERS.alice,
        {
          comment: 'not today',
        },
      );
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect((await memberRows(h)).map(r => r.status)).toEqual([
        'cancelled',
        'cancelled',
        'cancelled',
      ]);
      // The members are free again: a new train may be requested.
      expect((await requestTrain(h, USERS.alice)).status).toBe(202);
    });

    it('a train is shown only to who may read every member', async () => {
      const h = await start(await databases.init(databaseId), {
        hiddenFrom: { [USERS.carol]: [CART] },
      });
      const created = await requestTrain(h, USERS.alice);
      expect(created.status).toBe(202);
      const hidden = await train(h, created.body.id, USERS.carol);
      expect(hidden.status).toBe(404);
      const list = await request(h.server)
        .get(`/api/release/trains?system=${encodeURIComponent(SHOP)}`)
        .set('Authorization', as(USERS.carol));
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
      const mine = await request(h.server)
        .get('/api/release/entities/component/default/payments-api/trains')
        .set('Authorization', as(USERS.bob));
      expect(mine.body.items.map((t: any) => t.id)).toEqual([created.body.id]);
    });

    it('no access to one member: 403 and nothing created', async () => {
      const policy: TestPolicy = (name, ref) =>
        name === 'release.promotion.create' && ref === `${CART}#stage`
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW;
      const h = await start(await databases.init(databaseId), { policy });
      const before = await countRows(h.knex, 'release_promotions');
      const refused = await requestTrain(h, USERS.alice);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(CART);
      expect(await countRows(h.knex, 'release_promotions')).toBe(before);
      expect(await countRows(h.knex, 'release_trains')).toBe(0);
    });
  });
});
