import { mockCredentials } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  as,
  decide,
  PAYMENTS,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';
import { SecretCipher } from '../secrets/SecretCipher';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(120_000);

const KEY = Buffer.alloc(32, 3).toString('base64');
const SECRET_VALUE = 'SECRET-VALUE-db-password-4f2a9c';

function config(extra: object = {}) {
  const base = pipelineConfig({
    dev: {
      config: { variables: { LOG_LEVEL: 'debug' }, sizing: { replicas: 1 } },
    },
    qa: {
      config: {
        variables: { LOG_LEVEL: 'info', FEATURE_X: 'on' },
        sizing: { replicas: 2 },
      },
    },
  }) as { release: Record<string, unknown> };
  return {
    release: {
      ...base.release,
      secrets: { keys: [{ id: 'k1', key: KEY }] },
      ...extra,
    },
  };
}

describe('phase configuration and secrets', () => {
  const databases = createTestDatabases();
  const extra: Knex[] = [];
  afterAll(() => Promise.all(extra.map(k => k.destroy())));

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start() {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: config(),
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      return h;
    }
    const getConfig = (h: { server: any }, phase: string, user = USERS.alice) =>
      request(h.server)
        .get(`${PAYMENTS}/phases/${phase}/config`)
        .set('Authorization', as(user));
    const putConfig = (
      h: { server: any },
      phase: string,
      body: object,
      user = USERS.alice,
    ) =>
      request(h.server)
        .put(`${PAYMENTS}/phases/${phase}/config`)
        .set('Authorization', as(user))
        .send(body);
    const setSecret = (
      h: { server: any },
      phase: string,
      name: string,
      value: string,
      user = USERS.alice,
    ) =>
      request(h.server)
        .put(`${PAYMENTS}/phases/${phase}/secrets/${name}`)
        .set('Authorization', as(user))
        .send({ value });

    it('starts from the template defaults and versions every change with who and when', async () => {
      const h = await start();
      const initial = await getConfig(h, 'qa');
      expect(initial.body).toMatchObject({
        version: 0,
        variables: { LOG_LEVEL: 'info', FEATURE_X: 'on' },
        sizing: { replicas: 2 },
        secrets: [],
      });
      const v1 = await putConfig(h, 'qa', {
        variables: { LOG_LEVEL: 'warn' },
        database: {
          engine: 'postgres',
          host: 'db.qa',
          port: 5432,
          name: 'pay',
          user: 'pay',
          passwordSecret: 'DB_PASSWORD',
        },
        sizing: { replicas: 3, cpu: '500m', memory: '512Mi' },
        expectedVersion: 0,
      });
      expect(v1.status).toBe(200);
      expect(v1.body).toMatchObject({ version: 1, createdBy: USERS.alice });
      const stale = await putConfig(h, 'qa', {
        variables: {},
        expectedVersion: 0,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(/at version 1, not 0/);
      const now = await getConfig(h, 'qa');
      expect(now.body).toMatchObject({
        version: 1,
        variables: { LOG_LEVEL: 'warn' },
        database: { host: 'db.qa', passwordSecret: 'DB_PASSWORD' },
        sizing: { replicas: 3, cpu: '500m', memory: '512Mi' },
      });
      const history = await request(h.server)
        .get(`${PAYMENTS}/history?phase=qa`)
        .set('Authorization', as(USERS.alice));
      expect(history.body.items[0]).toMatchObject({
        action: 'config.change',
        actor: USERS.alice,
        after: { version: 1 },
      });
    });

    it('validates configuration input with clear 400s and changes nothing', async () => {
      const h = await start();
      const cases: Array<[object, RegExp]> = [
        [
          { variables: { 'lower-case': 'x' }, expectedVersion: 0 },
          /variable name 'lower-case' must match/,
        ],
        [
          { variables: {}, sizing: { replicas: 1000 }, expectedVersion: 0 },
          /replicas must be a whole number from 0 to 100/,
        ],
        [
          { variables: {}, sizing: { memory: 'lots' }, expectedVersion: 0 },
          /memory 'lots' must look like 512Mi/,
        ],
        [
          { variables: {}, database: { port: 70000 }, expectedVersion: 0 },
          /port must be from 1 to 65535/,
        ],
        [
          { variables: {}, database: { password: 'x' }, expectedVersion: 0 },
          /additional properties/,
        ],
        [
          { variables: { A: 'x'.repeat(4097) }, expectedVersion: 0 },
          /must NOT have more than 4096 characters/,
        ],
        [{ variables: {} }, /must have required property 'expectedVersion'/],
        [
          { variables: {}, expectedVersion: 0, secrets: {} },
          /additional properties/,
        ],
      ];
      for (const [body, message] of cases) {
        const res = await putConfig(h, 'qa', body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.error.message).toMatch(message);
      }
      const badName = await setSecret(h, 'qa', 'lower', 'x');
      expect(badName.status).toBe(400);
      expect((await getConfig(h, 'qa')).body.version).toBe(0);
    });

    it('lets only config editors change configuration and secrets', async () => {
      const h = await start();
      expect(
        (
          await putConfig(
            h,
            'qa',
            { variables: {}, expectedVersion: 0 },
            USERS.carol,
          )
        ).status,
      ).toBe(403);
      expect((await setSecret(h, 'qa', 'TOKEN', 'x', USERS.carol)).status).toBe(
        403,
      );
      const ci = await request(h.server)
        .put(`${PAYMENTS}/phases/qa/secrets/TOKEN`)
        .set('Authorization', mockCredentials.service.header())
        .send({ value: 'x' });
      expect(ci.status).toBe(403);
      expect((await getConfig(h, 'qa')).body.version).toBe(0);
    });

    it('keeps secrets encrypted at rest and never returns them; diff compares them by fingerprint', async () => {
      const h = await start();
      expect(
        (await setSecret(h, 'qa', 'DB_PASSWORD', SECRET_VALUE)).status,
      ).toBe(204);
      expect(
        (await setSecret(h, 'dev', 'DB_PASSWORD', SECRET_VALUE)).status,
      ).toBe(204);
      expect(
        (await setSecret(h, 'dev', 'API_TOKEN', 'SECRET-VALUE-token-77'))
          .status,
      ).toBe(204);
      const [row] = await h
        .knex('release_secrets')
        .where({ phase: 'qa', name: 'DB_PASSWORD' });
      expect(row.ciphertext).not.toContain(SECRET_VALUE);
      const cipher = SecretCipher.fromConfig(new ConfigReader(config()));
      expect(cipher.decrypt(row.ciphertext)).toBe(SECRET_VALUE);

      const view = await getConfig(h, 'qa');
      expect(view.body.secrets).toEqual([
        {
          name: 'DB_PASSWORD',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
          updatedBy: USERS.alice,
          updatedAt: expect.any(String),
        },
      ]);
      expect(view.body.version).toBe(1);

      const diff = await request(h.server)
        .get(`${PAYMENTS}/diff?from=dev&to=qa`)
        .set('Authorization', as(USERS.alice));
      expect(diff.status).toBe(200);
      expect(diff.body).toMatchObject({
        from: { phase: 'dev', version: '2.0.0' },
        to: { phase: 'qa', version: '2.0.0' },
        releases: [],
        variables: {
          added: [{ key: 'FEATURE_X', to: 'on' }],
          removed: [],
          changed: [{ key: 'LOG_LEVEL', from: 'debug', to: 'info' }],
        },
        sizing: { changed: [{ key: 'replicas', from: 1, to: 2 }] },
        secrets: { removed: [{ key: 'API_TOKEN' }], changed: [], added: [] },
      });
      expect(JSON.stringify(diff.body)).not.toContain('SECRET-VALUE');

      expect(
        (
          await request(h.server)
            .delete(`${PAYMENTS}/phases/dev/secrets/API_TOKEN`)
            .set('Authorization', as(USERS.alice))
        ).status,
      ).toBe(204);
      expect(
        (
          await request(h.server)
            .delete(`${PAYMENTS}/phases/dev/secrets/API_TOKEN`)
            .set('Authorization', as(USERS.alice))
        ).status,
      ).toBe(404);
    });

    it('invariant 11: a config change voids pending approvals, which must be given again for the new snapshot', async () => {
      const h = await start();
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'live',
        skipRequires: true,
      });
      expect(p.body.status).toBe('pending_approval');
      const first = await decide(h, USERS.lead, p.body.id, 'approve');
      expect(first.body.approvals[0].valid).toBe(true);
      // The live config changes before the second approval.
      const changed = await putConfig(h, 'live', {
        variables: { LOG_LEVEL: 'error' },
        expectedVersion: 0,
      });
      expect(changed.status).toBe(200);
      const after = await request(h.server)
        .get(`/api/release/promotions/${p.body.id}`)
        .set('Authorization', as(USERS.alice));
      expect(after.body.configVersion).toBe(1);
      expect(after.body.configHash).toBe(changed.body.hash);
      expect(after.body.approvals[0].valid).toBe(false);
      // bob approves: 1 valid approval of 2 required — lead's old one no longer counts.
      const bob = await decide(h, USERS.bob, p.body.id, 'approve');
      expect(bob.body.status).toBe('pending_approval');
      // An override lifts the lock it names for this promotion (invariant
      // 33): approved through the lock, it is queued at once. A secret
      // change afterwards leaves it bound to what was approved (invariant 34).
      const q = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
        skipRequires: true,
      });
      await request(h.server)
        .put(`${PAYMENTS}/phases/stage/lock`)
        .set('Authorization', as(USERS.bob))
        .send({ reason: 'hold' });
      const approved = await decide(h, USERS.lead, q.body.id, 'approve', {
        override: { reason: 'approve while locked' },
      });
      expect(approved.body.status).toBe('queued');
      const before = approved.body.configVersion;
      expect(
        (await setSecret(h, 'stage', 'API_TOKEN', 'SECRET-VALUE-x')).status,
      ).toBe(204);
      const kept = await request(h.server)
        .get(`/api/release/promotions/${q.body.id}`)
        .set('Authorization', as(USERS.alice));
      expect(kept.body.status).toBe('queued');
      expect(kept.body.configVersion).toBe(before);
    });
  });

  it('concurrent config updates with the same expectedVersion: one wins (PostgreSQL, two instances)', async () => {
    if (!databases.supports('POSTGRES_15')) return;
    const knex = await databases.init('POSTGRES_15');
    const second = knexFactory({
      client: 'pg',
      connection: knex.client.config.connection,
    });
    extra.push(second);
    const a = await startReleaseBackend({ knex, config: config() });
    const b = await startReleaseBackend({ knex: second, config: config() });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request((i % 2 ? a : b).server)
          .put(`${PAYMENTS}/phases/qa/config`)
          .set('Authorization', as(USERS.alice))
          .send({ variables: { WRITER: String(i) }, expectedVersion: 0 }),
      ),
    );
    expect(results.map(r => r.status).sort()).toEqual([
      200,
      ...Array(9).fill(409),
    ]);
    const rows = await knex('release_phase_configs').where({ phase: 'qa' });
    expect(rows).toHaveLength(1);
  });
});
