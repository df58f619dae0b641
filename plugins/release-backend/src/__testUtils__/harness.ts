import {
  BackendFeature,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EventParams,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  NotificationSendOptions,
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  RELEASE_LIFECYCLE_TOPIC,
  ReleaseLifecycleEvent,
} from '@release-manager/backstage-plugin-release-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseReleaseStore } from '../database/DatabaseReleaseStore';
import { releasePlugin } from '../plugin';
import { ENTITIES, userInfoFactory } from './fixtures';
import {
  capturedCount,
  capturingRootLoggerFactory,
  findLeaks,
  record,
  scanResponses,
} from './secretScan';

const harnesses: Array<{ knex: Knex }> = [];

// Invariant 29 for every suite that uses this harness: after each test, no
// response body, log line, audit event or ledger row holds a secret value.
afterEach(async () => {
  for (const { knex } of harnesses.splice(0)) {
    try {
      const rows = await knex('release_history').select();
      record('ledger', JSON.stringify(rows));
      const promotions = await knex('release_promotions').select(
        'progress',
        'snapshot',
        'comment',
      );
      record('promotions', JSON.stringify(promotions));
    } catch {
      // The database of a finished test may be gone; its rows were scanned before.
    }
  }
  const leaks = findLeaks();
  if (leaks.length) {
    throw new Error(
      `Secret values leaked (invariant 29): ${JSON.stringify(leaks)}`,
    );
  }
});

afterAll(() => {
  // The scan must have looked at something, or it proves nothing.
  if (capturedCount() === 0) {
    throw new Error('The secret scan captured nothing; it would prove nothing');
  }
});

/** An auditor event as the tests capture it. */
export interface CapturedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta?: JsonObject;
  status: 'initiated' | 'succeeded' | 'failed';
}

/** Decides a permission request: by permission name and resource ref. */
export type TestPolicy = (
  permissionName: string,
  resourceRef: string | undefined,
  credentials: unknown,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;

export const allowAll: TestPolicy = () => AuthorizeResult.ALLOW;

export interface HarnessOptions {
  knex: Knex;
  config?: JsonObject;
  policy?: TestPolicy;
  /** Called before each permission decision (to change state meanwhile). */
  beforeDecision?: (permissionName: string) => Promise<void>;
  /** Entities hidden from a user by the catalog (user ref → entity refs). */
  hiddenFrom?: Record<string, string[]>;
  entities?: Entity[];
  /** More features or service factories for the test backend. */
  features?: BackendFeature[];
  /**
   * The notification service the plugin gets: by default one that records
   * every send and succeeds; a given one is wrapped so sends are still
   * recorded; `'default'` keeps the real default (which posts to the
   * notifications backend, not installed here).
   */
  notifications?: NotificationService | 'default';
}

/**
 * Starts the release plugin through the real backend wiring on the given
 * database, with a catalog holding the fixture entities, a permission policy,
 * and an auditor that records every event.
 */
const startedInTests: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(startedInTests.splice(0).map(b => b.stop()));
});

