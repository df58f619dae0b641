import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../__testUtils__/fakeServer';
import {
  as,
  countRows,
  decide,
  Harness,
  PAYMENTS,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  USERS,
} from '../__testUtils__/harness';
import { SecretCipher } from '../secrets/SecretCipher';

jest.setTimeout(120_000);

const K1 = { id: 'k1', key: Buffer.alloc(32, 1).toString('base64') };
const K2 = { id: 'k2', key: Buffer.alloc(32, 2).toString('base64') };
const HOUR = 3600_000;

/** The test pipeline with overrides per phase, secrets keys and dispatch timing. */
function config(
  phases: Record<string, JsonObject> = {},
  options: { keys?: JsonObject[]; dispatch?: boolean } = {},
): JsonObject {
  const base = pipelineConfig(phases) as { release: JsonObject };
  return {
    release: {
      ...base.release,
      secrets: { keys: options.keys ?? [K1] },
      providers: { simulated: { durationMs: 1_500, steps: ['Rolling out'] } },
      dispatcher: options.dispatch
        ? {
            pollIntervalMs: 100,
            followIntervalMs: 100,
            backoffMs: 100,
            maxUnknown: 3,
            callTimeoutMs: 1_000,
            leaseMs: 2_000,
          }
        : { enabled: false },
    },
  };
}

const get = (h: Harness, path: string, user = USERS.alice) =>
  request(h.server).get(path).set('Authorization', as(user));

/**
 * `count` releases 9.<i>.0 of payments-api, each waiting for approval in
 * stage, requested by `by(i)` `minutesAgo(i)` minutes ago.
 */
async function seedWaiting(
  h: Harness,
  count: number,
  by: (i: number) => string,
  minutesAgo: (i: number) => number,
) {
  const entityRef = 'component:default/payments-api';
  for (let i = 0; i < count; i++) {
    const version = `9.${i}.0`;
    await h.store.createRelease({
      entityRef,
      version,
      artifact: `a${i}`,
      createdBy: 'service:external:ci',
      createdAt: new Date().toISOString(),
    });
    await h.store.importPromotion({
      entityRef,
      phase: 'stage',
      version,
      status: 'pending_approval',
      requestedBy: by(i),
      requestedAt: new Date(Date.now() - minutesAgo(i) * 60_000),
    });
  }
}

