import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
// Test wiring only: the provider is tested as a module of the real release backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import releasePlugin from '@release-manager/backstage-plugin-release-backend';
import { Server } from 'http';
import { Knex } from 'knex';
import request from 'supertest';

/*
 * The real release backend with one provider module, through the real
 * backend wiring (startTestBackend): a promotion is requested through the
 * HTTP API, the dispatcher hands it to the module's provider, and every log
 * line and response body is kept so a test can look for secret values.
 */

export const ALICE = 'user:default/alice';
export const ENTITY_REF = 'component:default/shop';
export const SHOP = '/api/release/entities/component/default/shop';

const SHOP_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: { 'release.backstage.io/pipeline': 'default' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: ALICE },
  relations: [{ type: 'ownedBy', targetRef: ALICE }],
};

/**
 * The databases the release backend runs on. Without
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

/** Everything the backend logged and answered, for the secret scan. */
export const seen: string[] = [];

class CapturingLogger implements LoggerService {
  constructor(private readonly meta: JsonObject = {}) {}
  private log(level: string, message: string, meta?: Error | JsonObject) {
    const extra =
      meta instanceof Error
        ? `${meta.message} ${meta.stack}`
        : JSON.stringify(meta ?? {});
    seen.push(`log ${level} ${message} ${extra} ${JSON.stringify(this.meta)}`);
  }
  error(m: string, meta?: Error | JsonObject) {
    this.log('error', m, meta);
  }
  warn(m: string, meta?: Error | JsonObject) {
    this.log('warn', m, meta);
  }
  info(m: string, meta?: Error | JsonObject) {
    this.log('info', m, meta);
  }
  debug(m: string, meta?: Error | JsonObject) {
    this.log('debug', m, meta);
  }
  child(meta: JsonObject) {
    return new CapturingLogger({ ...this.meta, ...meta });
  }
}

function scanResponses(server: Server) {
  server.prependListener('request', (req, res) => {
    const chunks: Buffer[] = [];
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
      else if (Buffer.isBuffer(chunk)) chunks.push(chunk);
    };
    (res as { write: unknown }).write = (c: unknown, ...rest: unknown[]) => {
      keep(c);
      return write(c, ...rest);
    };
    (res as { end: unknown }).end = (c: unknown, ...rest: unknown[]) => {
      if (c && typeof c !== 'function') keep(c);
      seen.push(
        `response ${req.method} ${req.url} ${Buffer.concat(chunks).toString(
          'utf8',
        )}`,
      );
      return end(c, ...rest);
    };
  });
}

const started: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map(b => b.stop()));
});

/**
 * The release configuration: pipeline `default` with one phase `live` using
 * `provider`, and fast dispatcher timings.
 */
export function releaseConfig(
  provider: JsonObject,
  extra: JsonObject = {},
): JsonObject {
  const { release: releaseExtra, ...rest } = extra as {
    release?: JsonObject;
  };
  return {
    ...rest,
    release: {
      dispatcher: {
        pollIntervalMs: 100,
        followIntervalMs: 100,
        backoffMs: 100,
        callTimeoutMs: 3_000,
        maxUnknown: 3,
        leaseMs: 5_000,
      },
      pipelines: {
        default: { phases: [{ id: 'live', title: 'Live', provider }] },
      },
      ...releaseExtra,
    },
  };
}

/** Starts the release plugin with the given module on the given database. */
export async function startRelease(options: {
  module: BackendFeature;
  knex: Knex;
  config: JsonObject;
}) {
  const backend = await startTestBackend({
    features: [
      releasePlugin,
      options.module,
      mockServices.rootConfig.factory({
        data: { events: { useEventBus: 'never' }, ...options.config },
      }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalogServiceMock.factory({ entities: [SHOP_ENTITY] }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => new CapturingLogger(),
      }),
    ],
  });
  started.push(backend);
  scanResponses(backend.server);
  return backend.server;
}

const as = () => mockCredentials.user.header(ALICE);

/**
 * Through the HTTP API as the entity's owner: sets the `live` phase
 * configuration and secrets, creates release `version`, and requests its
 * promotion to `live`. Returns the promotion id and the config version.
 */
export async function promoteWithConfig(
  server: Server,
  options: {
    version: string;
    artifact: string;
    config: JsonObject;
    secrets: Record<string, string>;
  },
): Promise<{ promotionId: string; configVersion: number }> {
  const current = await request(server)
    .get(`${SHOP}/phases/live/config`)
    .set('Authorization', as());
  expect(current.status).toBe(200);
  const config = await request(server)
    .put(`${SHOP}/phases/live/config`)
    .set('Authorization', as())
    .send({ ...options.config, expectedVersion: current.body.version });
  expect(config.status).toBe(200);
  for (const [name, value] of Object.entries(options.secrets)) {
    const res = await request(server)
      .put(`${SHOP}/phases/live/secrets/${name}`)
      .set('Authorization', as())
      .send({ value });
    expect(res.status).toBe(204);
  }
  const bound = await request(server)
    .get(`${SHOP}/phases/live/config`)
    .set('Authorization', as());
  const release = await request(server)
    .post(`${SHOP}/releases`)
    .set('Authorization', as())
    .send({ version: options.version, artifact: options.artifact });
  expect(release.status).toBe(201);
  const promotion = await request(server)
    .post(`${SHOP}/promotions`)
    .set('Authorization', as())
    .send({ version: options.version, phase: 'live' });
  expect(promotion.status).toBe(202);
  return { promotionId: promotion.body.id, configVersion: bound.body.version };
}

/** The promotion as the API shows it. */
export async function getPromotion(server: Server, id: string) {
  const res = await request(server)
    .get(`/api/release/promotions/${id}`)
    .set('Authorization', as());
  expect(res.status).toBe(200);
  return res.body;
}

/** Polls until `fn` returns a truthy value or the time is up. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false | null>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

/** The captured log lines and responses that contain the given value. */
export function leaksOf(value: string): string[] {
  // The scan must have looked at log lines and responses, or it proves nothing.
  if (
    !seen.some(l => l.startsWith('log ')) ||
    !seen.some(l => l.startsWith('response '))
  ) {
    throw new Error('The secret scan captured no log line or no response');
  }
  return seen.filter(line => line.includes(value));
}
