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
import {
  capturedCount,
  findLeaks,
  forgetSince,
  record,
} from '../__testUtils__/secretScan';

jest.setTimeout(120_000);

const KEY = Buffer.alloc(32, 5).toString('base64');

describe('invariant 29: secret values never leave the provider call', () => {
  const databases = createTestDatabases();

  it('the scanner finds a leak when there is one (control)', () => {
    const mark = capturedCount();
    record('control', 'oops SECRET-VALUE-control leaked');
    expect(findLeaks()).toEqual([
      { where: 'control', excerpt: 'oops SECRET-VALUE-control leaked' },
    ]);
    forgetSince(mark);
    expect(findLeaks()).toEqual([]);
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('invariant 29: secrets reach the provider, and no response, error, log line, audit event or ledger row', async () => {
      const received: string[] = [];
      const provider = await startFakeServer((req, res) => {
        received.push(req.body);
        if (req.method === 'POST') {
          // A failing provider that echoes what it got must not leak it either.
          json(res, 500, { error: `could not deploy with ${req.body}` });
        } else {
          json(res, 404, {});
        }
      });
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: {
          release: {
            secrets: { keys: [{ id: 'k1', key: KEY }] },
            providers: { webhook: { secret: 'hmac-secret', timeoutMs: 500 } },
            dispatcher: {
              pollIntervalMs: 100,
              followIntervalMs: 100,
              backoffMs: 100,
              maxUnknown: 2,
            },
            pipelines: {
              default: {
                phases: [
                  {
                    id: 'dev',
                    provider: {
                      type: 'webhook',
                      url: `${provider.url}/deploy`,
                      statusUrl: `${provider.url}/status/{promotionId}`,
                    },
                    config: {
                      database: {
                        engine: 'postgres',
                        passwordSecret: 'DB_PASSWORD',
                      },
                    },
                  },
                ],
              },
            },
          },
        },
      });
      try {
        await seedRelease(h, '1.0.0');
        const set = await request(h.server)
          .put(`${PAYMENTS}/phases/dev/secrets/DB_PASSWORD`)
          .set('Authorization', as(USERS.alice))
          .send({ value: 'SECRET-VALUE-pg-pass-1' });
        expect(set.status).toBe(204);
        expect(set.text).toBe('');
        // Errors about secrets do not echo values either.
        const bad = await request(h.server)
          .put(`${PAYMENTS}/phases/dev/secrets/bad-name`)
          .set('Authorization', as(USERS.alice))
          .send({ value: 'SECRET-VALUE-in-a-400' });
        expect(bad.status).toBe(400);
        const p = await promote(h, USERS.alice, {
          version: '1.0.0',
          phase: 'dev',
        });
        await eventually(async () => {
          const row = await h
            .knex('release_promotions')
            .where({ id: p.body.id })
            .first();
          return row.status === 'failed';
        }, 20_000);
        const detail = await request(h.server)
          .get(`/api/release/promotions/${p.body.id}`)
          .set('Authorization', as(USERS.alice));
        expect(detail.body.progress.length).toBeGreaterThan(0);
        // The provider was given the decrypted value, with the rest of the configuration.
        expect(JSON.parse(received[0]).config).toMatchObject({
          secrets: { DB_PASSWORD: 'SECRET-VALUE-pg-pass-1' },
          database: { passwordSecret: 'DB_PASSWORD' },
        });
        // Everything else is checked by the harness after this test; check now too.
        expect(findLeaks()).toEqual([]);
      } finally {
        await provider.close();
      }
    });
  });
});
