import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually, json, startFakeServer } from '../__testUtils__/fakeServer';
import {
  as,
  countRows,
  PAYMENTS,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';
import { signWebhook } from '../providers/WebhookProvider';

jest.setTimeout(120_000);

const SECRET = 'test-webhook-secret-0123456789';

/** dev (webhook or simulated) → qa; fast dispatcher timings for tests. */
function config(dev: JsonObject, dispatcher: JsonObject = {}): JsonObject {
  return {
    release: {
      providers: {
        webhook: { secret: SECRET, timeoutMs: 500 },
        simulated: { durationMs: 600, steps: ['Step one', 'Step two'] },
      },
      dispatcher: {
        pollIntervalMs: 100,
        followIntervalMs: 100,
        backoffMs: 100,
        callTimeoutMs: 1_000,
        maxUnknown: 3,
        leaseMs: 2_000,
        ...dispatcher,
      },
      pipelines: Object.fromEntries(
        ['default', 'fast-track'].map(name => [
          name,
          {
            phases: [
              { id: 'dev', title: 'Dev', provider: dev },
              { id: 'qa', title: 'QA' },
            ],
          },
        ]),
      ),
    },
  };
}

function signedCallback(
  body: object,
  timestamp = String(Math.floor(Date.now() / 1000)),
) {
  const text = JSON.stringify(body);
  return {
    text,
    timestamp,
    signature: signWebhook(SECRET, timestamp, text),
  };
}

describe('deployment providers and durable dispatch', () => {
  const databases = createTestDatabases();
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map(c => c()));
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(cfg: JsonObject) {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: cfg,
      });
      await seedRelease(h, '2.0.0');
      return h;
    }
    async function fake(handler: Parameters<typeof startFakeServer>[0]) {
      const server = await startFakeServer(handler);
      closers.push(server.close);
      return server;
    }
    const promotionRow = (h: { knex: any }, id: string) =>
      h.knex('release_promotions').where({ id }).first();

    it('runs a promotion through the simulated provider to success, with progress, within a second of the request', async () => {
      const h = await start(config({ type: 'simulated' }));
      const requested = Date.now();
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      expect(p.status).toBe(202);
      const deploying = await eventually(async () => {
        const row = await promotionRow(h, p.body.id);
        return row.status !== 'queued' && row;
      });
      expect(Date.now() - requested).toBeLessThan(1_000);
      expect(deploying.external_id).toMatch(/^sim:/);
      const done = await eventually(async () => {
        const res = await request(h.server)
          .get(`/api/release/promotions/${p.body.id}`)
          .set('Authorization', as(USERS.alice));
        return res.body.status === 'succeeded' && res.body;
      });
      expect(done.providerType).toBe('simulated');
      expect(done.progress.map((e: { message: string }) => e.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/Step one/),
          '2.0.0 is running in dev',
        ]),
      );
      expect(done.startedAt).toBeDefined();
      expect(done.finishedAt).toBeDefined();
      const pipeline = await request(h.server)
        .get(`${PAYMENTS}/pipeline`)
        .set('Authorization', as(USERS.alice));
      expect(pipeline.body.phases[0].current.version).toBe('2.0.0');
      const actions = (
        await h.store.listHistory('component:default/payments-api', {
          limit: 20,
        })
      ).items.map(i => i.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'promotion.queued',
          'promotion.deploying',
          'promotion.succeeded',
        ]),
      );
    });

    it('invariant 23: the external id is stored before the promotion is reported as deploying', async () => {
      // eslint-disable-next-line prefer-const
      let h: Awaited<ReturnType<typeof start>>;
      const seenWhileCalled: string[] = [];
      const server = await fake(async (req, res) => {
        const body = JSON.parse(req.body);
        const row = await promotionRow(h, body.promotionId);
        seenWhileCalled.push(`${row.status}:${row.external_id}`);
        json(res, 200, {
          status: 'running',
          externalId: 'run-77',
          url: 'https://ci.example.com/run/77',
        });
      });
      h = await start(config({ type: 'webhook', url: `${server.url}/deploy` }));
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      const row = await eventually(async () => {
        const r = await promotionRow(h, p.body.id);
        return r.status === 'deploying' && r;
      });
      expect(seenWhileCalled).toEqual(['queued:null']);
      expect(row.external_id).toBe('run-77');
      expect(row.external_url).toBe('https://ci.example.com/run/77');
      // The signed request carried the release and the phase configuration.
      const sent = server.received[0];
      expect(sent.headers['x-release-signature']).toBe(
        signWebhook(
          SECRET,
          String(sent.headers['x-release-timestamp']),
          sent.body,
        ),
      );
      expect(JSON.parse(sent.body)).toMatchObject({
        promotionId: p.body.id,
        phase: 'dev',
        release: {
          version: '2.0.0',
          artifact: 'registry.example.com/app@sha256:2.0.0',
        },
        config: { variables: {} },
      });
    });

    it.each([
      ['HTTP 503', (res: any) => json(res, 503, { error: 'down' })],
      [
        'malformed JSON',
        (res: any) => {
          res.statusCode = 200;
          res.end('{"status": "succ');
        },
      ],
      [
        'an unknown status',
        (res: any) => json(res, 200, { status: 'probably-fine' }),
      ],
      ['a hanging server', () => undefined],
    ])(
      'invariant 24: %s is unknown, retried with backoff, then failed — never succeeded',
      async (_name, answer) => {
        const server = await fake((_req, res) => answer(res));
        const h = await start(
          config({
            type: 'webhook',
            url: `${server.url}/deploy`,
            statusUrl: `${server.url}/status/{promotionId}`,
          }),
        );
        const p = await promote(h, USERS.alice, {
          version: '2.0.0',
          phase: 'dev',
        });
        const row = await eventually(async () => {
          const r = await promotionRow(h, p.body.id);
          return ['failed', 'succeeded'].includes(r.status) && r;
        }, 20_000);
        expect(row.status).toBe('failed');
        const progress = JSON.parse(row.progress).map(
          (e: { message: string }) => e.message,
        );
        expect(
          progress.filter((m: string) => m.startsWith('Unknown:')).length,
        ).toBe(2);
        expect(progress[progress.length - 1]).toMatch(
          /stayed unknown after 3 tries/,
        );
        // One deployment call; the retries asked for the status first.
        expect(server.received.filter(r => r.method === 'POST')).toHaveLength(
          1,
        );
        const current = await request(h.server)
          .get(`${PAYMENTS}/pipeline`)
          .set('Authorization', as(USERS.alice));
        expect(current.body.phases[0].current).toBeNull();
      },
    );

    it('invariant 28: redirects are not followed (not even to the metadata address)', async () => {
      const metadata = await fake((_req, res) =>
        json(res, 200, { status: 'succeeded' }),
      );
      const server = await fake((_req, res) => {
        res.statusCode = 302;
        res.setHeader('location', `${metadata.url}/latest/meta-data/`);
        res.end();
      });
      const h = await start(
        config({ type: 'webhook', url: `${server.url}/deploy` }),
      );
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      const row = await eventually(async () => {
        const r = await promotionRow(h, p.body.id);
        return ['failed', 'succeeded'].includes(r.status) && r;
      }, 20_000);
      expect(row.status).toBe('failed');
      expect(row.progress).toMatch(/redirects are not followed/);
      expect(metadata.received).toEqual([]);
    });

    it('invariant 28: callbacks are HMAC-checked, bound to a known promotion, and replays are refused', async () => {
      const server = await fake((_req, res) =>
        json(res, 202, { status: 'running', externalId: 'ext-1' }),
      );
      const h = await start(
        config({ type: 'webhook', url: `${server.url}/deploy` }),
      );
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      await eventually(
        async () => (await promotionRow(h, p.body.id)).status === 'deploying',
      );
      const send = (cb: {
        text: string;
        timestamp: string;
        signature: string;
      }) =>
        request(h.server)
          .post('/api/release/callbacks/webhook')
          .set('content-type', 'application/json')
          .set('x-release-timestamp', cb.timestamp)
          .set('x-release-signature', cb.signature)
          .send(cb.text);

      const good = signedCallback({
        promotionId: p.body.id,
        status: 'succeeded',
        message: 'rolled out',
      });
      const forged = {
        ...good,
        signature: signWebhook('wrong-secret', good.timestamp, good.text),
      };
      expect((await send(forged)).status).toBe(401);
      const tampered = {
        ...good,
        text: good.text.replace('succeeded', 'failed'),
      };
      expect((await send(tampered)).status).toBe(401);
      const stale = signedCallback(
        { promotionId: p.body.id, status: 'failed' },
        String(Math.floor(Date.now() / 1000) - 3600),
      );
      expect((await send(stale)).status).toBe(401);
      const unknown = signedCallback({
        promotionId: '00000000-0000-4000-8000-000000000000',
        status: 'succeeded',
      });
      expect((await send(unknown)).status).toBe(404);
      expect((await promotionRow(h, p.body.id)).status).toBe('deploying');

      expect((await send(good)).status).toBe(204);
      expect((await promotionRow(h, p.body.id)).status).toBe('succeeded');
      const replay = await send(good);
      expect(replay.status).toBe(409);
      expect(replay.body.error.message).toMatch(/already processed/);
      const late = signedCallback({ promotionId: p.body.id, status: 'failed' });
      expect((await send(late)).status).toBe(409);
      expect((await promotionRow(h, p.body.id)).status).toBe('succeeded');
      // No credentials needed, but nothing else is open: other routes still need them.
      expect((await request(h.server).get(`${PAYMENTS}/pipeline`)).status).toBe(
        401,
      );
    });

    it('invariant 25: a deployment stuck past its deadline fails, audited', async () => {
      const server = await fake((_req, res) =>
        json(res, 202, { status: 'running', externalId: 'slow' }),
      );
      const h = await start(
        config(
          { type: 'webhook', url: `${server.url}/deploy` },
          { deploymentTimeoutMs: 400 },
        ),
      );
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      const row = await eventually(async () => {
        const r = await promotionRow(h, p.body.id);
        return r.status === 'failed' && r;
      }, 20_000);
      expect(row.progress).toMatch(/did not finish before its deadline/);
      expect(h.audit).toContainEqual(
        expect.objectContaining({
          eventId: 'promotion-deadline',
          severityLevel: 'high',
          status: 'failed',
        }),
      );
    });

    it('invariant 14: a lock placed after queueing keeps the deployment from starting', async () => {
      const server = await fake((_req, res) =>
        json(res, 200, { status: 'succeeded' }),
      );
      const cfg = config({ type: 'webhook', url: `${server.url}/deploy` }) as {
        release: JsonObject;
      };
      const knex = await databases.init(databaseId);
      // Instance A queues the promotion but does not dispatch…
      const a = await startReleaseBackend({
        knex,
        config: { release: { ...cfg.release, dispatcher: { enabled: false } } },
      });
      await seedRelease(a, '2.0.0');
      const p = await promote(a, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      expect(p.body.status).toBe('queued');
      // …then the phase is locked, and instance B, which dispatches, starts.
      const lock = await request(a.server)
        .put(`${PAYMENTS}/phases/dev/lock`)
        .set('Authorization', as(USERS.bob))
        .send({ reason: 'incident 9' });
      expect(lock.status).toBe(200);
      await startReleaseBackend({ knex, config: cfg });
      const row = await eventually(async () => {
        const r = await promotionRow(a, p.body.id);
        return r.progress && r;
      });
      expect(row.status).toBe('queued');
      expect(row.progress).toMatch(
        /Waiting: Dev is locked by user:default\/bob: incident 9/,
      );
      expect(server.received).toEqual([]);
    });
  });

  it('invariant 22: after a crash between dispatch and acknowledgement, recovery asks the provider first — exactly one deployment', async () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const databaseId = ids.includes('POSTGRES_15') ? 'POSTGRES_15' : 'SQLITE_3';
    const deployments = new Map<string, number>();
    const server = await startFakeServer(async (req, res) => {
      if (req.method === 'POST') {
        const { promotionId } = JSON.parse(req.body);
        deployments.set(promotionId, (deployments.get(promotionId) ?? 0) + 1);
        json(res, 202, { status: 'running', externalId: `ext-${promotionId}` });
        return;
      }
      const id = req.path.split('/').pop()!;
      if (!deployments.has(id)) {
        json(res, 404, { error: 'no such deployment' });
      } else {
        json(res, 200, {
          status: 'succeeded',
          externalId: `ext-${id}`,
          message: 'done',
        });
      }
    });
    closers.push(server.close);
    const cfg = config({
      type: 'webhook',
      url: `${server.url}/deploy`,
      statusUrl: `${server.url}/status/{promotionId}`,
    });
    const knex = await databases.init(databaseId);

    // Process A queues two promotions, then "dies" without dispatching:
    // it never acknowledges, so what the database holds is exactly what a
    // kill between the provider call and the acknowledgement leaves behind.
    const a = await startReleaseBackend({
      knex,
      config: {
        ...cfg,
        release: {
          ...(cfg.release as JsonObject),
          dispatcher: { enabled: false },
        },
      },
    });
    await seedRelease(a, '2.0.0');
    await seedRelease(a, '2.0.0', [], 'component:default/ledger-worker');
    const reached = await promote(a, USERS.alice, {
      version: '2.0.0',
      phase: 'dev',
    });
    const ledger = await request(a.server)
      .post('/api/release/entities/component/default/ledger-worker/promotions')
      .set('Authorization', as(USERS.alice))
      .send({ version: '2.0.0', phase: 'dev' });
    expect([reached.status, ledger.status]).toEqual([202, 202]);
    const crashed = {
      lease_owner: 'dispatcher-of-process-a',
      attempts: 1,
      lease_expires_at: new Date(Date.now() - 1000),
    };
    await knex('release_promotions')
      .whereIn('id', [reached.body.id, ledger.body.id])
      .update(crashed);
    // A's call for the first one reached the provider before the crash; the second's did not.
    deployments.set(reached.body.id, 1);

    // Process B takes over on the same database.
    const b = await startReleaseBackend({ knex, config: cfg });
    for (const id of [reached.body.id, ledger.body.id]) {
      await eventually(
        async () =>
          (await knex('release_promotions').where({ id }).first()).status ===
          'succeeded',
        20_000,
      );
    }
    expect(deployments.get(reached.body.id)).toBe(1);
    expect(deployments.get(ledger.body.id)).toBe(1);
    const asked = server.received
      .filter(r => r.method === 'GET')
      .map(r => r.path.split('/').pop());
    expect(asked).toEqual(
      expect.arrayContaining([reached.body.id, ledger.body.id]),
    );
    expect(
      await countRows(b.knex, 'release_promotions', {
        status: 'succeeded',
        phase: 'dev',
      }),
    ).toBe(2);
  });
});
