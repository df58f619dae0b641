import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  as,
  Harness,
  PAYMENTS,
  pipelineConfig,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

const KEY = Buffer.alloc(32, 9).toString('base64');
const SECRET_VALUE = 'SECRET-VALUE-versions-71aa';

function config(): JsonObject {
  const base = pipelineConfig({
    qa: {
      config: { variables: { LOG_LEVEL: 'info' }, sizing: { replicas: 1 } },
    },
  }) as { release: JsonObject };
  return {
    release: { ...base.release, secrets: { keys: [{ id: 'k1', key: KEY }] } },
  };
}

const VERSIONS = `${PAYMENTS}/phases/qa/config`;

describe('phase configuration versions', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    const get = (h: Harness, path: string, user = USERS.alice) =>
      request(h.server)
        .get(`${VERSIONS}${path}`)
        .set('Authorization', as(user));
    const put = (h: Harness, body: object) =>
      request(h.server)
        .put(VERSIONS)
        .set('Authorization', as(USERS.alice))
        .send(body);
    const restore = (h: Harness, body: object, user = USERS.alice) =>
      request(h.server)
        .post(`${VERSIONS}/restore`)
        .set('Authorization', as(user))
        .send(body);

    async function withHistory() {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: config(),
      });
      expect(
        (
          await put(h, {
            variables: { LOG_LEVEL: 'debug', A: '1', B: '2' },
            sizing: { replicas: 1 },
            expectedVersion: 0,
            comment: 'More logs for the QA run',
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await request(h.server)
            .put(`${PAYMENTS}/phases/qa/secrets/DB_PASSWORD`)
            .set('Authorization', as(USERS.bob))
            .send({ value: SECRET_VALUE })
        ).status,
      ).toBe(204);
      expect(
        (
          await put(h, {
            variables: { LOG_LEVEL: 'warn', A: '1' },
            sizing: { replicas: 3 },
            expectedVersion: 2,
          })
        ).status,
      ).toBe(200);
      return h;
    }

    it('lists versions newest first with author, time, what changed and comment, paginated, ending with the template default', async () => {
      const h = await withHistory();
      const first = await get(h, '/versions?limit=2');
      expect(first.status).toBe(200);
      expect(
        first.body.items.map((v: any) => [
          v.version,
          v.createdBy,
          v.change,
          v.comment,
        ]),
      ).toEqual([
        [3, USERS.alice, '2 variables changed, sizing changed', undefined],
        [2, USERS.bob, 'secret DB_PASSWORD set', undefined],
      ]);
      expect(first.body.items[0].createdAt).toEqual(expect.any(String));
      expect(first.body.nextCursor).toBe('2');
      const second = await get(h, `/versions?limit=2&cursor=2`);
      expect(
        second.body.items.map((v: any) => [v.version, v.change, v.comment]),
      ).toEqual([
        [1, '3 variables changed', 'More logs for the QA run'],
        [0, 'template default', undefined],
      ]);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('shows any version with secrets as names and fingerprints, and diffs any two', async () => {
      const h = await withHistory();
      const v2 = await get(h, '/versions/2');
      expect(v2.status).toBe(200);
      expect(v2.body).toMatchObject({
        version: 2,
        variables: { LOG_LEVEL: 'debug', A: '1', B: '2' },
        sizing: { replicas: 1 },
        secrets: [{ name: 'DB_PASSWORD', fingerprint: expect.any(String) }],
      });
      expect(JSON.stringify(v2.body)).not.toContain(SECRET_VALUE);
      const diff = await get(h, '/diff?from=1&to=3');
      expect(diff.status).toBe(200);
      expect(diff.body).toMatchObject({
        from: { version: 1 },
        to: { version: 3 },
        variables: {
          added: [],
          removed: [{ key: 'B', from: '2' }],
          changed: [{ key: 'LOG_LEVEL', from: 'debug', to: 'warn' }],
        },
        sizing: { changed: [{ key: 'replicas', from: 1, to: 3 }] },
        secrets: {
          added: [{ key: 'DB_PASSWORD', to: v2.body.secrets[0].fingerprint }],
        },
        summary: '2 variables changed, sizing changed, 1 secret changed',
      });
      expect((await get(h, '/versions/9')).status).toBe(404);
      expect((await get(h, '/diff?from=1&to=x')).status).toBe(400);
    });

    it('restores an old version as a new one, through the same access, audit and ledger as a replace', async () => {
      const h = await withHistory();
      // carol is not a config editor of payments-api.
      const denied = await restore(
        h,
        { version: 1, expectedVersion: 3 },
        USERS.carol,
      );
      expect(denied.status).toBe(403);
      const stale = await restore(h, { version: 1, expectedVersion: 2 });
      expect(stale.status).toBe(409);
      const restored = await restore(h, {
        version: 1,
        expectedVersion: 3,
        comment: 'Back to the QA logging',
      });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({
        version: 4,
        createdBy: USERS.alice,
        change: 'restored version 1: 2 variables changed, sizing changed',
        comment: 'Back to the QA logging',
      });
      const now = await request(h.server)
        .get(VERSIONS)
        .set('Authorization', as(USERS.alice));
      expect(now.body).toMatchObject({
        version: 4,
        variables: { LOG_LEVEL: 'debug', A: '1', B: '2' },
        sizing: { replicas: 1 },
        // Secrets keep their current values.
        secrets: [{ name: 'DB_PASSWORD' }],
      });
      expect(
        h.audit
          .filter(e => e.eventId === 'config-restore')
          .map(e => [e.status, e.severityLevel]),
      ).toEqual([
        ['initiated', 'high'],
        ['failed', 'high'],
        ['initiated', 'high'],
        ['failed', 'high'],
        ['initiated', 'high'],
        ['succeeded', 'high'],
      ]);
      const ledger = await request(h.server)
        .get(`${PAYMENTS}/history?phase=qa`)
        .set('Authorization', as(USERS.alice));
      const changes = ledger.body.items.filter(
        (e: any) => e.action === 'config.change',
      );
      expect(changes[0]).toMatchObject({
        actor: USERS.alice,
        reason: 'Back to the QA logging',
        before: { version: 3 },
        after: {
          version: 4,
          change: 'restored version 1: 2 variables changed, sizing changed',
          summary: '2 variables changed, sizing changed',
        },
      });
      expect(changes.map((e: any) => e.after.version)).toEqual([4, 3, 2, 1]);
    });
  });
});
