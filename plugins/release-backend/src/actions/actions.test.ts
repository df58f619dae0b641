import { actionsServiceFactory } from '@backstage/backend-defaults/alpha';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  ActionsService,
  actionsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { TEST_CONFIG } from '../__testUtils__/fixtures';
import {
  as,
  countRows,
  Harness,
  PAYMENTS,
  pipelineConfig,
  seedRelease,
  startReleaseBackend,
  TestPolicy,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

const ACTIONS = '/api/release/.backstage/actions/v1/actions';
const PAYMENTS_REF = 'component:default/payments-api';

/** Invokes an action over the registry's HTTP endpoint, as the actions service does. */
function invoke(
  h: Harness,
  authorization: string,
  action: string,
  input: JsonObject,
) {
  return request(h.server)
    .post(`${ACTIONS}/${encodeURIComponent(`release:${action}`)}/invoke`)
    .set('Authorization', authorization)
    .send(input);
}

const promotionRows = (h: Harness, phase = 'qa') =>
  countRows(h.knex, 'release_promotions', { phase });

describe('actions registry', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(
      options: Partial<Parameters<typeof startReleaseBackend>[0]> = {},
    ) {
      const pipelines = pipelineConfig() as {
        release: { pipelines: JsonObject };
      };
      return startReleaseBackend({
        knex: await databases.init(databaseId),
        config: {
          ...pipelines,
          release: {
            ...pipelines.release,
            pipelines: {
              ...pipelines.release.pipelines,
              ...TEST_CONFIG.release.pipelines,
            },
          },
        },
        ...options,
      });
    }

    it('lists the actions with their schemas and attributes, only to authenticated callers', async () => {
      const h = await start();
      const anonymous = await request(h.server).get(ACTIONS);
      expect(anonymous.status).toBe(401);

      const res = await request(h.server)
        .get(ACTIONS)
        .set('Authorization', as(USERS.alice));
      expect(res.status).toBe(200);
      const byId = Object.fromEntries(
        res.body.actions.map((a: { id: string }) => [a.id, a]),
      );
      expect(Object.keys(byId).sort()).toEqual([
        'release:get-promotion-changes',
        'release:get-release-status',
        'release:request-promotion',
        'release:request-train-promotion',
      ]);
      expect(byId['release:get-release-status'].attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
      expect(byId['release:request-promotion'].attributes).toEqual({
        readOnly: false,
        idempotent: false,
        destructive: true,
      });
      expect(
        byId['release:request-promotion'].schema.input.required.sort(),
      ).toEqual(['entityRef', 'phase', 'version']);
    });

    it('get-release-status: answers what POST /status answers, for the entities the caller may read', async () => {
      const h = await start({
        hiddenFrom: { [USERS.carol]: [PAYMENTS_REF] },
      });
      await seedRelease(h, '1.0.0', ['dev', 'qa']);
      await seedRelease(h, '1.1.0', ['dev']);
      const entityRefs = [
        PAYMENTS_REF,
        'component:default/ledger-worker',
        'component:default/legacy-reports',
        'component:default/does-not-exist',
      ];

      const res = await invoke(h, as(USERS.alice), 'get-release-status', {
        entityRefs,
      });
      expect(res.status).toBe(200);
      const http = await request(h.server)
        .post('/api/release/status')
        .set('Authorization', as(USERS.alice))
        .send({ entityRefs });
      expect(http.status).toBe(200);
      expect(res.body.output.items).toEqual(http.body.items);
      const payments = res.body.output.items.find(
        (i: { entityRef: string }) => i.entityRef === PAYMENTS_REF,
      );
      expect(
        payments.phases.map((p: { id: string; currentVersion?: string }) => [
          p.id,
          p.currentVersion ?? null,
        ]),
      ).toEqual([
        ['dev', '1.1.0'],
        ['qa', '1.0.0'],
        ['stage', null],
        ['live', null],
      ]);
      expect(res.body.output.notFound).toEqual([
        'component:default/legacy-reports',
        'component:default/does-not-exist',
      ]);

      // carol may not see payments-api in the catalog: not found, like a 404.
      const hidden = await invoke(h, as(USERS.carol), 'get-release-status', {
        entityRefs: [PAYMENTS_REF],
      });
      expect(hidden.status).toBe(200);
      expect(hidden.body.output).toEqual({
        items: [],
        notFound: [PAYMENTS_REF],
      });
    });

    it('get-release-status: a denied read permission hides the entity; bad input is a 400', async () => {
      const h = await start({
        policy: (name, resourceRef) =>
          name === 'release.pipeline.read' && resourceRef === PAYMENTS_REF
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      });
      await seedRelease(h, '1.0.0', ['dev']);
      const res = await invoke(h, as(USERS.alice), 'get-release-status', {
        entityRefs: [PAYMENTS_REF, 'component:default/ledger-worker'],
      });
      expect(res.status).toBe(200);
      expect(
        res.body.output.items.map((i: { entityRef: string }) => i.entityRef),
      ).toEqual(['component:default/ledger-worker']);
      expect(res.body.output.notFound).toEqual([PAYMENTS_REF]);

      const empty = await invoke(h, as(USERS.alice), 'get-release-status', {
        entityRefs: [],
      });
      expect(empty.status).toBe(400);
      expect(empty.body.error.name).toBe('InputError');
      const malformed = await invoke(h, as(USERS.alice), 'get-release-status', {
        entityRefs: ['payments-api'],
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toMatch(
        /Invalid entity ref 'payments-api'/,
      );
      const anonymous = await request(h.server)
        .post(`${ACTIONS}/release:get-release-status/invoke`)
        .send({ entityRefs: [PAYMENTS_REF] });
      expect(anonymous.status).toBe(401);
    });

    it('request-promotion: creates the promotion the HTTP API then shows, audited with the caller', async () => {
      const h = await start();
      await seedRelease(h, '1.0.0', ['dev']);
      const res = await invoke(h, as(USERS.alice), 'request-promotion', {
        entityRef: PAYMENTS_REF,
        version: '1.0.0',
        phase: 'qa',
        comment: 'through the actions registry',
      });
      expect(res.status).toBe(200);
      const { promotion, replayed } = res.body.output;
      expect(replayed).toBe(false);
      expect(promotion).toMatchObject({
        entityRef: PAYMENTS_REF,
        phase: 'qa',
        version: '1.0.0',
        requestedBy: USERS.alice,
        comment: 'through the actions registry',
        approvalsRequired: 0,
      });
      // qa needs no approval: with the dispatcher off it waits in the queue.
      expect(promotion.status).toBe('queued');

      const list = await request(h.server)
        .get(`${PAYMENTS}/promotions?phase=qa`)
        .set('Authorization', as(USERS.alice));
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([
        promotion.id,
      ]);
      expect(list.body.items[0].requestedBy).toBe(USERS.alice);

      const events = h.audit.filter(e => e.eventId === 'promotion-request');
      expect(events.map(e => e.status)).toEqual(['initiated', 'succeeded']);
      expect(events[0].meta).toMatchObject({
        entityRef: PAYMENTS_REF,
        phase: 'qa',
        version: '1.0.0',
        actor: USERS.alice,
        via: 'actions-registry',
      });

      // A gated phase waits for approval, as through the HTTP API.
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const stage = await invoke(h, as(USERS.lead), 'request-promotion', {
        entityRef: PAYMENTS_REF,
        version: '2.0.0',
        phase: 'stage',
      });
      expect(stage.status).toBe(200);
      expect(stage.body.output.promotion).toMatchObject({
        status: 'pending_approval',
        approvalsRequired: 1,
        requestedBy: USERS.lead,
      });
    });

    it('request-promotion: the same idempotencyKey returns the first promotion and creates one', async () => {
      const h = await start();
      await seedRelease(h, '1.0.0', ['dev']);
      const input = {
        entityRef: PAYMENTS_REF,
        version: '1.0.0',
        phase: 'qa',
        idempotencyKey: 'agent-run-42',
      };
      const first = await invoke(
        h,
        as(USERS.alice),
        'request-promotion',
        input,
      );
      const again = await invoke(
        h,
        as(USERS.alice),
        'request-promotion',
        input,
      );
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body.output.replayed).toBe(true);
      expect(again.body.output.promotion.id).toBe(
        first.body.output.promotion.id,
      );
      expect(await promotionRows(h)).toBe(1);
    });

    it('request-promotion: a denied release.promotion.create is a 403 and creates nothing', async () => {
      const policy: TestPolicy = (name, resourceRef) =>
        name === 'release.promotion.create' &&
        resourceRef === `${PAYMENTS_REF}#qa`
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW;
      const h = await start({ policy });
      await seedRelease(h, '1.0.0', ['dev']);
      const res = await invoke(h, as(USERS.alice), 'request-promotion', {
        entityRef: PAYMENTS_REF,
        version: '1.0.0',
        phase: 'qa',
      });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toMatch(
        /Permission release\.promotion\.create was denied/,
      );
      expect(await promotionRows(h)).toBe(0);
      const events = h.audit.filter(e => e.eventId === 'promotion-request');
      expect(events.map(e => e.status)).toEqual(['initiated', 'failed']);
    });

    it('request-promotion: phase access, catalog visibility and service callers are checked as in the HTTP API', async () => {
      const h = await start({
        hiddenFrom: { [USERS.bob]: [PAYMENTS_REF] },
        config: pipelineConfig({
          qa: { access: { deployers: ['group:default/team-leads'] } },
        }),
      });
      await seedRelease(h, '1.0.0', ['dev']);
      const input = { entityRef: PAYMENTS_REF, version: '1.0.0', phase: 'qa' };

      // alice owns payments-api, but only team-leads deploy to qa.
      const notDeployer = await invoke(
        h,
        as(USERS.alice),
        'request-promotion',
        input,
      );
      expect(notDeployer.status).toBe(403);
      expect(notDeployer.body.error.message).toMatch(
        /not a deployer of QA\/Demo/,
      );
      // The catalog hides payments-api from bob: not found, not forbidden.
      const invisible = await invoke(
        h,
        as(USERS.bob),
        'request-promotion',
        input,
      );
      expect(invisible.status).toBe(404);
      expect(invisible.body.error.name).toBe('NotFoundError');
      // Services (CI tokens) create releases; they do not request promotions.
      const service = await invoke(
        h,
        mockCredentials.service.header(),
        'request-promotion',
        input,
      );
      expect(service.status).toBe(403);
      expect(service.body.error.message).toMatch(/Only users/);
      expect(await promotionRows(h)).toBe(0);

      const lead = await invoke(h, as(USERS.lead), 'request-promotion', input);
      expect(lead.status).toBe(200);
      expect(await promotionRows(h)).toBe(1);
    });

    it('request-promotion: bad input is a 400 that says what is wrong and changes nothing', async () => {
      const h = await start();
      await seedRelease(h, '1.0.0', ['dev']);
      const cases: Array<[JsonObject, RegExp]> = [
        [
          { entityRef: PAYMENTS_REF, version: '1.0.0', phase: 'production' },
          /Phase 'production' does not exist.*phases: dev, qa, stage, live/,
        ],
        [
          { entityRef: PAYMENTS_REF, version: '1.0.0', phase: 'Not A Phase' },
          /Invalid input to action "release:request-promotion"/,
        ],
        [
          { entityRef: PAYMENTS_REF, phase: 'qa' },
          /Invalid input to action "release:request-promotion"/,
        ],
        [
          { entityRef: 'payments-api', version: '1.0.0', phase: 'qa' },
          /Invalid entity ref 'payments-api'/,
        ],
        [
          {
            entityRef: 'component:default/pay ments',
            version: '1.0.0',
            phase: 'qa',
          },
          /Invalid entity name 'pay ments'/,
        ],
        [
          {
            entityRef: PAYMENTS_REF,
            version: '1.0.0',
            phase: 'qa',
            comment: 'x'.repeat(2001),
          },
          /Invalid input to action "release:request-promotion"/,
        ],
      ];
      for (const [input, message] of cases) {
        const res = await invoke(
          h,
          as(USERS.alice),
          'request-promotion',
          input,
        );
        expect({ input, status: res.status }).toEqual({ input, status: 400 });
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(message);
      }
      const missing = await invoke(h, as(USERS.alice), 'request-promotion', {
        entityRef: PAYMENTS_REF,
        version: '9.9.9',
        phase: 'qa',
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toMatch(/Release 9\.9\.9/);
      expect(await countRows(h.knex, 'release_promotions')).toBe(1);
    });

    it('works through the real actions service, as another plugin (e.g. an MCP server) calls it', async () => {
      let actions: ActionsService | undefined;
      const agent = createBackendPlugin({
        pluginId: 'agent',
        register(env) {
          env.registerInit({
            deps: { actions: actionsServiceRef },
            async init(deps) {
              actions = deps.actions;
            },
          });
        },
      });
      const pipelines = pipelineConfig() as {
        release: JsonObject;
      };
      const h = await start({
        config: {
          ...pipelines,
          backend: { actions: { pluginSources: ['release'] } },
        },
        policy: (name, resourceRef) =>
          name === 'release.promotion.create' &&
          resourceRef === `${PAYMENTS_REF}#stage`
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        features: [actionsServiceFactory, agent],
      });
      await seedRelease(h, '1.0.0', ['dev', 'qa']);
      const alice = mockCredentials.user(USERS.alice);

      const { actions: listed } = await actions!.list({ credentials: alice });
      expect(listed.map(a => a.id).sort()).toEqual([
        'release:get-promotion-changes',
        'release:get-release-status',
        'release:request-promotion',
        'release:request-train-promotion',
      ]);

      const status = await actions!.invoke({
        id: 'release:get-release-status',
        input: { entityRefs: [PAYMENTS_REF] },
        credentials: alice,
      });
      expect(status.output).toMatchObject({
        items: [
          {
            entityRef: PAYMENTS_REF,
            phases: expect.arrayContaining([
              expect.objectContaining({ id: 'qa', currentVersion: '1.0.0' }),
            ]),
          },
        ],
        notFound: [],
      });

      const denied = await actions!
        .invoke({
          id: 'release:request-promotion',
          input: { entityRef: PAYMENTS_REF, version: '1.0.0', phase: 'stage' },
          credentials: alice,
        })
        .catch(e => e);
      expect(denied).toBeInstanceOf(ResponseError);
      expect((denied as ResponseError).statusCode).toBe(403);
      expect(await promotionRows(h, 'stage')).toBe(0);
    });
  });
});
