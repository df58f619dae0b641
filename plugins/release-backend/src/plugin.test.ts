import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  ENTITIES,
  TEST_CONFIG,
  userInfoFactory,
} from './__testUtils__/fixtures';
import { releasePlugin } from './plugin';

jest.setTimeout(60_000);

const BASE = '/api/release/entities/component/default/payments-api';
const ALICE = 'user:default/alice';
const CAROL = 'user:default/carol';

async function startBackend(
  options: { permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY } = {},
) {
  const { server } = await startTestBackend({
    features: [
      releasePlugin,
      mockServices.rootConfig.factory({ data: TEST_CONFIG }),
      catalogServiceMock.factory({ entities: ENTITIES }),
      userInfoFactory,
      // Requests without credentials stay unauthenticated (the mock's default
      // would treat them as a signed-in user).
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.permissions.factory({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
    ],
  });
  return server;
}

describe('release plugin through the backend wiring', () => {
  describe('credentials', () => {
    it.each([
      ['GET', `${BASE}/pipeline`],
      ['GET', `${BASE}/releases`],
      ['GET', `${BASE}/releases/1.0.0`],
      ['POST', `${BASE}/releases`],
    ])('%s %s answers 401 without credentials', async (method, path) => {
      const server = await startBackend();
      const res = await request(server)
        [method === 'GET' ? 'get' : 'post'](path)
        .send(
          method === 'GET' ? undefined : { version: '1.0.0', artifact: 'a' },
        );
      expect(res.body.error.name).toBe('AuthenticationError');
      expect(res.status).toBe(401);
    });

    it('refuses a cookie-only (limited) user token on a mutating route', async () => {
      const server = await startBackend();
      const res = await request(server)
        .post(`${BASE}/releases`)
        .set('Cookie', mockCredentials.limitedUser.cookie(ALICE))
        .send({ version: '1.0.0', artifact: 'a' });
      expect(res.body.error.name).toBe('AuthenticationError');
      expect(res.status).toBe(401);
      const list = await request(server)
        .get(`${BASE}/releases`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(list.body.items).toEqual([]);
    });

    it('answers users and services', async () => {
      const server = await startBackend();
      const asUser = await request(server)
        .get(`${BASE}/pipeline`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(asUser.status).toBe(200);
      const asService = await request(server)
        .get(`${BASE}/pipeline`)
        .set('Authorization', mockCredentials.service.header());
      expect(asService.status).toBe(200);
    });
  });

  describe('GET …/pipeline', () => {
    it('returns the default template phases in order with their gates', async () => {
      const server = await startBackend();
      const res = await request(server)
        .get(`${BASE}/pipeline`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(200);
      expect(res.body.entityRef).toBe('component:default/payments-api');
      expect(res.body.template).toBe('default');
      expect(res.body.phases.map((p: { title: string }) => p.title)).toEqual([
        'Dev',
        'QA/Demo',
        'Stage',
        'Live',
      ]);
      expect(res.body.phases[3]).toMatchObject({
        id: 'live',
        current: null,
        active: null,
        pending: [],
        lock: null,
        gates: { requires: 'stage', approvalsRequired: 1 },
      });
    });

    it('uses a template from app-config', async () => {
      const server = await startBackend();
      const res = await request(server)
        .get('/api/release/entities/component/default/ledger-worker/pipeline')
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(200);
      expect(res.body.phases.map((p: { id: string }) => p.id)).toEqual([
        'dev',
        'live',
      ]);
      expect(res.body.phases[1].gates.requires).toBe('dev');
    });

    it.each([
      ['component/default/nope', /was not found in the catalog/],
      ['component/default/legacy-reports', /has no release pipeline/],
      ['component/default/orphan', /'no-such-template', which is not defined/],
    ])('answers 404 for %s', async (path, message) => {
      const server = await startBackend();
      const res = await request(server)
        .get(`/api/release/entities/${path}/pipeline`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(message);
    });

    it('answers 403 when the permission policy denies reading', async () => {
      const server = await startBackend({ permission: AuthorizeResult.DENY });
      const res = await request(server)
        .get(`${BASE}/pipeline`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(403);
    });
  });

  describe('releases', () => {
    it('lets an owner and CI create releases and lists them newest first with a cursor', async () => {
      const server = await startBackend();
      const created = await request(server)
        .post(`${BASE}/releases`)
        .set('Authorization', mockCredentials.user.header(ALICE))
        .send({
          version: '1.0.0',
          artifact: 'img@sha256:1',
          notes: '<script>x</script>',
        });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        entityRef: 'component:default/payments-api',
        version: '1.0.0',
        artifact: 'img@sha256:1',
        notes: '<script>x</script>',
        createdBy: ALICE,
      });

      for (const version of ['1.1.0', '1.2.0']) {
        const byCi = await request(server)
          .post(`${BASE}/releases`)
          .set('Authorization', mockCredentials.service.header())
          .send({ version, artifact: `img@sha256:${version}` });
        expect(byCi.status).toBe(201);
        expect(byCi.body.createdBy).toMatch(/^service:/);
      }

      const page1 = await request(server)
        .get(`${BASE}/releases?limit=2`)
        .set('Authorization', mockCredentials.user.header(CAROL));
      expect(page1.status).toBe(200);
      expect(
        page1.body.items.map((r: { version: string }) => r.version),
      ).toEqual(['1.2.0', '1.1.0']);
      expect(page1.body.items[0].phases).toEqual({});
      const page2 = await request(server)
        .get(`${BASE}/releases?limit=2&cursor=${page1.body.nextCursor}`)
        .set('Authorization', mockCredentials.user.header(CAROL));
      expect(
        page2.body.items.map((r: { version: string }) => r.version),
      ).toEqual(['1.0.0']);
      expect(page2.body.nextCursor).toBeUndefined();

      const one = await request(server)
        .get(`${BASE}/releases/1.1.0`)
        .set('Authorization', mockCredentials.user.header(CAROL));
      expect(one.status).toBe(200);
      expect(one.body.version).toBe('1.1.0');
      const missing = await request(server)
        .get(`${BASE}/releases/4.0.0`)
        .set('Authorization', mockCredentials.user.header(CAROL));
      expect(missing.status).toBe(404);
    });

    it('answers 409 for an existing version and keeps the first artifact', async () => {
      const server = await startBackend();
      const auth = mockCredentials.user.header(ALICE);
      await request(server)
        .post(`${BASE}/releases`)
        .set('Authorization', auth)
        .send({ version: '1.0.0', artifact: 'first' });
      const again = await request(server)
        .post(`${BASE}/releases`)
        .set('Authorization', auth)
        .send({ version: '1.0.0', artifact: 'second' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/1.0.0 .* already exists/);
      const stored = await request(server)
        .get(`${BASE}/releases/1.0.0`)
        .set('Authorization', auth);
      expect(stored.body.artifact).toBe('first');
    });

    it('refuses a user who neither owns the entity nor deploys it', async () => {
      const server = await startBackend();
      const res = await request(server)
        .post(`${BASE}/releases`)
        .set('Authorization', mockCredentials.user.header(CAROL))
        .send({ version: '1.0.0', artifact: 'a' });
      expect(res.status).toBe(403);
      const list = await request(server)
        .get(`${BASE}/releases`)
        .set('Authorization', mockCredentials.user.header(CAROL));
      expect(list.body.items).toEqual([]);
    });

    it.each([
      [{ version: 'one', artifact: 'a' }, /not a semantic version/],
      [{ version: 'v1.0.0', artifact: 'a' }, /not a semantic version/],
      [{ version: '1.0.0' }, /must have required property 'artifact'/],
      [{ version: '1.0.0', artifact: '   ' }, /artifact must not be blank/],
      [
        { version: '1.0.0', artifact: 'a', extra: true },
        /additional properties/,
      ],
      [
        { version: '1.0.0', artifact: 'a'.repeat(513) },
        /must NOT have more than 512/,
      ],
      [{ version: 1, artifact: 'a' }, /must be string/],
    ])('answers 400 for %j and stores nothing', async (body, message) => {
      const server = await startBackend();
      const res = await request(server)
        .post(`${BASE}/releases`)
        .set('Authorization', mockCredentials.user.header(ALICE))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      const list = await request(server)
        .get(`${BASE}/releases`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(list.body.items).toEqual([]);
    });

    it.each([
      ['limit=0', /limit must be >= 1/],
      ['limit=101', /limit must be <= 100/],
      ['limit=ten', /limit must be integer/],
      ['cursor=bogus', /Invalid cursor/],
    ])('answers 400 for ?%s', async (query, message) => {
      const server = await startBackend();
      const res = await request(server)
        .get(`${BASE}/releases?${query}`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    });
  });
});
