import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  as,
  countRows,
  Harness,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';
import { signWebhook } from '../providers/WebhookProvider';
import { spec } from '../schema/openapi.generated';

jest.setTimeout(300_000);

const SECRET = 'test-webhook-secret-0123456789';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * What a response must never carry: a stack trace, or the text of an
 * internal error (database, driver, JavaScript runtime, file paths).
 */
const INTERNAL_TEXT = [
  /"stack"/,
  /\bat [\w.<>]+ \(/,
  /node_modules/,
  /\.(ts|js):\d+/,
  /invalid byte sequence/i,
  /\b(select|insert into|update|delete from) .* (from|where|values)\b/i,
  /SQLITE_|sqlite3?|pg-protocol|knex/i,
  /TypeError|ReferenceError|Cannot read propert/,
  /is not configured$/,
  /release\.providers\.webhook\.secret is not configured"/,
];

/** Good values of the path parameters: the request reaches the route. */
const GOOD_PATH: Record<string, string> = {
  kind: 'component',
  namespace: 'default',
  name: 'payments-api',
  version: '2.0.0',
  phase: 'stage',
  id: UNKNOWN_ID,
  secret: 'DB_PASSWORD',
  provider: 'webhook',
};

/** Bad values per path parameter: each must be a 4xx. */
const BAD_PATH: Record<string, string[]> = {
  kind: ['%00', 'k'.repeat(64), 'a%20b'],
  namespace: ['%00', 'n'.repeat(64)],
  name: ['x%00', 'pay%20ments', 'n'.repeat(64)],
  version: ['1.0.0%00', 'v1.0.0', '1.0', '1'.repeat(129)],
  phase: ['prod', 'Live!', '%00'],
  id: ['not-a-uuid', UNKNOWN_ID, '%00'],
  secret: ['lower', '%00'],
  provider: ['nope', '%00'],
};

const HUGE = 'x'.repeat(100_000);

/** Bad bodies: raw text (bad JSON) or values that JSON carries. */
const BAD_BODIES: Array<[string, string]> = [
  ['bad JSON', '{"version": '],
  ['not an object', '[1, 2, 3]'],
  ['null', 'null'],
  [
    'wrong types',
    JSON.stringify({
      version: 1,
      phase: ['qa'],
      artifact: {},
      comment: 7,
      reason: false,
      entityRefs: 'x',
      config: 'x',
      value: 1,
      expectedVersion: 'one',
    }),
  ],
  [
    'NUL bytes',
    JSON.stringify({
      version: '1.0.0\u0000',
      phase: 'qa\u0000',
      artifact: 'a\u0000',
      reason: 'r\u0000',
      entityRefs: ['component:default/x\u0000'],
      value: 'v',
      comment: 'c',
    }),
  ],
  [
    'huge strings',
    JSON.stringify({
      version: HUGE,
      phase: HUGE,
      artifact: HUGE,
      reason: HUGE,
      comment: HUGE,
      entityRefs: [HUGE],
      value: HUGE,
    }),
  ],
  [
    'unknown phases',
    JSON.stringify({
      version: '2.0.0',
      phase: 'prod',
      entityRefs: ['component:default/payments-api'],
      artifact: 'a',
    }),
  ],
  ['unknown keys', JSON.stringify({ version: '2.0.0', force: true, x: 1 })],
];

const BAD_QUERIES = [
  'limit=abc',
  'limit=100000',
  'cursor=%00',
  'cursor=abc',
  'status=bogus',
  'phase=prod',
  'from=prod&to=live',
  'from=%00&to=live',
  'unknown=1',
];

type Operation = {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  params: string[];
  hasBody: boolean;
  queries: string[];
};

/** Every operation of the OpenAPI spec. */
function operations(): Operation[] {
  const out: Operation[] = [];
  const paths = spec.paths as Record<string, Record<string, any>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of ['get', 'post', 'put', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      const params: string[] = [...path.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
      const queries = ((op.parameters ?? []) as Array<any>)
        .map(p =>
          p.$ref
            ? (spec.components.parameters as Record<string, any>)[
                p.$ref.split('/').pop()
              ]
            : p,
        )
        .filter(p => p.in === 'query')
        .map(p => p.name as string);
      out.push({
        method,
        path,
        params,
        hasBody: Boolean(op.requestBody),
        queries,
      });
    }
  }
  return out;
}

function fill(path: string, values: Record<string, string>) {
  return `/api/release${path.replace(/\{(\w+)\}/g, (_, p) => values[p])}`;
}

function signed(text: string, secret = SECRET) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    text,
    timestamp,
    signature: signWebhook(secret, timestamp, text),
  };
}

