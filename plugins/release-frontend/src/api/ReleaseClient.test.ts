import { registerMswTestHooks } from '@backstage/test-utils';
import { mockApis } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { pipeline, releases } from '../__testUtils__/fixtures';
import { ReleaseClient } from './ReleaseClient';

const server = setupServer();
const base = 'http://example.com/api/release';

describe('ReleaseClient', () => {
  registerMswTestHooks(server);

  const client = new ReleaseClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://example.com' }),
    fetchApi: mockApis.fetch(),
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
});
