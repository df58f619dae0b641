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