describe('invariants: errors', () => {
  const databases = createTestDatabases();
  const previousEnv = process.env.NODE_ENV;
  // Backstage's own error handler adds stack traces in development mode;
  // the plugin's answers must not carry one whatever the mode.
  beforeAll(() => {
    process.env.NODE_ENV = 'development';
  });
  afterAll(() => {
    process.env.NODE_ENV = previousEnv;
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(webhookSecret?: string) {
      const config = pipelineConfig({
        dev: {
          provider: { type: 'webhook', url: 'http://127.0.0.1:9/deploy' },
        },
      }) as any;
      if (webhookSecret) {
        config.release.providers = { webhook: { secret: webhookSecret } };
      }
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config,
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      return h;
    }

    function expectClean(
      what: string,
      res: request.Response,
      statuses: (s: number) => boolean = s => s >= 400 && s < 500,
    ) {
      expect({ what, status: res.status, ok: statuses(res.status) }).toEqual({
        what,
        status: res.status,
        ok: true,
      });
      const text = res.text ?? '';
      for (const pattern of INTERNAL_TEXT) {
        expect({
          what,
          leak: pattern.test(text) ? text.slice(0, 400) : '',
        }).toEqual({ what, leak: '' });
      }
      if (res.status >= 400) {
        // The standard error body, with a message that says something.
        expect(res.body?.error?.message).toEqual(expect.any(String));
        expect(res.body.error.message.length).toBeGreaterThan(5);
      }
    }

    it('invariant 36: every route of the spec answers bad input with a 4xx that says what is wrong, never a stack trace or internal text', async () => {
      const h = await start(SECRET);
      const before = await Promise.all(
        ['release_releases', 'release_promotions', 'release_history'].map(t =>
          countRows(h.knex, t),
        ),
      );
      const user = as(USERS.alice);
      let sent = 0;
      const send = async (
        op: Operation,
        url: string,
        body?: string,
        what = `${op.method.toUpperCase()} ${url.slice(0, 120)}`,
      ) => {
        let req = request(h.server)[op.method](url).set('Authorization', user);
        if (body !== undefined) {
          req = req.set('content-type', 'application/json').send(body);
        }
        const res = await req;
        sent++;
        return [what, res] as const;
      };

      for (const op of operations()) {
        // Each path parameter bad, the others good.
        for (const param of op.params) {
          for (const bad of BAD_PATH[param] ?? []) {
            const url = fill(op.path, { ...GOOD_PATH, [param]: bad });
            const [what, res] = await send(
              op,
              url,
              op.hasBody ? '{}' : undefined,
            );
            expectClean(what, res);
          }
        }
        // Each bad body on good paths.
        if (op.hasBody) {
          for (const [label, body] of BAD_BODIES) {
            const url = fill(op.path, GOOD_PATH);
            const [what, res] = await send(
              op,
              url,
              body,
              `${op.method.toUpperCase()} ${op.path} with ${label}`,
            );
            expectClean(what, res);
          }
        }
        // Each bad query on good paths.
        for (const query of BAD_QUERIES) {
          const name = query.split('=')[0];
          if (
            !op.queries.includes(name) &&
            name !== 'unknown' &&
            !(name === 'from' && op.queries.includes('from'))
          ) {
            continue;
          }
          const url = `${fill(op.path, GOOD_PATH)}?${query}`;
          const [what, res] = await send(
            op,
            url,
            op.hasBody ? '{}' : undefined,
          );
          expectClean(what, res);
        }
      }
      // Every operation was visited, with many requests each.
      expect(operations().length).toBeGreaterThanOrEqual(20);
      expect(sent).toBeGreaterThan(200);
      // Nothing changed.
      expect(
        await Promise.all(
          ['release_releases', 'release_promotions', 'release_history'].map(t =>
            countRows(h.knex, t),
          ),
        ),
      ).toEqual(before);
    });

    it('invariant 36: every failure of the webhook callback is a 4xx with a clear message (no secret, no or bad signature, malformed body, unknown promotion, replay)', async () => {
      const url = '/api/release/callbacks/webhook';
      const post = (
        h: Harness,
        cb?: { text: string; timestamp: string; signature: string },
        text = '{}',
      ) => {
        const req = request(h.server)
          .post(url)
          .set('content-type', 'application/json');
        if (cb) {
          req
            .set('x-release-timestamp', cb.timestamp)
            .set('x-release-signature', cb.signature);
        }
        return req.send(cb?.text ?? text);
      };

      // No webhook secret configured: nothing can be verified.
      const plain = await start();
      for (const res of [
        await post(plain),
        await post(plain, signed('{"promotionId":"x"}')),
        await post(plain, undefined, '{'),
      ]) {
        expectClean('callback without a webhook secret', res, s => s === 404);
        expect(res.body.error.message).toBe(
          'Webhook callbacks are not enabled: release.providers.webhook.secret is not configured, so no callback can be verified',
        );
      }

      const h = await start(SECRET);
      const cases: Array<
        [string, () => Promise<request.Response>, number, RegExp]
      > = [
        [
          'no signature',
          () => post(h),
          401,
          /missing or malformed signature headers/,
        ],
        [
          'wrong signature',
          () => post(h, signed('{}', 'another-secret')),
          401,
          /signature does not match/,
        ],
        [
          'bad JSON',
          () => post(h, signed('{"promotionId": ')),
          400,
          /not JSON/,
        ],
        [
          'not an object',
          () => post(h, signed('[1]')),
          400,
          /must be a JSON object/,
        ],
        [
          'no promotion id',
          () => post(h, signed('{"status":"succeeded"}')),
          400,
          /needs promotionId/,
        ],
        [
          'NUL byte in the id',
          () =>
            post(h, signed(JSON.stringify({ promotionId: `${UNKNOWN_ID}\0` }))),
          400,
          /needs promotionId/,
        ],
        [
          'unknown status',
          () =>
            post(
              h,
              signed(
                JSON.stringify({ promotionId: UNKNOWN_ID, status: 'done' }),
              ),
            ),
          400,
          /status must be one of pending, running, succeeded, failed/,
        ],
        [
          'wrong types',
          () =>
            post(
              h,
              signed(
                JSON.stringify({ promotionId: UNKNOWN_ID, progress: 'x' }),
              ),
            ),
          400,
          /progress must be a number/,
        ],
        [
          'unknown promotion',
          () =>
            post(
              h,
              signed(
                JSON.stringify({ promotionId: UNKNOWN_ID, status: 'failed' }),
              ),
            ),
          404,
          /No webhook promotion/,
        ],
        [
          'too large',
          () => post(h, signed(JSON.stringify({ m: HUGE }))),
          413,
          /too large/,
        ],
      ];
      for (const [name, call, status, message] of cases) {
        const res = await call();
        expectClean(name, res, s => s === status);
        expect({ name, message: res.body.error.message }).toEqual({
          name,
          message: expect.stringMatching(message),
        });
      }
      // Express matches a route in any case and with a trailing slash; the
      // callback router's gate (http/callbacks.ts) lets the same paths in.
      for (const path of [
        '/api/release/Callbacks/webhook',
        '/api/release/callbacks/webhook/',
      ]) {
        const res = await request(h.server)
          .post(path)
          .set('content-type', 'application/json')
          .send('{}');
        expectClean(path, res, s => s === 401);
        expect(res.body.error.message).toMatch(
          /missing or malformed signature headers/,
        );
      }

      // A real webhook promotion (queued; the test dispatcher is off): the
      // first signed message is taken, its replay refused with a 409.
      await seedRelease(h, '3.0.0');
      const p = await promote(h, USERS.alice, {
        version: '3.0.0',
        phase: 'dev',
      });
      expect(p.status).toBe(202);
      const msg = signed(
        JSON.stringify({ promotionId: p.body.id, status: 'running' }),
      );
      expect((await post(h, msg)).status).toBe(204);
      const replay = await post(h, msg);
      expectClean('replay', replay, s => s === 409);
      expect(replay.body.error.message).toMatch(/already processed/);
      // A promotion of another provider takes no webhook callbacks.
      const other = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(other.status).toBe(202);
      const res = await post(
        h,
        signed(
          JSON.stringify({ promotionId: other.body.id, status: 'failed' }),
        ),
      );
      expectClean('promotion of another provider', res, s => s === 404);
    });
  });
});
