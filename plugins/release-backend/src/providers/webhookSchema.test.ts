import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually, json, startFakeServer } from '../__testUtils__/fakeServer';
import {
  as,
  PAYMENTS,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';
import { readWebhookStatus, signWebhook } from './WebhookProvider';

jest.setTimeout(60_000);

const root = resolve(__dirname, '../..');
const payloadSchema = JSON.parse(
  readFileSync(resolve(root, 'schema/webhook-payload.schema.json'), 'utf8'),
);
const callbackSchema = JSON.parse(
  readFileSync(resolve(root, 'schema/webhook-callback.schema.json'), 'utf8'),
);
const ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
const validatePayload = ajv.compile(payloadSchema);
const validateCallback = ajv.compile(callbackSchema);

const SIGNING = 'test-webhook-secret-0123456789';
const SECRETS = {
  DB_PASSWORD: 'SECRET-VALUE-webhook-db-7d1',
  API_KEY: 'SECRET-VALUE-webhook-api-key "q" é',
};

describe('the webhook payload and callback, as published in schema/', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'a real payload validates against webhook-payload.schema.json and carries the bound config snapshot, the decrypted secrets and the environment mapping exactly (%p)',
    async databaseId => {
      const receiver = await startFakeServer((_req, res) =>
        json(res, 202, { status: 'running', externalId: 'run-1' }),
      );
      try {
        const h = await startReleaseBackend({
          knex: await databases.init(databaseId),
          config: {
            release: {
              providers: { webhook: { secret: SIGNING } },
              dispatcher: { pollIntervalMs: 100, followIntervalMs: 100 },
              pipelines: {
                default: {
                  phases: [
                    {
                      id: 'dev',
                      provider: {
                        type: 'webhook',
                        url: `${receiver.url}/deploy`,
                        naming: { sizing: { replicas: 'INSTANCES' } },
                      },
                    },
                  ],
                },
              },
            },
          },
        });
        await seedRelease(h, '2.0.0');
        const current = await request(h.server)
          .get(`${PAYMENTS}/phases/dev/config`)
          .set('Authorization', as(USERS.alice));
        const put = await request(h.server)
          .put(`${PAYMENTS}/phases/dev/config`)
          .set('Authorization', as(USERS.alice))
          .send({
            expectedVersion: current.body.version,
            variables: { LOG_LEVEL: 'debug' },
            database: {
              engine: 'postgres',
              host: 'db.dev',
              port: 5432,
              name: 'payments',
              user: 'app',
              passwordSecret: 'DB_PASSWORD',
            },
            sizing: { replicas: 2, cpu: '100m', memory: '128Mi' },
          });
        expect(put.status).toBe(200);
        for (const [name, value] of Object.entries(SECRETS)) {
          const set = await request(h.server)
            .put(`${PAYMENTS}/phases/dev/secrets/${name}`)
            .set('Authorization', as(USERS.alice))
            .send({ value });
          expect(set.status).toBe(204);
        }
        const p = await promote(h, USERS.alice, {
          version: '2.0.0',
          phase: 'dev',
        });
        expect(p.status).toBe(202);
        const sent = await eventually(async () => receiver.received[0]);
        const payload = JSON.parse(sent.body);

        expect(validatePayload(payload)).toBe(true);
        expect(validatePayload.errors ?? null).toBeNull();
        expect(payload.config).toEqual({
          variables: { LOG_LEVEL: 'debug' },
          database: {
            engine: 'postgres',
            host: 'db.dev',
            port: 5432,
            name: 'payments',
            user: 'app',
            passwordSecret: 'DB_PASSWORD',
          },
          sizing: { replicas: 2, cpu: '100m', memory: '128Mi' },
          secrets: SECRETS,
        });
        expect(payload.environment).toEqual({
          variables: {
            LOG_LEVEL: 'debug',
            DB_ENGINE: 'postgres',
            DB_HOST: 'db.dev',
            DB_PORT: '5432',
            DB_NAME: 'payments',
            DB_USER: 'app',
            INSTANCES: '2',
            CPU: '100m',
            MEMORY: '128Mi',
          },
          secrets: SECRETS,
        });
        expect(sent.headers['x-release-signature']).toBe(
          signWebhook(
            SIGNING,
            String(sent.headers['x-release-timestamp']),
            sent.body,
          ),
        );
        // The receiver's answer is a status as published.
        expect(
          validateCallback({ status: 'running', externalId: 'run-1' }),
        ).toBe(true);
      } finally {
        await receiver.close();
      }
    },
  );

  it('the schema rejects a payload without the config or with a secret that is not a string', () => {
    const base = {
      promotionId: '6f1c2b9e-4d7a-4a53-9a4e-0c1f1e2d3a4b',
      entityRef: 'component:default/shop',
      phase: 'dev',
      release: {
        entityRef: 'component:default/shop',
        version: '1.0.0',
        artifact: 'x',
        createdBy: 'user:default/a',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      config: { variables: {}, secrets: {} },
      environment: { variables: {}, secrets: {} },
    };
    expect(validatePayload(base)).toBe(true);
    const { config: _c, ...noConfig } = base;
    expect(validatePayload(noConfig)).toBe(false);
    expect(
      validatePayload({
        ...base,
        config: { variables: {}, secrets: { A: 1 } },
      }),
    ).toBe(false);
  });

  it('what the callback route accepts and what the schema allows agree', () => {
    const id = '6f1c2b9e-4d7a-4a53-9a4e-0c1f1e2d3a4b';
    const good = [
      { promotionId: id, status: 'succeeded' },
      {
        promotionId: id,
        status: 'running',
        message: 'rolling out',
        progress: 40,
        url: 'https://ci.example.com/run/1',
        externalId: 'run-1',
      },
      { promotionId: id },
    ];
    for (const body of good) {
      expect(validateCallback(body)).toBe(true);
      expect(readWebhookStatus(body).status).not.toBe('unknown');
    }
    for (const body of [
      { promotionId: id, status: 'done' },
      { promotionId: id, progress: 'half' },
      { promotionId: id, url: 'ftp://example.com/run/1' },
    ]) {
      expect(validateCallback(body)).toBe(false);
    }
    expect(readWebhookStatus({ promotionId: id, status: 'done' }).status).toBe(
      'unknown',
    );
  });

  it('the README publishes both schemas exactly as the files hold them', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)\n```/g)].map(m =>
      JSON.parse(m[1]),
    );
    expect(blocks).toContainEqual(payloadSchema);
    expect(blocks).toContainEqual(callbackSchema);
  });
});