export async function startReleaseBackend(options: HarnessOptions) {
  const audit: CapturedAuditEvent[] = [];
  const sent: NotificationSendOptions[] = [];
  const published: EventParams[] = [];
  const notifications = options.notifications;
  // A fake notifications service registered for the plugin, as the
  // notifications docs recommend for tests: it records what is sent.
  const notificationFeatures =
    notifications === 'default'
      ? []
      : [
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              async send(opts: NotificationSendOptions) {
                sent.push(opts);
                record('notification', JSON.stringify(opts));
                await notifications?.send(opts);
              },
            }),
          }),
        ];
  // Another plugin subscribing to the topic through the real events service.
  const lifecycleSubscriber = createBackendPlugin({
    pluginId: 'lifecycle-subscriber',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'test',
            topics: [RELEASE_LIFECYCLE_TOPIC],
            async onEvent(params) {
              published.push(params);
              record('event', JSON.stringify(params));
            },
          });
        },
      });
    },
  });
  const policy = options.policy ?? allowAll;
  const catalog = catalogServiceMock({
    entities: options.entities ?? ENTITIES,
  });

  const backend = await startTestBackend({
    features: [
      releasePlugin,
      lifecycleSubscriber,
      eventsServiceFactory,
      ...notificationFeatures,
      capturingRootLoggerFactory,
      mockServices.rootConfig.factory({
        // The in-process events bus only; no events backend is installed.
        data: { events: { useEventBus: 'never' }, ...options.config },
      }),
      mockServices.database.factory({ knex: options.knex }),
      // The real actions registry, as createBackend installs it: it serves
      // the plugin's actions under /api/release/.backstage/actions/.
      actionsRegistryServiceFactory,
      userInfoFactory,
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => ({
          ...catalog,
          async getEntityByRef(ref, opts) {
            const principal = opts.credentials.principal as {
              userEntityRef?: string;
            };
            const hidden =
              options.hiddenFrom?.[principal.userEntityRef ?? ''] ?? [];
            const refString =
              typeof ref === 'string'
                ? ref
                : `${ref.kind}:${ref.namespace}/${ref.name}`;
            if (hidden.includes(refString.toLocaleLowerCase('en-US'))) {
              return undefined;
            }
            return catalog.getEntityByRef(ref, opts);
          },
          async queryEntities(req, opts) {
            const principal = opts.credentials.principal as {
              userEntityRef?: string;
            };
            const hidden =
              options.hiddenFrom?.[principal.userEntityRef ?? ''] ?? [];
            const result = await catalog.queryEntities(req, opts);
            return {
              ...result,
              items: result.items.filter(
                e =>
                  !hidden.includes(
                    `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLocaleLowerCase(
                      'en-US',
                    ),
                  ),
              ),
            };
          },
          async getEntitiesByRefs(req, opts) {
            const principal = opts.credentials.principal as {
              userEntityRef?: string;
            };
            const hidden =
              options.hiddenFrom?.[principal.userEntityRef ?? ''] ?? [];
            const result = await catalog.getEntitiesByRefs(req, opts);
            return {
              items: result.items.map((e, i) =>
                hidden.includes(req.entityRefs[i]) ? undefined : e,
              ),
            };
          },
        }),
      }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => ({
          async authorize(requests, opts) {
            const out = [];
            for (const r of requests) {
              await options.beforeDecision?.(r.permission.name);
              out.push({
                result: policy(
                  r.permission.name,
                  (r as { resourceRef?: string }).resourceRef,
                  opts.credentials,
                ),
              });
            }
            return out as any;
          },
          async authorizeConditional(requests) {
            return requests.map(() => ({
              result: AuthorizeResult.ALLOW,
            })) as any;
          },
        }),
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => ({
          async createEvent(opts) {
            const base = {
              eventId: opts.eventId,
              severityLevel: opts.severityLevel,
              meta: opts.meta,
            };
            audit.push({ ...base, status: 'initiated' });
            record('audit', JSON.stringify(base));
            return {
              async success(o?: { meta?: JsonObject }) {
                record('audit', JSON.stringify(o ?? {}));
                audit.push({
                  ...base,
                  meta: { ...base.meta, ...o?.meta },
                  status: 'succeeded',
                });
              },
              async fail(o: { meta?: JsonObject; error: Error }) {
                record(
                  'audit',
                  `${JSON.stringify(o.meta ?? {})} ${o.error.message} ${
                    o.error.stack
                  }`,
                );
                audit.push({
                  ...base,
                  meta: { ...base.meta, ...o?.meta, error: o.error.message },
                  status: 'failed',
                });
              },
            };
          },
        }),
      }),
      ...(options.features ?? []),
    ],
  });
  const { server } = backend;
  // Started inside a test: stopped after it, so that its connections (the
  // pool and the change feed's listener) do not pile up over a test file.
  if (expect.getState().currentTestName !== undefined) {
    startedInTests.push(backend);
  }
  scanResponses(server);
  harnesses.push({ knex: options.knex });
  const store = await DatabaseReleaseStore.create({
    database: mockServices.database({ knex: options.knex }),
  });
  return {
    server,
    audit,
    store,
    knex: options.knex,
    /** Every notification the plugin sent, in order. */
    notifications: sent,
    /** Every event published on the release lifecycle topic, in order. */
    events: published,
    /** The lifecycle event payloads, in order. */
    lifecycle: () =>
      published.map(e => e.eventPayload as ReleaseLifecycleEvent),
  };
}

export type Harness = Awaited<ReturnType<typeof startReleaseBackend>>;

/** Authorization header of a test user. */
export const as = (userRef: string) => mockCredentials.user.header(userRef);

export const USERS = {
  alice: 'user:default/alice',
  lead: 'user:default/lead',
  bob: 'user:default/bob',
  carol: 'user:default/carol',
};

export const PAYMENTS = '/api/release/entities/component/default/payments-api';

/**
 * The test pipeline: dev → qa → stage (1 approval) → live (2 approvals);
 * approvers default to the owners, team-payments (alice, lead, bob).
 */
export function pipelineConfig(
  overrides: Record<string, JsonObject> = {},
): JsonObject {
  const phases: JsonObject[] = [
    { id: 'dev', title: 'Dev' },
    { id: 'qa', title: 'QA/Demo' },
    { id: 'stage', title: 'Stage', approvals: { required: 1 } },
    { id: 'live', title: 'Live', approvals: { required: 2 } },
  ];
  return {
    release: {
      // The promotion engine tests look at states before deployment.
      dispatcher: { enabled: false },
      pipelines: {
        default: {
          phases: phases.map(p => ({ ...p, ...overrides[p.id as string] })),
        },
      },
    },
  };
}

/** Creates a release and records it as succeeded in the given phases. */
export async function seedRelease(
  h: Harness,
  version: string,
  succeededIn: string[] = [],
  entityRef = 'component:default/payments-api',
) {
  await h.store.createRelease({
    entityRef,
    version,
    artifact: `registry.example.com/app@sha256:${version}`,
    createdBy: 'service:external:ci',
    createdAt: new Date().toISOString(),
  });
  for (const [i, phase] of succeededIn.entries()) {
    const t = Date.now() - (succeededIn.length - i) * 3600_000;
    await h.store.importPromotion({
      entityRef,
      phase,
      version,
      status: 'succeeded',
      requestedBy: USERS.alice,
      requestedAt: new Date(t - 600_000),
      finishedAt: new Date(t),
    });
  }
}

/** Requests a promotion as a user. */
export function promote(
  h: Harness,
  user: string,
  body: JsonObject,
  headers: Record<string, string> = {},
) {
  const req = request(h.server)
    .post(`${PAYMENTS}/promotions`)
    .set('Authorization', as(user));
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send(body);
}

export function decide(
  h: Harness,
  user: string,
  id: string,
  decision: 'approve' | 'reject' | 'cancel',
  body: JsonObject = {},
) {
  return request(h.server)
    .post(`/api/release/promotions/${id}/${decision}`)
    .set('Authorization', as(user))
    .send(body);
}

export async function countRows(
  knex: Knex,
  table: string,
  where: Record<string, unknown> = {},
) {
  const [{ n }] = await knex(table).where(where).count({ n: '*' });
  return Number(n);
}
