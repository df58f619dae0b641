import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import path from 'path';
import {
  BackendProcess,
  killAllBackendProcesses,
  killBackendProcess,
  startBackendProcess,
  tailLog,
  waitUntilReady,
} from '../__testUtils__/backendProcess';
import { startCountingWebhook } from '../__testUtils__/countingWebhook';
import { createTestDatabases } from '../__testUtils__/databases';

/*
 * Invariants 22 and 23 with real processes: two release backends (the real
 * wiring, each its own OS process) on one PostgreSQL database, a deployment
 * system behind the webhook provider's API that counts deploy calls. Each
 * round a user requests and approves a promotion over HTTP; the backend that
 * dispatches it is SIGKILLed while the deployment system holds its deploy
 * call (received, not yet answered: before the promotion is acknowledged as
 * deploying). The other process recovers it after the lease; the killed one
 * is restarted for the next round.
 *
 * Ports 7601–7603. `RELEASE_CRASH_ROUNDS` changes the number of rounds
 * (default 20), `RELEASE_CRASH_LOG_LEVEL` the backends' log level; their logs
 * stay in the work folder printed on failure.
 */

const ROUNDS = Number(process.env.RELEASE_CRASH_ROUNDS ?? 20);
const PORTS = { a: 7601, b: 7602, webhook: 7603 };
const ENTITY_PATH = '/api/release/entities/component/default/crash-svc';
const USER = 'user:default/crash-user';
const CI_TOKEN = 'crash-test-ci-token-0123456789abcdef';
const SECRETS = { a: 'crash-secret-process-a', b: 'crash-secret-process-b' };
const LEASE_MS = 1_000;

jest.setTimeout(10 * 60_000);

const databases = createTestDatabases();
const connection =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const runOnPostgres = databases.supports('POSTGRES_15') && connection;

/** The test connection string, pointed at one database. */
function databaseUrl(database: string) {
  const url = new URL(connection!);
  url.pathname = `/${database}`;
  return url.toString();
}

