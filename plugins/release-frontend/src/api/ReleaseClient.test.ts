import { registerMswTestHooks } from '@backstage/test-utils';
import { mockApis } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  deliveryMetrics,
  historyEntries,
  pipeline,
  phaseConfig,
  phaseDiff,
  promotionDetail,
  releases,
} from '../__testUtils__/fixtures';
import { ReleaseClient } from './ReleaseClient';

const server = setupServer();
const base = 'http://example.com/api/release';
const entityBase = `${base}/entities/component/default/payments`;
const PROMOTION_ID = '0b9c5a1e-6f2d-4c1b-9f49-2d3e8c7a1b00';

describe('ReleaseClient', () => {
  registerMswTestHooks(server);

  const client = new ReleaseClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://example.com' }),
    fetchApi: mockApis.fetch(),
  });

  it('calls the train routes: encoded refs, the idempotency key, the decision bodies', async () => {
    const seen: string[] = [];
    const record = async ({ request }: { request: Request }) => {
      const url = new URL(request.url);
      const body = request.method === 'POST' ? await request.text() : '';
      seen.push(
        `${request.method} ${url.pathname.replace('/api/release', '')}${
          url.search
        } ${request.headers.get('Idempotency-Key') ?? ''} ${body}`.trim(),
      );
      return HttpResponse.json({ items: [], members: [] });
    };
    server.use(http.get(`${base}/*`, record), http.post(`${base}/*`, record));
    await client.listTrains({ system: 'system:default/shop', status: 'all' });
    await client.listEntityTrains('component:default/cart-api', { limit: 5 });
    await client.getTrainPlan('system:default/shop', 'stage');
    await client.createTrain(
      { system: 'system:default/shop', phase: 'stage' },
      { idempotencyKey: 'k-1' },
    );
    await client.approveTrain('t 1', { comment: 'ok' });
    await client.rejectTrain('t-1', { comment: 'no' });
    await client.rollbackTrain('t-1');
    expect(seen).toEqual([
      'GET /trains?system=system%3Adefault%2Fshop&status=all',
      'GET /entities/component/default/cart-api/trains?limit=5',
      'GET /entities/system/default/shop/train-plan?phase=stage',
      'POST /trains k-1 {"system":"system:default/shop","phase":"stage"}',
      'POST /trains/t%201/approve  {"comment":"ok"}',
      'POST /trains/t-1/reject  {"comment":"no"}',
      'POST /trains/t-1/rollback  {}',
    ]);
  });

  it('gets the pipeline of an entity', async () => {
    server.use(
      http.get(`${base}/entities/component/default/payments/pipeline`, () =>
        HttpResponse.json(pipeline),
      ),
    );
    await expect(
      client.getPipeline('component:default/payments'),
    ).resolves.toEqual(pipeline);
  });

  it('lists releases with limit and cursor', async () => {
    let seen: URLSearchParams | undefined;
    server.use(
      http.get(
        `${base}/entities/component/default/payments/releases`,
        ({ request }) => {
          seen = new URL(request.url).searchParams;
          return HttpResponse.json({ items: releases, nextCursor: 'next' });
        },
      ),
    );
    const page = await client.listReleases('component:default/payments', {
      limit: 2,
      cursor: 'abc=',
    });
    expect(page).toEqual({ items: releases, nextCursor: 'next' });
    expect(seen?.get('limit')).toBe('2');
    expect(seen?.get('cursor')).toBe('abc=');
  });

  it('gets delivery metrics of an entity and of a group, with the period encoded', async () => {
    const metrics = deliveryMetrics();
    const seen: string[] = [];
    server.use(
      http.get(`${entityBase}/metrics`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json(metrics);
      }),
      http.get(`${base}/metrics`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json(metrics);
      }),
    );
    await expect(
      client.getMetrics('component:default/payments', {
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-08T00:00:00.000Z',
      }),
    ).resolves.toEqual(metrics);
    await client.getGroupMetrics({ owner: 'group:default/team-payments' });
    expect(seen).toEqual([
      '?from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-08T00%3A00%3A00.000Z',
      '?owner=group%3Adefault%2Fteam-payments',
    ]);
  });

  it('patches a release plan', async () => {
    let body: unknown;
    server.use(
      http.patch(`${entityBase}/releases/1.2.0/plan`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ...releases[0], plannedAt: {} });
      }),
    );
    await client.updateReleasePlan('component:default/payments', '1.2.0', {
      live: '2026-12-03',
      stage: null,
    });
    expect(body).toEqual({ plannedAt: { live: '2026-12-03', stage: null } });
  });

  it('sends no query string without options', async () => {
    let search: string | undefined;
    server.use(
      http.get(
        `${base}/entities/component/default/payments/releases`,
        ({ request }) => {
          search = new URL(request.url).search;
          return HttpResponse.json({ items: [] });
        },
      ),
    );
    await expect(
      client.listReleases('component:default/payments'),
    ).resolves.toEqual({ items: [] });
    expect(search).toBe('');
  });

  it('encodes path parts', async () => {
    let path: string | undefined;
    server.use(
      http.get(`${base}/entities/*`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json(releases[0]);
      }),
    );
    await client.getRelease('component:my-ns/my.app', '1.0.0+build/7');
    expect(path).toBe(
      '/api/release/entities/component/my-ns/my.app/releases/1.0.0%2Bbuild%2F7',
    );
  });

  it('posts a new release', async () => {
    let body: unknown;
    server.use(
      http.post(
        `${base}/entities/component/default/payments/releases`,
        async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(
            {
              entityRef: 'component:default/payments',
              version: '2.0.0',
              artifact: 'img:2.0.0',
              createdBy: 'user:default/guest',
              createdAt: '2024-03-01T10:00:00.000Z',
            },
            { status: 201 },
          );
        },
      ),
    );
    const created = await client.createRelease('component:default/payments', {
      version: '2.0.0',
      artifact: 'img:2.0.0',
    });
    expect(body).toEqual({ version: '2.0.0', artifact: 'img:2.0.0' });
    expect(created.version).toBe('2.0.0');
  });

  it('throws a ResponseError carrying the server message', async () => {
    server.use(
      http.post(`${base}/entities/component/default/payments/releases`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Release 1.2.0 of component:default/payments exists',
            },
            request: { method: 'POST', url: '/releases' },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .createRelease('component:default/payments', {
        version: '1.2.0',
        artifact: 'img',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe(
      'Release 1.2.0 of component:default/payments exists',
    );
  });
  describe('promotions', () => {
    const detail = promotionDetail({
      id: PROMOTION_ID,
      phase: 'live',
      status: 'pending_approval',
    });

    it('requests a promotion with the Idempotency-Key header', async () => {
      let body: unknown;
      let key: string | null = null;
      server.use(
        http.post(`${entityBase}/promotions`, async ({ request }) => {
          body = await request.json();
          key = request.headers.get('Idempotency-Key');
          return HttpResponse.json(detail, { status: 202 });
        }),
      );
      const created = await client.createPromotion(
        'component:default/payments',
        { version: '1.2.0', phase: 'live', comment: 'Ship it' },
        { idempotencyKey: 'key-1' },
      );
      expect(body).toEqual({
        version: '1.2.0',
        phase: 'live',
        comment: 'Ship it',
      });
      expect(key).toBe('key-1');
      expect(created).toEqual(detail);
    });

    it('sends no Idempotency-Key header without a key', async () => {
      let hasKey: boolean | undefined;
      server.use(
        http.post(`${entityBase}/promotions`, ({ request }) => {
          hasKey = request.headers.has('Idempotency-Key');
          return HttpResponse.json(detail, { status: 202 });
        }),
      );
      await client.createPromotion('component:default/payments', {
        version: '1.2.0',
        phase: 'live',
      });
      expect(hasKey).toBe(false);
    });

    it('lists promotions filtered by phase and status', async () => {
      let seen: URLSearchParams | undefined;
      server.use(
        http.get(`${entityBase}/promotions`, ({ request }) => {
          seen = new URL(request.url).searchParams;
          return HttpResponse.json({ items: [detail] });
        }),
      );
      await expect(
        client.listPromotions('component:default/payments', {
          phase: 'live',
          status: 'pending_approval',
          limit: 5,
        }),
      ).resolves.toEqual([detail]);
      expect(Object.fromEntries(seen!)).toEqual({
        phase: 'live',
        status: 'pending_approval',
        limit: '5',
      });
    });

    it('gets one promotion', async () => {
      server.use(
        http.get(`${base}/promotions/${PROMOTION_ID}`, () =>
          HttpResponse.json(detail),
        ),
      );
      await expect(client.getPromotion(PROMOTION_ID)).resolves.toEqual(detail);
    });

    it.each([
      ['approve', () => client.approvePromotion(PROMOTION_ID)],
      [
        'reject',
        () => client.rejectPromotion(PROMOTION_ID, { comment: 'Not now' }),
      ],
      ['cancel', () => client.cancelPromotion(PROMOTION_ID)],
    ] as const)('posts a %s decision', async (action, call) => {
      let body: unknown;
      server.use(
        http.post(
          `${base}/promotions/${PROMOTION_ID}/${action}`,
          async ({ request }) => {
            body = await request.json();
            return HttpResponse.json({ ...detail, status: 'approved' });
          },
        ),
      );
      const result = await call();
      expect(result.status).toBe('approved');
      expect(body).toEqual(action === 'reject' ? { comment: 'Not now' } : {});
    });

    it('passes the comment of an approval', async () => {
      let body: unknown;
      server.use(
        http.post(
          `${base}/promotions/${PROMOTION_ID}/approve`,
          async ({ request }) => {
            body = await request.json();
            return HttpResponse.json(detail);
          },
        ),
      );
      await client.approvePromotion(PROMOTION_ID, { comment: 'LGTM' });
      expect(body).toEqual({ comment: 'LGTM' });
    });

    it('surfaces the reason a decision is refused', async () => {
      server.use(
        http.post(`${base}/promotions/${PROMOTION_ID}/approve`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'NotAllowedError',
                message:
                  "You requested this promotion; phase 'live' needs someone else to approve it",
              },
              request: { method: 'POST', url: '/approve' },
              response: { statusCode: 403 },
            },
            { status: 403 },
          ),
        ),
      );
      const error = await client.approvePromotion(PROMOTION_ID).catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
      expect(error.body.error.message).toMatch(/someone else to approve it/);
    });

    it('reads the approvals inbox', async () => {
      let search: string | undefined;
      server.use(
        http.get(`${base}/approvals`, ({ request }) => {
          search = new URL(request.url).search;
          return HttpResponse.json({ items: [detail] });
        }),
      );
      await expect(client.listApprovals()).resolves.toEqual([detail]);
      expect(search).toBe('?status=pending');
    });
  });

  describe('phases', () => {
    it('requests a rollback with a version and Idempotency-Key', async () => {
      let body: unknown;
      let key: string | null = null;
      const rollback = promotionDetail({ id: PROMOTION_ID, kind: 'rollback' });
      server.use(
        http.post(`${entityBase}/phases/live/rollback`, async ({ request }) => {
          body = await request.json();
          key = request.headers.get('Idempotency-Key');
          return HttpResponse.json(rollback, { status: 202 });
        }),
      );
      const result = await client.rollbackPhase(
        'component:default/payments',
        'live',
        { version: '1.1.0' },
        { idempotencyKey: 'key-2' },
      );
      expect(result.kind).toBe('rollback');
      expect(body).toEqual({ version: '1.1.0' });
      expect(key).toBe('key-2');
    });

    it('rolls back to the previous release without a body', async () => {
      let body: unknown;
      server.use(
        http.post(`${entityBase}/phases/live/rollback`, async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(promotionDetail(), { status: 202 });
        }),
      );
      await client.rollbackPhase('component:default/payments', 'live');
      expect(body).toEqual({});
    });

    it('locks a phase with a reason', async () => {
      let body: unknown;
      const lock = {
        reason: 'Incident 42',
        lockedBy: 'user:default/guest',
        lockedAt: '2024-03-01T10:00:00.000Z',
      };
      server.use(
        http.put(`${entityBase}/phases/stage/lock`, async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(lock);
        }),
      );
      await expect(
        client.lockPhase('component:default/payments', 'stage', 'Incident 42'),
      ).resolves.toEqual(lock);
      expect(body).toEqual({ reason: 'Incident 42' });
    });

    it('unlocks a phase (204, no body)', async () => {
      let called = false;
      server.use(
        http.delete(`${entityBase}/phases/stage/lock`, () => {
          called = true;
          return new HttpResponse(null, { status: 204 });
        }),
      );
      await expect(
        client.unlockPhase('component:default/payments', 'stage'),
      ).resolves.toBeUndefined();
      expect(called).toBe(true);
    });
  });

  describe('phase configuration', () => {
    it('gets the configuration of a phase', async () => {
      const config = phaseConfig();
      server.use(
        http.get(`${entityBase}/phases/stage/config`, () =>
          HttpResponse.json(config),
        ),
      );
      await expect(
        client.getPhaseConfig('component:default/payments', 'stage'),
      ).resolves.toEqual(config);
    });

    it('puts a configuration with the expected version', async () => {
      let body: unknown;
      const created = {
        version: 4,
        hash: 'sha256:def',
        createdBy: 'user:default/guest',
        createdAt: '2024-03-01T10:00:00.000Z',
        change: 'variables',
      };
      server.use(
        http.put(`${entityBase}/phases/stage/config`, async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(created);
        }),
      );
      const request = {
        variables: { LOG_LEVEL: 'debug' },
        sizing: { replicas: 2 },
        expectedVersion: 3,
      };
      await expect(
        client.putPhaseConfig('component:default/payments', 'stage', request),
      ).resolves.toEqual(created);
      expect(body).toEqual(request);
    });

    it('surfaces a stale expected version as a 409 with the message', async () => {
      server.use(
        http.put(`${entityBase}/phases/stage/config`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'ConflictError',
                message: 'Configuration is at version 5',
              },
              request: { method: 'PUT', url: '/config' },
              response: { statusCode: 409 },
            },
            { status: 409 },
          ),
        ),
      );
      const error = await client
        .putPhaseConfig('component:default/payments', 'stage', {
          variables: {},
          expectedVersion: 3,
        })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      expect(error.body.error.message).toBe('Configuration is at version 5');
    });

    it('sets a secret (204) with its name encoded', async () => {
      let body: unknown;
      let path: string | undefined;
      server.use(
        http.put(
          `${entityBase}/phases/stage/secrets/*`,
          async ({ request }) => {
            body = await request.json();
            path = new URL(request.url).pathname;
            return new HttpResponse(null, { status: 204 });
          },
        ),
      );
      await expect(
        client.setPhaseSecret(
          'component:default/payments',
          'stage',
          'API TOKEN',
          's3cret',
        ),
      ).resolves.toBeUndefined();
      expect(body).toEqual({ value: 's3cret' });
      expect(path).toBe(
        '/api/release/entities/component/default/payments/phases/stage/secrets/API%20TOKEN',
      );
    });

    it('removes a secret and reports a missing one', async () => {
      server.use(
        http.delete(`${entityBase}/phases/stage/secrets/API_TOKEN`, () => {
          return new HttpResponse(null, { status: 204 });
        }),
        http.delete(`${entityBase}/phases/stage/secrets/GONE`, () =>
          HttpResponse.json(
            {
              error: { name: 'NotFoundError', message: 'No secret GONE' },
              request: { method: 'DELETE', url: '/secrets/GONE' },
              response: { statusCode: 404 },
            },
            { status: 404 },
          ),
        ),
      );
      await expect(
        client.deletePhaseSecret(
          'component:default/payments',
          'stage',
          'API_TOKEN',
        ),
      ).resolves.toBeUndefined();
      const error = await client
        .deletePhaseSecret('component:default/payments', 'stage', 'GONE')
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(404);
    });

    it('gets the diff between two phases', async () => {
      let seen: URLSearchParams | undefined;
      const diff = phaseDiff();
      server.use(
        http.get(`${entityBase}/diff`, ({ request }) => {
          seen = new URL(request.url).searchParams;
          return HttpResponse.json(diff);
        }),
      );
      await expect(
        client.getPhaseDiff('component:default/payments', 'qa', 'stage'),
      ).resolves.toEqual(diff);
      expect(seen?.get('from')).toBe('qa');
      expect(seen?.get('to')).toBe('stage');
    });
  });

  describe('history and status', () => {
    it('pages through the history with a cursor', async () => {
      const entries = historyEntries(2);
      let seen: URLSearchParams | undefined;
      server.use(
        http.get(`${entityBase}/history`, ({ request }) => {
          seen = new URL(request.url).searchParams;
          return HttpResponse.json({ items: entries, nextCursor: 'c2' });
        }),
      );
      await expect(
        client.getHistory('component:default/payments', {
          phase: 'live',
          limit: 2,
          cursor: 'c1',
        }),
      ).resolves.toEqual({ items: entries, nextCursor: 'c2' });
      expect(Object.fromEntries(seen!)).toEqual({
        phase: 'live',
        limit: '2',
        cursor: 'c1',
      });
    });

    it('gets the status of many entities, 500 per call', async () => {
      const bodies: Array<{ entityRefs: string[] }> = [];
      server.use(
        http.post(`${base}/status`, async ({ request }) => {
          const body = (await request.json()) as { entityRefs: string[] };
          bodies.push(body);
          return HttpResponse.json({
            items: body.entityRefs.map(entityRef => ({
              entityRef,
              phases: [],
            })),
          });
        }),
      );
      const refs = Array.from(
        { length: 501 },
        (_, i) => `component:default/c${i}`,
      );
      const items = await client.getStatus([...refs, refs[0]]);
      expect(bodies.map(b => b.entityRefs.length)).toEqual([500, 1]);
      expect(items).toHaveLength(501);
    });

    it('makes no call for no entities', async () => {
      await expect(client.getStatus([])).resolves.toEqual([]);
    });
  });

  it('gets a portfolio page with its filters, limit and cursor', async () => {
    let seen: URLSearchParams | undefined;
    const page = {
      items: [
        {
          entityRef: 'component:default/payments',
          kind: 'Component',
          namespace: 'default',
          name: 'payments',
          pipeline: 'default',
          phases: [{ id: 'dev', title: 'Dev', pending: 0 }],
        },
      ],
      nextCursor: 'next',
      totalItems: 7,
    };
    server.use(
      http.get(`${base}/portfolio`, ({ request }) => {
        seen = new URL(request.url).searchParams;
        return HttpResponse.json(page);
      }),
    );
    await expect(
      client.getPortfolio({
        owner: 'team-payments',
        q: 'pay ments',
        limit: 25,
        cursor: 'c=',
      }),
    ).resolves.toEqual(page);
    expect(Object.fromEntries(seen!)).toEqual({
      owner: 'team-payments',
      q: 'pay ments',
      limit: '25',
      cursor: 'c=',
    });
  });

  it('downloads the portfolio as CSV, and fails with the backend error', async () => {
    let seen: { query: URLSearchParams; accept: string | null } | undefined;
    server.use(
      http.get(`${base}/portfolio`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        seen = { query, accept: request.headers.get('accept') };
        if (query.get('system') === 'nope') {
          return HttpResponse.json(
            {
              error: { name: 'InputError', message: 'Invalid system' },
              response: { statusCode: 400 },
            },
            { status: 400 },
          );
        }
        return new HttpResponse('entity,phase\r\n', {
          headers: { 'Content-Type': 'text/csv' },
        });
      }),
    );
    await expect(client.getPortfolioCsv({ system: 'shop' })).resolves.toBe(
      'entity,phase\r\n',
    );
    expect(Object.fromEntries(seen!.query)).toEqual({
      system: 'shop',
      format: 'csv',
    });
    expect(seen!.accept).toBe('text/csv');
    await expect(
      client.getPortfolioCsv({ system: 'nope' }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 400 });
  });
});
