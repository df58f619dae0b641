import {
  BackendFeature,
  BackstageCredentials,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
// Test wiring only: the actions are tested against the real release backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import releasePlugin from '@release-manager/backstage-plugin-release-backend';
import { Knex } from 'knex';
import request from 'supertest';

export const ALICE = 'user:default/alice';
export const CAROL = 'user:default/carol';

function component(name: string, owner: string, pipeline: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'release.backstage.io/pipeline': pipeline },
    },
    spec: { type: 'service', lifecycle: 'experimental', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/**
 * Components owned by alice: `new-service` on the two-phase `starter`
 * pipeline (dev, then live with one approval), `gated-service` on `gated`
 * whose only phase needs an approval.
 */
export const ENTITIES: Entity[] = [
  component('new-service', ALICE, 'starter'),
  component('gated-service', ALICE, 'gated'),
];

/** The release configuration of the tests. */
export function releaseConfig(
  options: { dispatcher?: boolean } = {},
): JsonObject {
  return {
    release: {
      dispatcher: { enabled: options.dispatcher ?? false },
      providers: { simulated: { durationMs: 100, failureRate: 0 } },
      pipelines: {
        starter: {
          phases: [
            { id: 'dev', title: 'Dev' },
            { id: 'live', title: 'Live', approvals: { required: 1 } },
          ],
        },
        gated: {
          phases: [{ id: 'dev', title: 'Dev', approvals: { required: 1 } }],
        },
      },
    },
  };
}

/**
 * The databases the release backend runs on in these tests. Without
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, TestDatabases drops
 * PostgreSQL silently; RELEASE_REQUIRE_POSTGRES=1 turns that into a failure.
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
  if (
    process.env.RELEASE_REQUIRE_POSTGRES === '1' &&
    !databases.supports('POSTGRES_15')
  ) {
    throw new Error(
      'RELEASE_REQUIRE_POSTGRES=1 but PostgreSQL 15 is not reachable; set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
    );
  }
  return databases;
}

export type { TestDatabaseId };

/**
 * A stand-in for the scaffolder backend that only collects the actions
 * modules add through the real `scaffolderActionsExtensionPoint`.
 */
export function actionCollector() {
  const actions = new Map<string, TemplateAction<any, any, any>>();
  const plugin = createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
        addActions(...added) {
          for (const action of added) actions.set(action.id, action);
        },
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, actions };
}

/**
 * The official mock auth service, except that a plugin's token on a user's
 * behalf names the calling plugin as the actor, as the real auth service's
 * tokens do (the mock leaves the actor out). The release backend then sees
 * what it sees in production: the user, acting through the scaffolder.
 */
const authWithActorFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return Object.assign(Object.create(auth), {
      async getPluginRequestToken(options: {
        onBehalfOf: BackstageCredentials;
        targetPluginId: string;
      }) {
        if (auth.isPrincipal(options.onBehalfOf, 'user')) {
          return {
            token: mockCredentials.user.token(
              options.onBehalfOf.principal.userEntityRef,
              { actor: { subject: `plugin:${plugin.getId()}` } },
            ),
          };
        }
        return auth.getPluginRequestToken(options);
      },
    });
  },
});

/**
 * Starts the real release backend plugin on the given database (or an
 * in-memory SQLite per plugin), a catalog holding {@link ENTITIES}, and the
 * given features, through the real backend wiring. Requests without a token
 * are unauthenticated, never a default user.
 */
const startedInTests: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(startedInTests.splice(0).map(b => b.stop()));
});

export async function startBackend(options: {
  features: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  knex?: Knex;
  config?: JsonObject;
  entities?: Entity[];
}) {
  const backend = await startTestBackend({
    features: [
      releasePlugin,
      ...options.features,
      mockServices.rootConfig.factory({
        data: options.config ?? releaseConfig(),
      }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      authWithActorFactory,
      catalogServiceMock.factory({ entities: options.entities ?? ENTITIES }),
    ],
  });
  const { server } = backend;
  // Started inside a test: stopped after it, so that its connections (the
  // pool and the change feed's listener) do not pile up over a test file.
  if (expect.getState().currentTestName !== undefined) {
    startedInTests.push(backend);
  }
  return server;
}

/** A GET of the release API as a user. */
export function getAs(
  server: Parameters<typeof request>[0],
  user: string,
  path: string,
) {
  return request(server)
    .get(`/api/release${path}`)
    .set('Authorization', mockCredentials.user.header(user));
}
