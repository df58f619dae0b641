import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually, json, startFakeServer } from '../__testUtils__/fakeServer';
import { ENTITIES } from '../__testUtils__/fixtures';
import {
  as,
  decide,
  Harness,
  PAYMENTS,
  pipelineConfig,
  promote,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

const ENTITY = 'component:default/payments-api';
const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET_VALUE = 'SECRET-VALUE-changeset-9b1e77';
const SECRET_VALUE_2 = 'SECRET-VALUE-changeset-rotated-3c4d';
const SHA = (v: string) =>
  Buffer.from(v).toString('hex').padEnd(40, '0').slice(0, 40);

/** payments-api with a GitHub source location on the faked GitHub host. */
function entities(sourceLocation?: string): Entity[] {
  return ENTITIES.map(e =>
    e.metadata.name === 'payments-api' && sourceLocation
      ? {
          ...e,
          metadata: {
            ...e.metadata,
            annotations: {
              ...e.metadata.annotations,
              'backstage.io/source-location': sourceLocation,
            },
          },
        }
      : e,
  );
}

function config(extra: JsonObject = {}, deploy = false): JsonObject {
  const base = pipelineConfig({
    live: {
      config: { variables: { LOG_LEVEL: 'warn' }, sizing: { replicas: 4 } },
    },
  }) as { release: JsonObject };
  return {
    ...extra,
    release: {
      ...base.release,
      secrets: { keys: [{ id: 'k1', key: KEY }] },
      providers: { simulated: { durationMs: 200, failureRate: 0 } },
      dispatcher: deploy
        ? {
            pollIntervalMs: 100,
            followIntervalMs: 100,
            backoffMs: 100,
            callTimeoutMs: 2_000,
            leaseMs: 3_000,
          }
        : { enabled: false },
    },
  };
}

async function release(
  h: Harness,
  version: string,
  succeededIn: string[] = [],
  notes?: string,
  hoursAgo = 48,
) {
  const createdAt = new Date(Date.now() - hoursAgo * 3600_000);
  await h.store.createRelease({
    entityRef: ENTITY,
    version,
    artifact: `registry.example.com/pay@sha256:${version}`,
    commit: SHA(version),
    notes,
    createdBy: 'service:external:ci',
    createdAt: createdAt.toISOString(),
  });
  for (const [i, phase] of succeededIn.entries()) {
    const t = createdAt.getTime() + (i + 1) * 600_000;
    await h.store.importPromotion({
      entityRef: ENTITY,
      phase,
      version,
      status: 'succeeded',
      requestedBy: USERS.alice,
      requestedAt: new Date(t - 60_000),
      finishedAt: new Date(t),
    });
  }
}

const changesOf = (h: Harness, id: string, user = USERS.bob) =>
  request(h.server)
    .get(`/api/release/promotions/${id}/changes`)
    .set('Authorization', as(user));

const preview = (h: Harness, version: string, phase: string) =>
  request(h.server)
    .get(`${PAYMENTS}/changes`)
    .query({ version, phase })
    .set('Authorization', as(USERS.bob));

const putConfig = (h: Harness, phase: string, body: object) =>
  request(h.server)
    .put(`${PAYMENTS}/phases/${phase}/config`)
    .set('Authorization', as(USERS.alice))
    .send(body);

const setSecret = (h: Harness, phase: string, name: string, value: string) =>
  request(h.server)
    .put(`${PAYMENTS}/phases/${phase}/secrets/${name}`)
    .set('Authorization', as(USERS.alice))
    .send({ value });

const getConfig = (h: Harness, phase: string) =>
  request(h.server)
    .get(`${PAYMENTS}/phases/${phase}/config`)
    .set('Authorization', as(USERS.alice));

const NO_CHANGE = { added: [], removed: [], changed: [] };

describe('the change set of a promotion', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(extra: JsonObject = {}, deploy = false, e?: Entity[]) {
      return startReleaseBackend({
        knex: await databases.init(databaseId),
        config: config(extra, deploy),
        entities: e,
      });
    }

    /** Deploys `version` into live through the real engine and dispatcher. */
    async function deployToLive(h: Harness, version: string) {
      const res = await promote(h, USERS.alice, { version, phase: 'live' });
      expect(res.status).toBe(202);
      expect((await decide(h, USERS.lead, res.body.id, 'approve')).status).toBe(
        200,
      );
      expect((await decide(h, USERS.bob, res.body.id, 'approve')).status).toBe(
        200,
      );
      await eventually(
        async () => {
          const p = await request(h.server)
            .get(`/api/release/promotions/${res.body.id}`)
            .set('Authorization', as(USERS.alice));
          return p.body.status === 'succeeded';
        },
        20_000,
        `${version} to succeed in live`,
      );
      return res.body.id as string;
    }

    it('invariant 37: the change set is computed from the target phase’s deployed snapshot and the promotion’s bound snapshot', async () => {
      const h = await start({}, true);
      expect(
        (await setSecret(h, 'live', 'DB_PASSWORD', SECRET_VALUE)).status,
      ).toBe(204);
      await release(h, '1.0.0', ['dev', 'qa', 'stage'], 'First', 72);
      const deployedId = await deployToLive(h, '1.0.0');
      const deployedVersion = (await getConfig(h, 'live')).body.version;

      // After the deployment the phase's configuration changes: what runs
      // keeps the snapshot it was deployed with.
      let current = (await getConfig(h, 'live')).body.version;
      expect(
        (
          await putConfig(h, 'live', {
            variables: { LOG_LEVEL: 'error' },
            sizing: { replicas: 4 },
            expectedVersion: current,
          })
        ).status,
      ).toBe(200);
      await release(h, '1.1.0', ['dev', 'qa', 'stage'], 'Refunds', 24);
      const requested = await promote(h, USERS.alice, {
        version: '1.1.0',
        phase: 'live',
      });
      expect(requested.status).toBe(202);
      // … and again after the request: the promotion is bound to the new one.
      current = (await getConfig(h, 'live')).body.version;
      expect(
        (
          await putConfig(h, 'live', {
            variables: { LOG_LEVEL: 'error', FEATURE_X: 'on' },
            sizing: { replicas: 6 },
            expectedVersion: current,
          })
        ).status,
      ).toBe(200);
      expect(
        (await setSecret(h, 'live', 'DB_PASSWORD', SECRET_VALUE_2)).status,
      ).toBe(204);
      const bound = (await getConfig(h, 'live')).body;

      const res = await changesOf(h, requested.body.id);
      expect(res.status).toBe(200);
      expect(res.body.from).toEqual({
        version: '1.0.0',
        commit: SHA('1.0.0'),
        configVersion: deployedVersion,
        configSource: 'promotion-snapshot',
        promotionId: deployedId,
        deployedAt: expect.any(String),
        deployedBy: USERS.alice,
      });
      expect(res.body.to).toEqual({
        version: '1.1.0',
        commit: SHA('1.1.0'),
        artifact: 'registry.example.com/pay@sha256:1.1.0',
        configVersion: bound.version,
        configSource: 'promotion-snapshot',
      });
      expect(res.body.direction).toBe('upgrade');
      expect(res.body.releases.map((r: any) => [r.version, r.notes])).toEqual([
        ['1.1.0', 'Refunds'],
      ]);
      const fingerprints = bound.secrets.map((s: any) => s.fingerprint);
      expect(res.body.config).toEqual({
        known: true,
        variables: {
          added: [{ key: 'FEATURE_X', to: 'on' }],
          removed: [],
          changed: [{ key: 'LOG_LEVEL', from: 'warn', to: 'error' }],
        },
        database: NO_CHANGE,
        sizing: {
          added: [],
          removed: [],
          changed: [{ key: 'replicas', from: 4, to: 6 }],
        },
        secrets: {
          added: [],
          removed: [],
          changed: [
            {
              key: 'DB_PASSWORD',
              from: expect.stringMatching(/^[0-9a-f]+$/),
              to: fingerprints[0],
            },
          ],
        },
      });
      expect(res.body.config.secrets.changed[0].from).not.toBe(fingerprints[0]);
      expect(res.body.summary.text).toBe(
        'Deploy 1.1.0 to Live, 3 config changes, 1 secret changed',
      );
      // The preview of the same release is computed from the same two states.
      const pre = await preview(h, '1.1.0', 'live');
      expect(pre.status).toBe(200);
      expect(pre.body.config).toEqual(res.body.config);
      expect(pre.body.to.configSource).toBe('current-config');
    });

    it('invariant 37: a change to the bound snapshot after the approval voids it, and the change set says so', async () => {
      const h = await start();
      await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'First', 72);
      await release(h, '1.1.0', ['dev', 'qa', 'stage'], 'Second', 24);
      const requested = await promote(h, USERS.alice, {
        version: '1.1.0',
        phase: 'live',
      });
      expect(
        (await decide(h, USERS.lead, requested.body.id, 'approve')).status,
      ).toBe(200);
      let res = await changesOf(h, requested.body.id);
      expect(res.body.gates.approvals).toMatchObject({
        required: 2,
        count: 1,
        approvedBy: [{ userRef: USERS.lead }],
        voided: [],
      });
      expect(res.body.gates.approvingDeploysNow).toBe(true);
      expect((await setSecret(h, 'live', 'API_KEY', SECRET_VALUE)).status).toBe(
        204,
      );
      res = await changesOf(h, requested.body.id);
      expect(res.body.gates.approvals).toMatchObject({
        count: 0,
        approvedBy: [],
        voided: [USERS.lead],
      });
      expect(res.body.gates.approvingDeploysNow).toBe(false);
      expect(res.body.gates.waitingFor).toEqual([
        '2 more approvals are needed',
      ]);
      expect(res.body.config.secrets.added).toEqual([
        { key: 'API_KEY', to: expect.any(String) },
      ]);
    });

    it('invariant 37: a new deployment in the target phase after the approval voids it; the change set is computed from the new deployment', async () => {
      const h = await start();
      await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'First', 72);
      await release(h, '1.2.0', ['dev', 'qa', 'stage'], 'Second', 24);
      const requested = await promote(h, USERS.alice, {
        version: '1.2.0',
        phase: 'live',
      });
      expect(
        (await decide(h, USERS.lead, requested.body.id, 'approve')).status,
      ).toBe(200);
      let res = await changesOf(h, requested.body.id);
      expect(res.body.from.version).toBe('1.0.0');
      expect(res.body.gates.approvals.count).toBe(1);
      // Another release is deployed to Live meanwhile (e.g. a hotfix).
      await release(h, '1.1.0', ['dev', 'qa', 'stage', 'live'], 'Hotfix', 1);
      res = await changesOf(h, requested.body.id);
      expect(res.body.from.version).toBe('1.1.0');
      expect(res.body.releases.map((r: any) => r.version)).toEqual(['1.2.0']);
      expect(res.body.gates.approvals).toMatchObject({
        count: 0,
        approvedBy: [],
        voided: [USERS.lead],
      });
    });

    it('invariant 37: a deployed promotion keeps showing the change it made, from what ran before it, with its approvals', async () => {
      const h = await start({}, true);
      await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'First', 72);
      await release(h, '1.1.0', ['dev', 'qa', 'stage'], 'Second', 24);
      const id = await deployToLive(h, '1.1.0');
      const res = await changesOf(h, id);
      expect(res.status).toBe(200);
      expect(res.body.promotion.status).toBe('succeeded');
      expect(res.body.from.version).toBe('1.0.0');
      expect(res.body.to.version).toBe('1.1.0');
      expect(res.body.direction).toBe('upgrade');
      expect(res.body.releases.map((r: any) => r.version)).toEqual(['1.1.0']);
      expect(res.body.gates.approvals).toMatchObject({
        count: 2,
        voided: [],
      });
      expect(
        res.body.gates.approvals.approvedBy.map((a: any) => a.userRef).sort(),
      ).toEqual([USERS.bob, USERS.lead].sort());
      // The pipeline meanwhile says 1.1.0 runs in Live.
      const preview11 = await preview(h, '1.1.0', 'live');
      expect(preview11.body.from.version).toBe('1.1.0');
    });

    it('lists the releases in between in semver order with their notes, and links the commits on GitHub with the list from the GitHub API', async () => {
      const github = await startFakeServer((req, res) => {
        const m =
          /^\/repos\/acme\/payments-api\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)/.exec(
            req.path,
          );
        if (!m || req.headers.authorization !== 'Bearer ghp_test') {
          json(res, 404, { message: 'Not Found' });
          return;
        }
        json(res, 200, {
          total_commits: 2,
          commits: [
            {
              sha: 'aaa1111',
              html_url:
                'https://github.example.com/acme/payments-api/commit/aaa1111',
              commit: {
                message: 'Add refunds\n\nLong body',
                author: { name: 'Alice', date: '2026-11-20T10:00:00Z' },
              },
            },
            {
              sha: 'bbb2222',
              commit: { message: 'Fix rounding', author: { name: 'Bob' } },
            },
          ],
        });
      });
      try {
        const h = await start(
          {
            integrations: {
              github: [
                {
                  host: 'github.example.com',
                  apiBaseUrl: github.url,
                  token: 'ghp_test',
                },
              ],
            },
          },
          false,
          entities(
            'url:https://github.example.com/acme/payments-api/tree/main/',
          ),
        );
        await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'One', 100);
        // Created out of order, with a pre-release between.
        await release(h, '1.2.0', ['dev', 'qa', 'stage'], 'Two', 10);
        await release(h, '1.2.0-rc.1', ['dev'], 'RC', 20);
        await release(h, '1.1.0', ['dev', 'qa'], 'Eleven', 30);
        await release(h, '1.3.0', [], 'Not yet', 5);
        const requested = await promote(h, USERS.alice, {
          version: '1.2.0',
          phase: 'live',
        });
        const res = await changesOf(h, requested.body.id);
        expect(res.status).toBe(200);
        expect(
          res.body.releases.map((r: any) => [r.version, r.notes, r.commit]),
        ).toEqual([
          ['1.1.0', 'Eleven', SHA('1.1.0')],
          ['1.2.0-rc.1', 'RC', SHA('1.2.0-rc.1')],
          ['1.2.0', 'Two', SHA('1.2.0')],
        ]);
        expect(res.body.commits).toEqual({
          fromCommit: SHA('1.0.0'),
          toCommit: SHA('1.2.0'),
          host: 'github',
          compareUrl: `https://github.example.com/acme/payments-api/compare/${SHA(
            '1.0.0',
          )}...${SHA('1.2.0')}`,
          total: 2,
          list: [
            {
              sha: 'aaa1111',
              message: 'Add refunds',
              author: 'Alice',
              date: '2026-11-20T10:00:00Z',
              url: 'https://github.example.com/acme/payments-api/commit/aaa1111',
            },
            { sha: 'bbb2222', message: 'Fix rounding', author: 'Bob' },
          ],
        });
        expect(github.received.map(r => r.path)).toContain(
          `/repos/acme/payments-api/compare/${SHA('1.0.0')}...${SHA(
            '1.2.0',
          )}?per_page=250`,
        );
        // The gates as they stand: requires met (it ran in stage), 0 of 2.
        expect(res.body.gates).toMatchObject({
          approvals: { required: 2, count: 0 },
          requires: { phase: 'stage', met: true },
          lock: null,
          freeze: { active: null, next: null },
          approvingDeploysNow: false,
        });
        expect(res.body.comparedWithSource).toMatchObject({
          phase: { id: 'stage', title: 'Stage' },
          version: '1.2.0',
        });

        // A JSON body with an entity tag: the same change set is a 304, a
        // new release in between changes the tag and the list.
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers.etag).toMatch(/^W\/"/);
        await changesOf(h, requested.body.id)
          .set('If-None-Match', res.headers.etag)
          .expect(304);
        await release(h, '1.1.5', ['dev'], 'Patch', 25);
        // Written to the store directly, not through the API: the cached
        // reads learn of it from the database's change feed (on PostgreSQL
        // a notification, which arrives a moment after the commit).
        const changed = await eventually(
          async () => {
            const r = await changesOf(h, requested.body.id).set(
              'If-None-Match',
              res.headers.etag,
            );
            return r.status !== 304 && r;
          },
          5_000,
          'the change feed to drop the cached change set',
        );
        expect(changed.status).toBe(200);
        expect(changed.headers.etag).not.toBe(res.headers.etag);
        expect(changed.body.releases.map((r: any) => r.version)).toEqual([
          '1.1.0',
          '1.1.5',
          '1.2.0-rc.1',
          '1.2.0',
        ]);

        // A preview that depends on stored data alone is kept for the
        // caller: asked again at once, it does not ask GitHub again (on
        // PostgreSQL, once the notifications of the writes above are in).
        const compares = () =>
          github.received.filter(r => r.path.includes('/compare/')).length;
        const since = Date.now();
        let asked: number;
        do {
          expect((await preview(h, '1.3.0', 'live')).status).toBe(200);
          const before = compares();
          const again = await preview(h, '1.3.0', 'live');
          expect(again.body.releases.map((r: any) => r.version)).toContain(
            '1.3.0',
          );
          asked = compares() - before;
        } while (asked > 0 && Date.now() - since < 3_000);
        expect(asked).toBe(0);
      } finally {
        await github.close();
      }
    });

    it('a skipped phase: the requires gate says it was skipped; compared with the required phase, which runs something else', async () => {
      const h = await start();
      await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'One', 100);
      await release(h, '2.0.0', ['dev'], 'Two', 10);
      const requested = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'live',
        skipRequires: true,
      });
      expect(requested.status).toBe(202);
      const res = await changesOf(h, requested.body.id);
      expect(res.body.gates.requires).toEqual({
        phase: 'stage',
        met: true,
        message: 'Skipped with the skip permission when requested',
      });
      expect(res.body.comparedWithSource).toMatchObject({
        phase: { id: 'stage' },
        version: '1.0.0',
      });
      expect(res.body.from.version).toBe('1.0.0');
      expect(res.body.releases.map((r: any) => r.version)).toEqual(['2.0.0']);
      // Without the skip, a preview says what is missing.
      const pre = await preview(h, '2.0.0', 'live');
      expect(pre.body.gates.requires.met).toBe(false);
      expect(pre.body.gates.waitingFor).toContain(
        "The release has not succeeded in 'stage', which 'live' requires first",
      );
    });

    it('a rollback lists the releases it undoes', async () => {
      const h = await start();
      await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'One', 100);
      await release(h, '1.1.0', ['dev', 'qa', 'stage', 'live'], 'Eleven', 50);
      await release(h, '1.2.0', ['dev', 'qa', 'stage', 'live'], 'Twelve', 10);
      const rollback = await request(h.server)
        .post(`${PAYMENTS}/phases/live/rollback`)
        .set('Authorization', as(USERS.alice))
        .send({ version: '1.0.0' });
      expect(rollback.status).toBe(202);
      const res = await changesOf(h, rollback.body.id);
      expect(res.body.direction).toBe('rollback');
      expect(res.body.from.version).toBe('1.2.0');
      expect(res.body.to.version).toBe('1.0.0');
      expect(res.body.releases.map((r: any) => r.version)).toEqual([
        '1.1.0',
        '1.2.0',
      ]);
      expect(res.body.summary.text).toBe(
        'Roll back Live to 1.0.0, no config changes',
      );
      expect(res.body.gates.waitingFor).toEqual([
        '2 more approvals are needed',
      ]);
    });

    it('a first deployment into an empty phase: from nothing, the whole configuration is new', async () => {
      const h = await start();
      await release(h, '1.0.0', [], 'One', 10);
      const res = await preview(h, '1.0.0', 'dev');
      expect(res.status).toBe(200);
      expect(res.body.direction).toBe('first_deploy');
      expect(res.body.from).toEqual({
        version: null,
        configVersion: null,
        configSource: 'none',
      });
      expect(res.body.releases.map((r: any) => r.version)).toEqual(['1.0.0']);
      expect(res.body.commits).toMatchObject({
        toCommit: SHA('1.0.0'),
        unavailable:
          'The entity has no backstage.io/source-location or backstage.io/managed-by-location annotation',
      });
      expect(res.body.comparedWithSource).toBeNull();
      expect(res.body.gates.approvals.required).toBe(0);
    });

    it('build-metadata versions: the release is shown with its build, and another build of it is refused (the same release)', async () => {
      const h = await start();
      await release(h, '0.11.0', ['dev', 'qa', 'stage', 'live'], 'Eleven', 100);
      await release(h, '0.12.0+build.1', ['dev', 'qa', 'stage'], 'b1', 50);
      // Another build of 0.12.0 is the same release (README: Versions): 409.
      await expect(
        release(h, '0.12.0+build.2', ['dev'], 'b2', 10),
      ).rejects.toThrow(/differs from it only in build metadata/);
      await release(h, '0.13.0', ['dev', 'qa', 'stage'], 'Thirteen', 5);
      const requested = await promote(h, USERS.alice, {
        version: '0.12.0+build.1',
        phase: 'live',
      });
      expect(requested.status).toBe(202);
      const res = await changesOf(h, requested.body.id);
      expect(res.body.direction).toBe('upgrade');
      expect(res.body.from.version).toBe('0.11.0');
      expect(res.body.releases.map((r: any) => r.version)).toEqual([
        '0.12.0+build.1',
      ]);
      // A later release lists the build in between, in semver order.
      const pre = await preview(h, '0.13.0', 'live');
      expect(pre.body.from.version).toBe('0.11.0');
      expect(pre.body.releases.map((r: any) => r.version)).toEqual([
        '0.12.0+build.1',
        '0.13.0',
      ]);
    });

    it('answers as reading the promotion does: 401 without credentials, 404 for an entity the caller may not see, 400 for a bad phase', async () => {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: config(),
        hiddenFrom: { [USERS.carol]: [ENTITY] },
      });
      await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'One', 100);
      await release(h, '1.1.0', ['dev', 'qa', 'stage'], 'Two', 10);
      const requested = await promote(h, USERS.alice, {
        version: '1.1.0',
        phase: 'live',
      });
      const none = await request(h.server)
        .get(`/api/release/promotions/${requested.body.id}/changes`)
        .set('Authorization', mockCredentials.none.header());
      expect(none.status).toBe(401);
      expect((await changesOf(h, requested.body.id, USERS.carol)).status).toBe(
        404,
      );
      const bad = await preview(h, '1.1.0', 'prod');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/Phase 'prod' does not exist/);
      expect((await preview(h, '9.9.9', 'live')).status).toBe(404);
    });

    it('shows the configuration diff only to those who may read the configuration (release.config.read), counting what it hides', async () => {
      // Bob may read Live's configuration, not Stage's; carol neither.
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: config(),
        policy: (name, resourceRef, credentials) => {
          const user = (
            credentials as { principal: { userEntityRef?: string } }
          ).principal.userEntityRef;
          if (name !== 'release.config.read') return AuthorizeResult.ALLOW;
          if (user === USERS.carol) return AuthorizeResult.DENY;
          if (user === USERS.bob && resourceRef?.endsWith('#stage')) {
            return AuthorizeResult.DENY;
          }
          return AuthorizeResult.ALLOW;
        },
      });
      await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'One', 100);
      await release(h, '1.1.0', ['dev', 'qa', 'stage'], 'Two', 10);
      const current = (await getConfig(h, 'live')).body.version;
      expect(
        (
          await putConfig(h, 'live', {
            variables: { LOG_LEVEL: 'debug' },
            expectedVersion: current,
          })
        ).status,
      ).toBe(200);
      const requested = await promote(h, USERS.alice, {
        version: '1.1.0',
        phase: 'live',
      });
      expect(requested.status).toBe(202);

      const alice = await changesOf(h, requested.body.id, USERS.alice);
      expect(alice.status).toBe(200);
      expect(alice.body.config.hidden).toBeUndefined();
      expect(alice.body.config.variables.changed.length).toBeGreaterThan(0);

      const bob = await changesOf(h, requested.body.id, USERS.bob);
      expect(bob.body.config.hidden).toBeUndefined();
      expect(bob.body.config).toEqual(alice.body.config);
      // Compared with Stage: Bob may not read Stage's configuration.
      expect(bob.body.comparedWithSource.config).toMatchObject({
        hidden: true,
        variables: NO_CHANGE,
        secrets: NO_CHANGE,
      });

      const carol = await changesOf(h, requested.body.id, USERS.carol);
      expect(carol.status).toBe(200);
      expect(carol.body.config).toMatchObject({
        hidden: true,
        variables: NO_CHANGE,
        database: NO_CHANGE,
        sizing: NO_CHANGE,
        secrets: NO_CHANGE,
      });
      expect(JSON.stringify(carol.body)).not.toContain('debug');
      // The summary still counts the changes; the rest is the same.
      expect(carol.body.summary).toEqual(alice.body.summary);
      expect(carol.body.summary.configChanges).toBeGreaterThan(0);
      expect(carol.body.releases).toEqual(alice.body.releases);
    });

    it('release:get-promotion-changes answers what the route answers', async () => {
      const h = await start();
      await release(h, '1.0.0', ['dev', 'qa', 'stage', 'live'], 'One', 100);
      await release(h, '1.1.0', ['dev', 'qa', 'stage'], 'Two', 10);
      const requested = await promote(h, USERS.alice, {
        version: '1.1.0',
        phase: 'live',
      });
      const invoked = await request(h.server)
        .post(
          `/api/release/.backstage/actions/v1/actions/${encodeURIComponent(
            'release:get-promotion-changes',
          )}/invoke`,
        )
        .set('Authorization', as(USERS.bob))
        .send({ promotionId: requested.body.id });
      expect(invoked.status).toBe(200);
      const route = await changesOf(h, requested.body.id);
      expect(invoked.body.output.changes).toEqual(route.body);
    });
  });
});