async function inbox(h: Harness, user: string) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await get(
      h,
      `/api/release/approvals?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      user,
    );
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((p: { id: string }) => p.id));
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

describe('one promotion lifecycle (issue 12)', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('invariant 31: auto-promotion waits out the soak time, then a replica promotes exactly once through the same gates', async () => {
      const knex = await databases.init(databaseId);
      const qa = { autoPromote: true, soakTime: 'PT2H' };
      // A replica whose scheduled tasks (the reconciler) run once at startup.
      const replica = () =>
        startReleaseBackend({
          knex,
          config: config({ qa }),
          features: [mockServices.scheduler.factory()],
        });
      const h = await replica();
      // 1.0.0 succeeded in Dev 30 minutes ago: still soaking.
      await h.store.createRelease({
        entityRef: 'component:default/payments-api',
        version: '1.0.0',
        artifact: 'registry.example.com/app@sha256:1',
        createdBy: 'service:external:ci',
        createdAt: new Date(Date.now() - 4 * HOUR).toISOString(),
      });
      await h.store.importPromotion({
        entityRef: 'component:default/payments-api',
        phase: 'dev',
        version: '1.0.0',
        status: 'succeeded',
        requestedBy: USERS.alice,
        requestedAt: new Date(Date.now() - 0.6 * HOUR),
        finishedAt: new Date(Date.now() - 0.5 * HOUR),
      });
      // A manual request is refused by the soak gate…
      const manual = await promote(h, USERS.alice, {
        version: '1.0.0',
        phase: 'qa',
      });
      expect(manual.status).toBe(409);
      expect(manual.body.error.message).toMatch(/must run in 'dev' for PT2H/);
      // …and so is the automatic one: a replica starting now (its reconciler
      // runs at startup) requests nothing.
      await replica();
      await new Promise(r => setTimeout(r, 1_000));
      expect(await countRows(knex, 'release_promotions', { phase: 'qa' })).toBe(
        0,
      );

      // 2.0.0 succeeded in Dev three hours ago: the soak is over.
      await seedRelease(h, '2.0.0');
      await h.store.importPromotion({
        entityRef: 'component:default/payments-api',
        phase: 'dev',
        version: '2.0.0',
        status: 'succeeded',
        requestedBy: USERS.alice,
        requestedAt: new Date(Date.now() - 3.1 * HOUR),
        finishedAt: new Date(Date.now() - 3 * HOUR),
      });
      // Two replicas start at the same moment: one automatic promotion.
      await Promise.all([replica(), replica()]);
      const rows = await eventually(async () => {
        const found = await knex('release_promotions').where({ phase: 'qa' });
        return found.length ? found : undefined;
      });
      await new Promise(r => setTimeout(r, 500));
      expect(rows.map(r => [r.version, r.requested_by])).toEqual([
        ['2.0.0', 'system:auto-promote'],
      ]);
      expect(await countRows(knex, 'release_promotions', { phase: 'qa' })).toBe(
        1,
      );
      // Once requested, it is never requested again.
      await replica();
      await new Promise(r => setTimeout(r, 1_000));
      expect(await countRows(knex, 'release_promotions', { phase: 'qa' })).toBe(
        1,
      );
    });

    it('invariant 31: a release that just succeeded is not auto-promoted into a phase with a soak time (the dispatcher path)', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({
        knex,
        config: config(
          { qa: { autoPromote: true, soakTime: 'PT2H' } },
          { dispatch: true },
        ),
      });
      await seedRelease(h, '3.0.0');
      const p = await promote(h, USERS.alice, {
        version: '3.0.0',
        phase: 'dev',
      });
      expect(p.status).toBe(202);
      await eventually(async () => {
        const now = await get(h, `/api/release/promotions/${p.body.id}`);
        return now.body.status === 'succeeded' ? true : undefined;
      });
      // Give an automatic request every chance to appear.
      await new Promise(r => setTimeout(r, 500));
      expect(await countRows(knex, 'release_promotions', { phase: 'qa' })).toBe(
        0,
      );
    });

    it('invariant 32: a promotion whose approvals were voided is back in the inbox, and the inbox pages through any number of waiting promotions', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({ knex, config: config() });
      await seedRelease(h, '2.0.0', ['dev', 'qa', 'stage']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'live',
      });
      expect(p.status).toBe(202);
      expect(await inbox(h, USERS.lead)).toEqual([p.body.id]);
      // lead approves (1 of 2): no longer waiting for lead.
      expect((await decide(h, USERS.lead, p.body.id, 'approve')).status).toBe(
        200,
      );
      expect(await inbox(h, USERS.lead)).toEqual([]);
      // The Live config changes: lead's approval is voided, lead must approve again.
      const changed = await request(h.server)
        .put(`${PAYMENTS}/phases/live/config`)
        .set('Authorization', as(USERS.alice))
        .send({ variables: { LOG_LEVEL: 'warn' }, expectedVersion: 0 });
      expect(changed.status).toBe(200);
      expect(await inbox(h, USERS.lead)).toEqual([p.body.id]);
      expect(await inbox(h, USERS.alice)).toEqual([]); // the requester

      // 520 more waiting promotions (more than any scan limit): every one is
      // in the inbox, across pages, without duplicates.
      await seedWaiting(
        h,
        520,
        () => USERS.alice,
        i => i + 10,
      );
      const all = await inbox(h, USERS.lead);
      expect(all.length).toBe(521);
      expect(new Set(all).size).toBe(521);
      expect(all[0]).toBe(p.body.id);
      const bad = await get(
        h,
        '/api/release/approvals?cursor=bogus',
        USERS.lead,
      );
      expect(bad.status).toBe(400);
    });

    it('invariant 32: the inbox passes over any number of promotions the caller may not decide to fill its page', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({ knex, config: config() });
      // 3 promotions by alice, then 450 newer ones lead requested (no
      // self-approval): the inbox (newest first) finds alice's past several
      // batches of promotions lead may not decide, two on the first page
      // and the third on the second.
      await seedWaiting(
        h,
        453,
        i => (i < 3 ? USERS.alice : USERS.lead),
        i => 1000 - i,
      );
      const first = await get(h, '/api/release/approvals?limit=2', USERS.lead);
      expect(first.status).toBe(200);
      expect(
        first.body.items.map((p: { version: string }) => p.version),
      ).toEqual(['9.2.0', '9.1.0']);
      const second = await get(
        h,
        `/api/release/approvals?limit=2&cursor=${first.body.nextCursor}`,
        USERS.lead,
      );
      expect(
        second.body.items.map((p: { version: string }) => p.version),
      ).toEqual(['9.0.0']);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('invariant 33: an override on approve needs a reason, is recorded in the ledger and the audit event, and lifts exactly the gate it names', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({
        knex,
        config: config({
          stage: {
            approvals: { required: 1 },
            freezeWindows: [
              { cron: '* * * * *', duration: 'PT2H', reason: 'release freeze' },
            ],
          },
        }),
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      expect(p.status).toBe(202);
      const lock = await request(h.server)
        .put(`${PAYMENTS}/phases/stage/lock`)
        .set('Authorization', as(USERS.bob))
        .send({ reason: 'incident 7' });
      expect(lock.status).toBe(200);

      // Blank reason: 400. Overriding only the lock leaves the freeze: 409.
      const blank = await decide(h, USERS.lead, p.body.id, 'approve', {
        override: { reason: ' ', gates: ['lock'] },
      });
      expect(blank.status).toBe(400);
      const lockOnly = await decide(h, USERS.lead, p.body.id, 'approve', {
        override: { reason: 'hotfix', gates: ['lock'] },
      });
      expect(lockOnly.status).toBe(409);
      expect(lockOnly.body.error.message).toMatch(/frozen/);
      expect(lockOnly.body.error.message).not.toMatch(/locked/);
      // Naming both: approved and queued at once despite the lock and freeze.
      const both = await decide(h, USERS.lead, p.body.id, 'approve', {
        override: { reason: 'security fix CVE-1', gates: ['lock', 'freeze'] },
      });
      expect(both.status).toBe(200);
      expect(both.body.status).toBe('queued');
      expect(both.body.overrideReason).toBe('security fix CVE-1');
      expect(both.body.overrideGates).toEqual(['lock', 'freeze']);
      const history = await get(h, `${PAYMENTS}/history?phase=stage`);
      const override = history.body.items.find(
        (e: { action: string }) => e.action === 'promotion.override',
      );
      expect(override).toMatchObject({
        actor: USERS.lead,
        reason: 'security fix CVE-1',
      });
      const audit = h.audit.find(
        e =>
          e.eventId === 'promotion-approve' &&
          e.status === 'succeeded' &&
          (e.meta as JsonObject).override,
      );
      expect(audit?.severityLevel).toBe('critical');
      expect((audit?.meta as JsonObject).override).toMatchObject({
        reason: 'security fix CVE-1',
        gates: ['lock', 'freeze'],
      });

      // Nothing blocking and no gate named: nothing to override, 400.
      await request(h.server)
        .delete(`${PAYMENTS}/phases/qa/lock`)
        .set('Authorization', as(USERS.bob));
      await seedRelease(h, '2.1.0', ['dev']);
      const q = await promote(h, USERS.alice, {
        version: '2.1.0',
        phase: 'qa',
        override: { reason: 'nothing to lift' },
      });
      expect(q.status).toBe(400);
      expect(q.body.error.message).toMatch(/Nothing to override/);
    });

    it('invariant 34: a secret change while a deployment runs neither alters nor fails it, and applies to the next promotion', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({
        knex,
        config: config({}, { dispatch: true }),
      });
      await seedRelease(h, '2.0.0');
      const set = (value: string) =>
        request(h.server)
          .put(`${PAYMENTS}/phases/dev/secrets/DB_PASSWORD`)
          .set('Authorization', as(USERS.alice))
          .send({ value });
      expect((await set('SECRET-VALUE-first')).status).toBe(204);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      expect(p.status).toBe(202);
      await eventually(async () => {
        const now = await get(h, `/api/release/promotions/${p.body.id}`);
        return now.body.status === 'deploying' ? true : undefined;
      });
      expect((await set('SECRET-VALUE-second')).status).toBe(204);
      const done = await eventually(async () => {
        const now = await get(h, `/api/release/promotions/${p.body.id}`);
        return ['succeeded', 'failed'].includes(now.body.status)
          ? now.body
          : undefined;
      });
      expect(done.status).toBe('succeeded');
      expect(JSON.stringify(done.progress)).not.toMatch(/Secrets changed/);
      // The promotion kept the value it was bound to; the next one binds the new one.
      const cipher = new SecretCipher([
        { id: K1.id, key: Buffer.from(K1.key, 'base64') },
      ]);
      const row = await knex('release_promotions')
        .where({ id: p.body.id })
        .first();
      const bound = JSON.parse(row.secret_ciphertexts);
      expect(cipher.decrypt(bound.DB_PASSWORD)).toBe('SECRET-VALUE-first');
      await seedRelease(h, '2.1.0');
      const next = await promote(h, USERS.alice, {
        version: '2.1.0',
        phase: 'dev',
      });
      const nextRow = await knex('release_promotions')
        .where({ id: next.body.id })
        .first();
      expect(
        cipher.decrypt(JSON.parse(nextRow.secret_ciphertexts).DB_PASSWORD),
      ).toBe('SECRET-VALUE-second');
    });

    it('invariant 35: after a key rotation every secret decrypts, fingerprints do not change, deployments succeed, and re-encryption keeps every value', async () => {
      const knex = await databases.init(databaseId);
      const h1 = await startReleaseBackend({
        knex,
        config: config({}, { keys: [K1] }),
      });
      await seedRelease(h1, '2.0.0');
      expect(
        (
          await request(h1.server)
            .put(`${PAYMENTS}/phases/dev/secrets/DB_PASSWORD`)
            .set('Authorization', as(USERS.alice))
            .send({ value: 'SECRET-VALUE-rotate' })
        ).status,
      ).toBe(204);
      const before = await get(h1, `${PAYMENTS}/phases/dev/config`);
      const fingerprint = before.body.secrets[0].fingerprint;
      expect(fingerprint).toBeTruthy();

      // Restart with a new first key, the old one still listed; the
      // re-encryption task runs at startup here.
      const h2 = await startReleaseBackend({
        knex,
        config: config({}, { keys: [K2, K1], dispatch: true }),
        features: [
          mockServices.scheduler.factory({
            includeInitialDelayedTasksOnStartup: true,
          }),
        ],
      });
      const after = await get(h2, `${PAYMENTS}/phases/dev/config`);
      expect(after.body.secrets[0].fingerprint).toBe(fingerprint);
      const p = await promote(h2, USERS.alice, {
        version: '2.0.0',
        phase: 'dev',
      });
      expect(p.status).toBe(202);
      const done = await eventually(async () => {
        const now = await get(h2, `/api/release/promotions/${p.body.id}`);
        return ['succeeded', 'failed'].includes(now.body.status)
          ? now.body
          : undefined;
      });
      expect(done.status).toBe('succeeded');
      // Every stored ciphertext is now under k2, with the same value.
      await eventually(async () => {
        const rows = await knex('release_secrets').select('ciphertext');
        return rows.every(r => r.ciphertext.startsWith('v1:k2:'))
          ? true
          : undefined;
      });
      const k2only = new SecretCipher([
        { id: K2.id, key: Buffer.from(K2.key, 'base64') },
      ]);
      const [secret] = await knex('release_secrets').select('ciphertext');
      expect(k2only.decrypt(secret.ciphertext)).toBe('SECRET-VALUE-rotate');
      // The old key can go: the fingerprint still does not change.
      const h3 = await startReleaseBackend({
        knex,
        config: config({}, { keys: [K2] }),
      });
      const last = await get(h3, `${PAYMENTS}/phases/dev/config`);
      expect(last.body.secrets[0].fingerprint).toBe(fingerprint);
    });

    it('issue 12 #9: rollback checks phase access before it looks at the phase', async () => {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({ knex, config: config() });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      // carol is no deployer of qa; the phase has nothing to roll back to.
      const carol = await request(h.server)
        .post(`${PAYMENTS}/phases/qa/rollback`)
        .set('Authorization', as(USERS.carol))
        .send({});
      expect(carol.status).toBe(403);
      const alice = await request(h.server)
        .post(`${PAYMENTS}/phases/qa/rollback`)
        .set('Authorization', as(USERS.alice))
        .send({});
      expect(alice.status).toBe(409);
      expect(alice.body.error.message).toMatch(/no earlier successful release/);
    });
  });
});