function backendConfig(options: {
  name: 'a' | 'b';
  port: number;
  prefix: string;
  entitiesFile: string;
  webhookUrl: string;
}) {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  return {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port: options.port, host: '127.0.0.1' },
      database: {
        client: 'pg',
        connection,
        prefix: options.prefix,
      },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: CI_TOKEN, subject: 'crash-ci' } },
        ],
      },
    },
    auth: {
      providers: {
        guest: {
          userEntityRef: USER,
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    catalog: {
      rules: [{ allow: ['Component', 'User', 'Group', 'Location'] }],
      locations: [{ type: 'file', target: options.entitiesFile }],
    },
    release: {
      secrets: {
        keys: [{ id: 'k1', key: Buffer.alloc(32, 7).toString('base64') }],
      },
      providers: {
        // Each process signs with its own secret: the deployment system
        // tells which process called it.
        webhook: { secret: SECRETS[options.name], timeoutMs: 60_000 },
      },
      dispatcher: {
        pollIntervalMs: 200,
        leaseMs: LEASE_MS,
        callTimeoutMs: 60_000,
        followIntervalMs: 200,
        backoffMs: 200,
        maxUnknown: 5,
        deploymentTimeoutMs: 120_000,
      },
      pipelines: {
        crash: {
          phases: [
            {
              id: 'dev',
              title: 'Dev',
              requires: false,
              provider: {
                type: 'webhook',
                url: `${options.webhookUrl}/deploy`,
                statusUrl: `${options.webhookUrl}/status/{promotionId}`,
              },
              approvals: { required: 1, allowSelfApproval: true },
            },
          ],
        },
      },
    },
  };
}

async function call(
  base: string,
  method: 'GET' | 'POST',
  url: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the failure message.
  }
  return { status: res.status, body: parsed };
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(
        `Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('invariants: a real backend process killed mid-dispatch', () => {
  if (!runOnPostgres) {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
    it.skip('invariant 22: … SIGKILL … (needs PostgreSQL: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)', () => {});
    return;
  }

  const prefix = `release_crash_${process.pid}_`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-crash-'));
  let admin: Knex | undefined;
  let releaseDb: Knex = undefined as unknown as Knex;
  let webhook: Awaited<ReturnType<typeof startCountingWebhook>> | undefined;
  let failed = false;

  afterAll(async () => {
    await killAllBackendProcesses();
    await webhook?.close();
    await releaseDb?.destroy();
    if (admin) {
      const dbs = await admin
        .select('datname')
        .from('pg_database')
        .where('datname', 'like', `${prefix}%`);
      for (const { datname } of dbs) {
        await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
      }
      await admin.destroy();
    }
    if (!failed) {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });

  it(`invariant 22: a backend process SIGKILLed between the provider receiving the deploy and the acknowledgement is recovered by the other process — ${ROUNDS} rounds, every promotion succeeds with exactly one deploy call (invariant 23: external id stored with deploying)`, async () => {
    const started = Date.now();
    const procs: Record<'a' | 'b', BackendProcess | undefined> = {
      a: undefined,
      b: undefined,
    };
    try {
      admin = knexFactory({ client: 'pg', connection });
      webhook = await startCountingWebhook({
        port: PORTS.webhook,
        secrets: SECRETS,
      });
      const entitiesFile = path.join(workDir, 'entities.json');
      fs.writeFileSync(
        entitiesFile,
        JSON.stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'crash-svc',
            annotations: { 'release.backstage.io/pipeline': 'crash' },
          },
          spec: { type: 'service', lifecycle: 'production', owner: USER },
        }),
      );
      const compileCacheDir = path.join(workDir, 'compile-cache');
      const configFiles = { a: '', b: '' };
      const starts: Record<'a' | 'b', number> = { a: 0, b: 0 };
      const start = (name: 'a' | 'b') => {
        starts[name]++;
        procs[name] = startBackendProcess({
          name,
          port: PORTS[name],
          configFile: configFiles[name],
          logFile: path.join(workDir, `backend-${name}.log`),
          workDir,
          compileCacheDir,
        });
        return procs[name]!;
      };
      for (const name of ['a', 'b'] as const) {
        configFiles[name] = path.join(workDir, `app-config.${name}.yaml`);
        // JSON is YAML.
        fs.writeFileSync(
          configFiles[name],
          JSON.stringify(
            backendConfig({
              name,
              port: PORTS[name],
              prefix,
              entitiesFile,
              webhookUrl: webhook.url,
            }),
          ),
        );
      }

      // The first process creates the databases and runs the migrations
      // alone; then the second joins.
      await waitUntilReady(start('a'), 120_000);
      await waitUntilReady(start('b'), 120_000);
      const startupMs = Date.now() - started;
      releaseDb = knexFactory({
        client: 'pg',
        connection: databaseUrl(`${prefix}release`),
      });

      // A real user token from the auth backend (guest sign-in); it is
      // accepted by both processes (they share the signing keys).
      const refresh = await fetch(
        `${procs.a!.baseUrl}/api/auth/guest/refresh`,
        {
          method: 'POST',
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        },
      );
      const userToken = ((await refresh.json()) as any)?.backstageIdentity
        ?.token as string;
      expect(userToken).toEqual(expect.any(String));

      // The catalog has read the entity: the release plugin resolves it.
      await until(
        'the catalog to serve the entity',
        async () => {
          const r = await call(
            procs.b!.baseUrl,
            'GET',
            `${ENTITY_PATH}/releases`,
            userToken,
          );
          return r.status === 200 ? r : undefined;
        },
        60_000,
      );

      const rounds: Array<{
        round: number;
        promotionId: string;
        killed: string;
        recoveredBy?: string;
        status?: string;
        ms: number;
      }> = [];

      for (let round = 0; round < ROUNDS; round++) {
        const t0 = Date.now();
        // Requests go to each process in turn; whichever process claims
        // the promotion is the one killed.
        const via = procs[round % 2 === 0 ? 'a' : 'b']!;
        const version = `1.0.${round}`;
        const created = await call(
          via.baseUrl,
          'POST',
          `${ENTITY_PATH}/releases`,
          CI_TOKEN,
          { version, artifact: `registry.example.com/crash@sha256:${round}` },
        );
        expect(created).toMatchObject({ status: 201 });
        const requested = await call(
          via.baseUrl,
          'POST',
          `${ENTITY_PATH}/promotions`,
          userToken,
          { phase: 'dev', version },
        );
        expect(requested).toMatchObject({
          status: 202,
          body: { status: 'pending_approval' },
        });
        const promotionId: string = requested.body.id;
        const approved = await call(
          via.baseUrl,
          'POST',
          `/api/release/promotions/${promotionId}/approve`,
          userToken,
          { comment: `round ${round}` },
        );
        expect(approved.status).toBe(200);

        // The deployment system has the deploy call and holds its answer.
        const deploy = await webhook.next(
          c => c.kind === 'deploy' && c.promotionId === promotionId,
          30_000,
          `the deploy call of round ${round}`,
        );
        expect(deploy.idempotencyKey).toBe(promotionId);
        const killedName = deploy.sender as 'a' | 'b' | undefined;
        if (killedName !== 'a' && killedName !== 'b') {
          throw new Error(`Round ${round}: a deploy call signed by no process`);
        }
        const survivorName = killedName === 'a' ? 'b' : 'a';
        // Not acknowledged yet: the promotion is still queued, one attempt
        // counted, no external id.
        const before = await releaseDb('release_promotions')
          .where('id', promotionId)
          .first();
        expect(before).toMatchObject({
          status: 'queued',
          attempts: 1,
          external_id: null,
        });
        const signal = await killBackendProcess(procs[killedName]!);
        expect(signal).toBe('SIGKILL');
        // The killed one is restarted at once, for the next round; a start
        // takes far longer than the lease, so the survivor recovers.
        start(killedName);

        // The survivor claims it once the lease ran out and asks the
        // deployment system first.
        const recovery = await webhook.next(
          c => c.promotionId === promotionId && c.at > deploy.at,
          LEASE_MS + 30_000,
          `the recovery of round ${round}`,
        );
        const done = await until(
          `promotion ${promotionId} to end (round ${round})`,
          async () => {
            const r = await call(
              procs[survivorName]!.baseUrl,
              'GET',
              `/api/release/promotions/${promotionId}`,
              userToken,
            );
            return ['succeeded', 'failed', 'cancelled', 'superseded'].includes(
              r.body?.status,
            )
              ? (r.body.status as string)
              : undefined;
          },
          30_000,
        );
        await waitUntilReady(procs[killedName]!, 120_000);
        rounds.push({
          round,
          promotionId,
          killed: killedName,
          recoveredBy: `${recovery.kind} by ${recovery.sender}`,
          status: done,
          ms: Date.now() - t0,
        });
      }

      {
        const release = releaseDb;
        const ids = rounds.map(r => r.promotionId);
        const rows = await release('release_promotions').whereIn('id', ids);
        const history = await release('release_history')
          .whereIn('promotion_id', ids)
          .orderBy('id');
        const counts = webhook.deployCounts();
        const summary = {
          rounds: rounds.length,
          deployCalls: [...counts.values()].reduce((a, b) => a + b, 0),
          killed: {
            a: rounds.filter(r => r.killed === 'a').length,
            b: rounds.filter(r => r.killed === 'b').length,
          },
          startupMs,
          totalMs: Date.now() - started,
          roundMs: rounds.map(r => r.ms),
        };
        // eslint-disable-next-line no-console
        console.log(`crash test figures: ${JSON.stringify(summary)}`);

        // Every promotion ended, successfully.
        expect(rounds.map(r => r.status)).toEqual(ids.map(() => 'succeeded'));
        expect(rows.map((r: any) => r.status)).toEqual(
          ids.map(() => 'succeeded'),
        );
        // Exactly one deploy call per promotion: recovery asked first.
        expect(ids.map(id => counts.get(id))).toEqual(ids.map(() => 1));
        // Recovery was done by the process that was not killed, and its
        // first call was a status query, not a deploy.
        expect(rounds.map(r => r.recoveredBy)).toEqual(
          rounds.map(r => `status by ${r.killed === 'a' ? 'b' : 'a'}`),
        );
        for (const id of ids) {
          const mine = history.filter((h: any) => h.promotion_id === id);
          const actions = mine.map((h: any) => h.action);
          expect(
            actions.filter((a: string) => a === 'promotion.deploying'),
          ).toHaveLength(1);
          expect(
            actions.filter((a: string) => a === 'promotion.succeeded'),
          ).toHaveLength(1);
          // Invariant 23: the deploying row carries the provider's id.
          const deploying = mine.find(
            (h: any) => h.action === 'promotion.deploying',
          );
          const after = JSON.parse(deploying.after);
          expect(after.externalId).toBe(
            webhook.deployments.get(id)!.externalId,
          );
          const row = rows.find((r: any) => r.id === id);
          expect(row.external_id).toBe(webhook.deployments.get(id)!.externalId);
        }
      }
    } catch (e) {
      failed = true;
      const logs = Object.values(procs)
        .filter((p): p is BackendProcess => p !== undefined)
        .map(p => `--- backend ${p.name} (last lines) ---\n${tailLog(p)}`)
        .join('\n');
      throw new Error(
        `${String(
          (e as Error).stack ?? e,
        )}\n${logs}\n(backend logs in ${workDir})`,
      );
    }
  });
});
