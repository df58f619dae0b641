import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
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

jest.setTimeout(120_000);

/** Every table's row count, to prove a refused request changed nothing. */
async function snapshot(h: Harness) {
  const tables = [
    'release_releases',
    'release_promotions',
    'release_approvals',
    'release_phase_locks',
    'release_history',
  ];
  return Object.fromEntries(
    await Promise.all(tables.map(async t => [t, await countRows(h.knex, t)])),
  );
}

describe('invariants: input and audit', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start() {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config: pipelineConfig(),
      });
      await seedRelease(h, '2.0.0', ['dev', 'qa']);
      return h;
    }

    it('invariant 26: every body, query and path parameter is validated; bad input is a 400 that says what is wrong and changes nothing', async () => {
      const h = await start();
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      const before = await snapshot(h);
      const user = as(USERS.alice);
      const cases: Array<[string, () => request.Test, RegExp]> = [
        [
          'unknown phase',
          () =>
            promote(h, USERS.alice, {
              version: '2.0.0',
              phase: 'prod',
            }) as request.Test,
          /Phase 'prod' does not exist .* phases: dev, qa, stage, live/,
        ],
        [
          'phase id shape',
          () =>
            promote(h, USERS.alice, {
              version: '2.0.0',
              phase: 'Live!',
            }) as request.Test,
          /phase must match pattern/,
        ],
        [
          'missing version',
          () => promote(h, USERS.alice, { phase: 'stage' }) as request.Test,
          /must have required property 'version'/,
        ],
        [
          'unknown body key',
          () =>
            promote(h, USERS.alice, {
              version: '2.0.0',
              phase: 'stage',
              force: true,
            }) as request.Test,
          /additional properties/,
        ],
        [
          'comment too long',
          () =>
            promote(h, USERS.alice, {
              version: '2.0.0',
              phase: 'live',
              comment: 'x'.repeat(2001),
            }) as request.Test,
          /comment must NOT have more than 2000/,
        ],
        [
          'override without reason',
          () =>
            promote(h, USERS.alice, {
              version: '2.0.0',
              phase: 'live',
              override: {},
            }) as request.Test,
          /must have required property 'reason'/,
        ],
        [
          'bad semver',
          () =>
            request(h.server)
              .post(`${PAYMENTS}/releases`)
              .set('Authorization', user)
              .send({ version: '1.0', artifact: 'a' }),
          /not a semantic version/,
        ],
        [
          'notes too long',
          () =>
            request(h.server)
              .post(`${PAYMENTS}/releases`)
              .set('Authorization', user)
              .send({
                version: '9.0.0',
                artifact: 'a',
                notes: 'n'.repeat(10_001),
              }),
          /notes must NOT have more than 10000/,
        ],
        [
          'bad entity name',
          () =>
            request(h.server)
              .get(
                '/api/release/entities/component/default/pay%20ments/pipeline',
              )
              .set('Authorization', user),
          /Invalid entity name 'pay ments'/,
        ],
        [
          'bad promotion id',
          () =>
            request(h.server)
              .post('/api/release/promotions/not-a-uuid/approve')
              .set('Authorization', user)
              .send({}),
          /id must match pattern/,
        ],
        [
          'bad status filter',
          () =>
            request(h.server)
              .get(`${PAYMENTS}/promotions?status=done`)
              .set('Authorization', user),
          /status must be equal to one of the allowed values/,
        ],
        [
          'unknown phase filter',
          () =>
            request(h.server)
              .get(`${PAYMENTS}/history?phase=prod`)
              .set('Authorization', user),
          /Phase 'prod' does not exist/,
        ],
        [
          'limit too large',
          () =>
            request(h.server)
              .get(`${PAYMENTS}/history?limit=1000`)
              .set('Authorization', user),
          /limit must be <= 100/,
        ],
        [
          'bad cursor',
          () =>
            request(h.server)
              .get(`${PAYMENTS}/history?cursor=abc`)
              .set('Authorization', user),
          /Invalid cursor/,
        ],
        [
          'lock without reason',
          () =>
            request(h.server)
              .put(`${PAYMENTS}/phases/stage/lock`)
              .set('Authorization', user)
              .send({}),
          /must have required property 'reason'/,
        ],
        [
          'reject without comment',
          () => decide(h, USERS.lead, p.body.id, 'reject') as request.Test,
          /needs a comment/,
        ],
        [
          'too many status refs',
          () =>
            request(h.server)
              .post('/api/release/status')
              .set('Authorization', user)
              .send({ entityRefs: Array(501).fill('component:default/x') }),
          /must NOT have more than 500 items/,
        ],
        [
          'bad status ref',
          () =>
            request(h.server)
              .post('/api/release/status')
              .set('Authorization', user)
              .send({ entityRefs: ['component:'] }),
          /Invalid entity ref/,
        ],
        [
          'idempotency key too long',
          () =>
            promote(
              h,
              USERS.alice,
              { version: '2.0.0', phase: 'live' },
              { 'Idempotency-Key': 'k'.repeat(256) },
            ) as request.Test,
          /must NOT have more than 255/,
        ],
      ];
      for (const [name, call, message] of cases) {
        const res = await call();
        expect({ name, status: res.status }).toEqual({ name, status: 400 });
        expect({ name, message: res.body.error?.message }).toEqual({
          name,
          message: expect.stringMatching(message),
        });
      }
      expect(await snapshot(h)).toEqual(before);
    });

    it('invariant 26: every route that takes a version checks it is semver (NUL bytes, a leading v) and answers 400, never 500', async () => {
      const h = await start();
      const before = await snapshot(h);
      const user = as(USERS.alice);
      const bad = ['1.0.0\u0000', 'v1.0.0', '1.0', '1.0.0%00'];
      for (const version of bad) {
        const calls: Array<[string, () => request.Test]> = [
          [
            'GET releases/{version}',
            () =>
              request(h.server)
                .get(`${PAYMENTS}/releases/${encodeURIComponent(version)}`)
                .set('Authorization', user),
          ],
          [
            'POST releases',
            () =>
              request(h.server)
                .post(`${PAYMENTS}/releases`)
                .set('Authorization', user)
                .send({ version, artifact: 'a' }),
          ],
          [
            'POST promotions',
            () =>
              promote(h, USERS.alice, {
                version,
                phase: 'stage',
              }) as request.Test,
          ],
          [
            'POST rollback',
            () =>
              request(h.server)
                .post(`${PAYMENTS}/phases/qa/rollback`)
                .set('Authorization', user)
                .send({ version }),
          ],
        ];
        for (const [name, call] of calls) {
          const res = await call();
          expect({ name, version, status: res.status }).toEqual({
            name,
            version,
            status: 400,
          });
          expect({ name, version, message: res.body.error?.message }).toEqual({
            name,
            version,
            message: expect.stringMatching(
              /not a semantic version|version must match pattern/,
            ),
          });
        }
      }
      // The path form `1.0.0%00` reaches the route as a NUL byte.
      const nul = await request(h.server)
        .get(`${PAYMENTS}/releases/1.0.0%00`)
        .set('Authorization', user);
      expect(nul.status).toBe(400);
      const v = await request(h.server)
        .get(`${PAYMENTS}/releases/v2.0.0`)
        .set('Authorization', user);
      expect(v.status).toBe(400);
      expect(v.body.error.message).toMatch(
        /without the leading 'v' \(2\.0\.0\)/,
      );
      // Build metadata is allowed, and looked up exactly.
      const exact = await request(h.server)
        .get(`${PAYMENTS}/releases/2.0.0%2Bbuild.1`)
        .set('Authorization', user);
      expect(exact.status).toBe(404);
      expect(await snapshot(h)).toEqual(before);
    });

    it('invariant 26: the bulk status checks every entity ref the same way as path parts', async () => {
      const h = await start();
      for (const ref of [
        'com:po:nent:x',
        '../../etc/passwd',
        'component:default/pay ments',
        'component:default/x\u0000',
        `component:default/${'n'.repeat(64)}`,
      ]) {
        const res = await request(h.server)
          .post('/api/release/status')
          .set('Authorization', as(USERS.alice))
          .send({ entityRefs: ['component:default/payments-api', ref] });
        expect({ ref, status: res.status }).toEqual({ ref, status: 400 });
        expect(res.body.error.message).toMatch(/^Invalid entity ref '/);
      }
      const ok = await request(h.server)
        .post('/api/release/status')
        .set('Authorization', as(USERS.alice))
        .send({ entityRefs: ['Component:default/payments-api'] });
      expect(ok.status).toBe(200);
      expect(ok.body.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/payments-api',
      ]);
    });

    it('invariant 20: releases that differ only in build metadata are the same release (409 naming the existing one); lookups stay exact', async () => {
      const h = await start();
      const user = as(USERS.alice);
      const create = (version: string, artifact: string) =>
        request(h.server)
          .post(`${PAYMENTS}/releases`)
          .set('Authorization', user)
          .send({ version, artifact });
      expect((await create('0.12.0+build.1', 'img@sha256:1')).status).toBe(201);
      const second = await create('0.12.0+build.2', 'img@sha256:2');
      expect(second.status).toBe(409);
      expect(second.body.error.message).toBe(
        'Release 0.12.0+build.1 of component:default/payments-api already exists and 0.12.0+build.2 differs from it only in build metadata, so it is the same release; releases are immutable, publish a new version',
      );
      const plain = await create('0.12.0', 'img@sha256:1');
      expect(plain.status).toBe(409);
      expect(plain.body.error.message).toMatch(/^Release 0\.12\.0\+build\.1 /);
      // A prerelease is another release.
      expect((await create('0.12.0-rc.1+build.2', 'img@sha256:3')).status).toBe(
        201,
      );
      // Lookups are exact-string.
      const got = await request(h.server)
        .get(`${PAYMENTS}/releases/${encodeURIComponent('0.12.0+build.1')}`)
        .set('Authorization', user);
      expect(got.status).toBe(200);
      expect(got.body.artifact).toBe('img@sha256:1');
      const other = await request(h.server)
        .get(`${PAYMENTS}/releases/${encodeURIComponent('0.12.0+build.2')}`)
        .set('Authorization', user);
      expect(other.status).toBe(404);
      // The database keeps the rule whoever writes: a direct insert is refused.
      let refused: unknown;
      try {
        await h.knex('release_releases').insert({
          entity_ref: 'component:default/payments-api',
          version: '0.12.0+build.9',
          version_key: '0.12.0',
          artifact: 'x',
          created_by: 'user:default/x',
          created_at: new Date(),
        });
      } catch (e) {
        refused = e;
      }
      expect(String(refused)).toMatch(/unique|duplicate/i);
      expect(
        (
          await h
            .knex('release_releases')
            .where('entity_ref', 'component:default/payments-api')
            .whereLike('version', '0.12.0%')
            .orderBy('id')
        ).map(r => r.version),
      ).toEqual(['0.12.0+build.1', '0.12.0-rc.1+build.2']);
    });

    it('invariant 27: user-entered text is stored and returned as text, never as HTML', async () => {
      const h = await start();
      const html = '<img src=x onerror=alert(1)><script>alert(2)</script>';
      const created = await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', as(USERS.alice))
        .send({ version: '3.0.0', artifact: 'a', notes: html });
      expect(created.headers['content-type']).toMatch(/^application\/json/);
      expect(created.body.notes).toBe(html);
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
        comment: html,
      });
      expect(p.body.comment).toBe(html);
      const rejected = await decide(h, USERS.lead, p.body.id, 'reject', {
        comment: html,
      });
      expect(rejected.body.approvals[0].comment).toBe(html);
      const history = await request(h.server)
        .get(`${PAYMENTS}/history`)
        .set('Authorization', as(USERS.alice));
      expect(history.headers['content-type']).toMatch(/^application\/json/);
      expect(
        history.body.items.map((i: { reason?: string }) => i.reason),
      ).toContain(html);
    });

    it('invariant 30: every mutation emits an auditor event (initiated, then success or fail) with its severity, and a ledger row', async () => {
      const h = await start();
      const user = as(USERS.alice);
      await request(h.server)
        .post(`${PAYMENTS}/releases`)
        .set('Authorization', user)
        .send({ version: '3.0.0', artifact: 'a' });
      const p = await promote(h, USERS.alice, {
        version: '2.0.0',
        phase: 'stage',
      });
      await decide(h, USERS.lead, p.body.id, 'approve');
      const q = await promote(h, USERS.alice, {
        version: '3.0.0',
        phase: 'dev',
      });
      await decide(h, USERS.alice, q.body.id, 'cancel');
      await request(h.server)
        .put(`${PAYMENTS}/phases/live/lock`)
        .set('Authorization', user)
        .send({ reason: 'audit' });
      await request(h.server)
        .delete(`${PAYMENTS}/phases/live/lock`)
        .set('Authorization', user);
      await decide(h, USERS.carol, p.body.id, 'approve'); // refused: a failed event

      const events = h.audit.map(
        e => `${e.eventId}:${e.severityLevel}:${e.status}`,
      );
      expect(events).toEqual([
        'release-create:medium:initiated',
        'release-create:medium:succeeded',
        'promotion-request:medium:initiated',
        'promotion-request:medium:succeeded',
        'promotion-approve:high:initiated',
        'promotion-approve:high:succeeded',
        'promotion-request:medium:initiated',
        'promotion-request:medium:succeeded',
        'promotion-cancel:medium:initiated',
        'promotion-cancel:medium:succeeded',
        'phase-lock:high:initiated',
        'phase-lock:high:succeeded',
        'phase-unlock:high:initiated',
        'phase-unlock:high:succeeded',
        'promotion-approve:high:initiated',
        'promotion-approve:high:failed',
      ]);
      const ledger = (
        await h.store.listHistory('component:default/payments-api', {
          limit: 100,
        })
      ).items
        .reverse()
        .filter(
          e =>
            e.action !== 'promotion.import' &&
            !(e.action === 'release.create' && e.actor.startsWith('service:')),
        );
      expect(
        ledger.map(e => [
          e.action,
          e.actor,
          e.phase ?? null,
          e.version ?? null,
        ]),
      ).toEqual([
        ['release.create', USERS.alice, null, '3.0.0'],
        ['promotion.request', USERS.alice, 'stage', '2.0.0'],
        ['approval.approve', USERS.lead, 'stage', '2.0.0'],
        ['promotion.approved', USERS.lead, 'stage', '2.0.0'],
        ['promotion.queued', USERS.lead, 'stage', '2.0.0'],
        ['promotion.request', USERS.alice, 'dev', '3.0.0'],
        ['promotion.queued', USERS.alice, 'dev', '3.0.0'],
        ['promotion.cancelled', USERS.alice, 'dev', '3.0.0'],
        ['phase.lock', USERS.alice, 'live', null],
        ['phase.unlock', USERS.alice, 'live', null],
      ]);
      for (const e of ledger) {
        expect(Date.parse(e.createdAt)).not.toBeNaN();
      }
    });
  });
});
