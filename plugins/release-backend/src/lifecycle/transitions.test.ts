import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import {
  PROMOTION_STATUSES,
  PROMOTION_TRANSITIONS,
  PromotionStatus,
} from '@release-manager/backstage-plugin-release-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  createTestDatabases,
  TestDatabaseId,
} from '../__testUtils__/databases';
import { DatabaseReleaseStore } from '../database/DatabaseReleaseStore';
import { CommittedHistoryEntry } from '../database/ReleaseStore';
import { inTransaction } from '../database/rows';
import {
  insertPromotion,
  PromotionInsert,
  statusColumns,
  TransitionSubject,
  transitionPromotion,
  voidApprovals,
} from './transitions';

jest.setTimeout(120_000);

const ENTITY = 'component:default/payments-api';
const ACTOR = 'user:default/alice';
const NOW = new Date('2026-11-26T12:00:00.000Z');

const LEGAL: Array<[PromotionStatus, PromotionStatus]> =
  PROMOTION_STATUSES.flatMap(from =>
    PROMOTION_TRANSITIONS[from].map(
      to => [from, to] as [PromotionStatus, PromotionStatus],
    ),
  );
const ILLEGAL: Array<[PromotionStatus, PromotionStatus]> =
  PROMOTION_STATUSES.flatMap(from =>
    PROMOTION_STATUSES.filter(
      to => !PROMOTION_TRANSITIONS[from].includes(to),
    ).map(to => [from, to] as [PromotionStatus, PromotionStatus]),
  );

const OPEN: PromotionStatus[] = [
  'pending_approval',
  'approved',
  'queued',
  'deploying',
];

describe('lifecycle/transitions', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let releaseId: string;
    let n = 0;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      // The package's migrations, as the plugin runs them.
      const store = await DatabaseReleaseStore.create({
        database: mockServices.database({ knex }),
      });
      const release = await store.createRelease({
        entityRef: ENTITY,
        version: '1.0.0',
        artifact: 'registry.example.com/app@sha256:1',
        createdBy: 'service:external:ci',
        createdAt: NOW.toISOString(),
      });
      releaseId = release.id;
    });

    /** Every promotion in its own phase, so uniqueness rules never meet. */
    function newSubject(status: PromotionStatus): TransitionSubject {
      n++;
      return {
        id: randomUUID(),
        entityRef: ENTITY,
        phase: `phase-${n}`,
        version: '1.0.0',
        status,
      };
    }

    function insertion(
      s: TransitionSubject,
      action: PromotionInsert['action'] = 'promotion.import',
    ): PromotionInsert {
      return {
        ...s,
        releaseId,
        actor: ACTOR,
        action,
        columns: { requested_at: NOW },
      };
    }

    /** A promotion stored in `status` (an import of past history). */
    async function seed(status: PromotionStatus): Promise<TransitionSubject> {
      const s = newSubject(status);
      await knex.transaction(tx => insertPromotion(tx, insertion(s), NOW));
      return s;
    }

    async function rowOf(id: string) {
      return knex('release_promotions').where({ id }).first();
    }

    async function ledgerOf(id: string) {
      return knex('release_history')
        .where({ promotion_id: id })
        .orderBy('id', 'asc');
    }

    /** Runs `fn` as the stores do: one transaction, listeners after commit. */
    async function run<T>(fn: (tx: Knex.Transaction) => Promise<T>) {
      const committed: CommittedHistoryEntry[][] = [];
      const result = await inTransaction(knex, e => committed.push(e), fn);
      return { result, committed };
    }

    async function runAndFail(fn: (tx: Knex.Transaction) => Promise<unknown>) {
      const committed: CommittedHistoryEntry[][] = [];
      const error = await inTransaction(knex, e => committed.push(e), fn).then(
        () => undefined,
        e => e,
      );
      return { error, committed };
    }

    async function addApprovals(promotionId: string, users: string[]) {
      for (const user of users) {
        await knex('release_approvals').insert({
          promotion_id: promotionId,
          user_ref: user,
          decision: 'approve',
          artifact: 'registry.example.com/app@sha256:1',
          invalidated: false,
          decided_at: NOW,
          decision_key: `${promotionId}#${user}`,
        });
      }
    }

    async function validApprovals(promotionId: string) {
      return knex('release_approvals')
        .where({ promotion_id: promotionId, invalidated: false })
        .select('user_ref', 'decision_key');
    }

    describe('transitionPromotion', () => {
      it.each(LEGAL)(
        '%s → %s succeeds and writes exactly one ledger row promotion.<to>',
        async (from, to) => {
          const p = await seed(from);
          const ledgerBefore = await ledgerOf(p.id);
          const { committed } = await run(tx =>
            transitionPromotion(
              tx,
              p,
              { to, actor: ACTOR, reason: 'because' },
              NOW,
            ),
          );

          const row = await rowOf(p.id);
          expect(row.status).toBe(to);
          // The columns that follow from the status.
          const open = OPEN.includes(to);
          expect(row.open_key).toBe(
            open ? `${ENTITY}#${p.phase}#${p.version}` : null,
          );
          expect(row.active_key).toBe(
            to === 'queued' || to === 'deploying'
              ? `${ENTITY}#${p.phase}`
              : null,
          );
          expect(row.finished_at === null).toBe(open);

          const ledger = await ledgerOf(p.id);
          expect(ledger).toHaveLength(ledgerBefore.length + 1);
          const entry = ledger[ledger.length - 1];
          expect(entry).toMatchObject({
            action: `promotion.${to}`,
            actor: ACTOR,
            entity_ref: ENTITY,
            phase: p.phase,
            version: p.version,
            reason: 'because',
          });
          expect(JSON.parse(entry.before)).toEqual({ status: from });
          expect(JSON.parse(entry.after)).toEqual({ status: to });
          // Handed to the lifecycle listeners once, after commit.
          expect(committed).toHaveLength(1);
          expect(committed[0]).toEqual([
            expect.objectContaining({
              action: `promotion.${to}`,
              promotionId: p.id,
              before: { status: from },
              after: { status: to },
            }),
          ]);
        },
      );

      it.each(ILLEGAL)(
        '%s → %s is a ConflictError that changes nothing',
        async (from, to) => {
          const p = await seed(from);
          const rowBefore = await rowOf(p.id);
          const ledgerBefore = await ledgerOf(p.id);
          const { error, committed } = await runAndFail(tx =>
            transitionPromotion(tx, p, { to, actor: ACTOR }, NOW),
          );
          expect(error).toBeInstanceOf(ConflictError);
          expect(await rowOf(p.id)).toEqual(rowBefore);
          expect(await ledgerOf(p.id)).toEqual(ledgerBefore);
          expect(committed).toEqual([]);
        },
      );

      it('a stale compare-and-set (the status changed meanwhile) is a ConflictError that changes nothing', async () => {
        const p = await seed('queued');
        // Meanwhile another replica moved it on.
        await run(tx =>
          transitionPromotion(tx, p, { to: 'deploying', actor: ACTOR }, NOW),
        );
        const rowBefore = await rowOf(p.id);
        const ledgerBefore = await ledgerOf(p.id);

        // Cancelling a queued promotion is legal — but it is not queued now.
        const { error, committed } = await runAndFail(tx =>
          transitionPromotion(tx, p, { to: 'cancelled', actor: ACTOR }, NOW),
        );
        expect(error).toBeInstanceOf(ConflictError);
        expect((error as Error).message).toMatch(/no longer queued/);
        expect(await rowOf(p.id)).toEqual(rowBefore);
        expect(await ledgerOf(p.id)).toEqual(ledgerBefore);
        expect(committed).toEqual([]);
      });

      it('a transition conditioned on a lease it does not hold is a ConflictError that changes nothing', async () => {
        const p = await seed('queued');
        await knex('release_promotions')
          .where({ id: p.id })
          .update({ lease_owner: 'dispatcher-a' });
        const rowBefore = await rowOf(p.id);
        const { error } = await runAndFail(tx =>
          transitionPromotion(
            tx,
            p,
            {
              to: 'deploying',
              actor: 'system:dispatcher',
              where: { lease_owner: 'dispatcher-b' },
              set: { external_id: 'ext-1' },
            },
            NOW,
          ),
        );
        expect(error).toBeInstanceOf(ConflictError);
        expect(await rowOf(p.id)).toEqual(rowBefore);
        expect(await ledgerOf(p.id)).toHaveLength(1); // the import only

        // With the lease it holds, the same change goes through, setting
        // the extra columns in the same conditional update.
        await run(tx =>
          transitionPromotion(
            tx,
            p,
            {
              to: 'deploying',
              actor: 'system:dispatcher',
              where: { lease_owner: 'dispatcher-a' },
              set: { external_id: 'ext-1' },
              after: { externalId: 'ext-1' },
            },
            NOW,
          ),
        );
        expect(await rowOf(p.id)).toMatchObject({
          status: 'deploying',
          external_id: 'ext-1',
        });
        const ledger = await ledgerOf(p.id);
        expect(JSON.parse(ledger[ledger.length - 1].after)).toEqual({
          status: 'deploying',
          externalId: 'ext-1',
        });
      });

      it('a final status clears the lease and records when it finished', async () => {
        const p = await seed('deploying');
        await knex('release_promotions')
          .where({ id: p.id })
          .update({
            lease_owner: 'dispatcher-a',
            lease_expires_at: new Date(NOW.getTime() + 60_000),
          });
        await run(tx =>
          transitionPromotion(tx, p, { to: 'failed', actor: ACTOR }, NOW),
        );
        const row = await rowOf(p.id);
        expect(row).toMatchObject({
          status: 'failed',
          lease_owner: null,
          lease_expires_at: null,
          active_key: null,
          open_key: null,
        });
        expect(new Date(row.finished_at).toISOString()).toBe(NOW.toISOString());
      });
    });

    describe('voidApprovals', () => {
      it('voids the approvals of an approved promotion and sends it back to pending_approval when approvals are required', async () => {
        const p = await seed('approved');
        await addApprovals(p.id, ['user:default/bob', 'user:default/carol']);
        const { result, committed } = await run(tx =>
          voidApprovals(
            tx,
            p,
            {
              actor: 'user:default/lead',
              reason: 'The phase configuration changed',
              approvalsRequired: true,
              set: { config_version: 7 },
              before: { configVersion: 6 },
              after: { configVersion: 7 },
            },
            NOW,
          ),
        );
        expect(result).toEqual({ status: 'pending_approval', invalidated: 2 });
        expect(await validApprovals(p.id)).toEqual([]);
        const voided = await knex('release_approvals').where({
          promotion_id: p.id,
        });
        expect(voided.map(a => [a.invalidated, a.decision_key])).toEqual([
          [expect.anything(), null],
          [expect.anything(), null],
        ]);
        expect(voided.every(a => Boolean(a.invalidated))).toBe(true);
        expect(await rowOf(p.id)).toMatchObject({
          status: 'pending_approval',
          config_version: 7,
          active_key: null,
          open_key: `${ENTITY}#${p.phase}#1.0.0`,
        });
        const ledger = await ledgerOf(p.id);
        expect(ledger).toHaveLength(2);
        expect(ledger[1]).toMatchObject({
          action: 'promotion.config_changed',
          actor: 'user:default/lead',
          reason: 'The phase configuration changed',
        });
        expect(JSON.parse(ledger[1].before)).toEqual({
          status: 'approved',
          configVersion: 6,
        });
        expect(JSON.parse(ledger[1].after)).toEqual({
          status: 'pending_approval',
          approvalsInvalidated: 2,
          configVersion: 7,
        });
        expect(committed).toHaveLength(1);
        expect(committed[0].map(e => e.action)).toEqual([
          'promotion.config_changed',
        ]);
      });

      it('keeps an approved promotion approved when no approvals are required, still voiding what was recorded', async () => {
        const p = await seed('approved');
        await addApprovals(p.id, ['user:default/bob']);
        const { result } = await run(tx =>
          voidApprovals(
            tx,
            p,
            { actor: ACTOR, reason: 'changed', approvalsRequired: false },
            NOW,
          ),
        );
        expect(result).toEqual({ status: 'approved', invalidated: 1 });
        expect(await validApprovals(p.id)).toEqual([]);
        expect((await rowOf(p.id)).status).toBe('approved');
        const ledger = await ledgerOf(p.id);
        expect(ledger.map(e => e.action)).toEqual([
          'promotion.import',
          'promotion.config_changed',
        ]);
        expect(JSON.parse(ledger[1].after)).toMatchObject({
          status: 'approved',
          approvalsInvalidated: 1,
        });
      });

      it('keeps a pending promotion pending', async () => {
        const p = await seed('pending_approval');
        await addApprovals(p.id, ['user:default/bob']);
        const { result } = await run(tx =>
          voidApprovals(
            tx,
            p,
            { actor: ACTOR, reason: 'changed', approvalsRequired: true },
            NOW,
          ),
        );
        expect(result).toEqual({ status: 'pending_approval', invalidated: 1 });
        expect((await rowOf(p.id)).status).toBe('pending_approval');
        expect((await ledgerOf(p.id)).map(e => e.action)).toEqual([
          'promotion.import',
          'promotion.config_changed',
        ]);
      });

      it.each(
        PROMOTION_STATUSES.filter(
          s => s !== 'pending_approval' && s !== 'approved',
        ),
      )(
        'refuses a %s promotion with a ConflictError that changes nothing',
        async status => {
          const p = await seed(status);
          await addApprovals(p.id, ['user:default/bob']);
          const rowBefore = await rowOf(p.id);
          const { error, committed } = await runAndFail(tx =>
            voidApprovals(
              tx,
              p,
              { actor: ACTOR, reason: 'changed', approvalsRequired: true },
              NOW,
            ),
          );
          expect(error).toBeInstanceOf(ConflictError);
          expect(await rowOf(p.id)).toEqual(rowBefore);
          expect(await validApprovals(p.id)).toHaveLength(1);
          expect(await ledgerOf(p.id)).toHaveLength(1);
          expect(committed).toEqual([]);
        },
      );

      it('a stale status (queued meanwhile) is a ConflictError; the approvals stay valid', async () => {
        const p = await seed('approved');
        await addApprovals(p.id, ['user:default/bob']);
        await run(tx =>
          transitionPromotion(tx, p, { to: 'queued', actor: ACTOR }, NOW),
        );
        const rowBefore = await rowOf(p.id);
        const { error, committed } = await runAndFail(tx =>
          voidApprovals(
            tx,
            p, // still says approved
            { actor: ACTOR, reason: 'changed', approvalsRequired: true },
            NOW,
          ),
        );
        expect(error).toBeInstanceOf(ConflictError);
        expect(await rowOf(p.id)).toEqual(rowBefore);
        expect(await validApprovals(p.id)).toHaveLength(1);
        expect((await ledgerOf(p.id)).map(e => e.action)).toEqual([
          'promotion.import',
          'promotion.queued',
        ]);
        expect(committed).toEqual([]);
      });
    });

    describe('insertPromotion', () => {
      it.each([
        ['promotion.request', 'pending_approval'],
        ['promotion.request', 'approved'],
        ['rollback.request', 'pending_approval'],
        ['rollback.request', 'approved'],
      ] as const)(
        '%s may start %s, with its ledger row',
        async (action, status) => {
          const s = newSubject(status);
          const { committed } = await run(tx =>
            insertPromotion(
              tx,
              { ...insertion(s, action), reason: 'please' },
              NOW,
            ),
          );
          expect(await rowOf(s.id)).toMatchObject({
            status,
            requested_by: ACTOR,
            open_key: `${ENTITY}#${s.phase}#1.0.0`,
            active_key: null,
            finished_at: null,
          });
          const ledger = await ledgerOf(s.id);
          expect(ledger).toHaveLength(1);
          expect(ledger[0]).toMatchObject({ action, reason: 'please' });
          expect(ledger[0].before).toBeNull();
          expect(JSON.parse(ledger[0].after)).toEqual({ status });
          expect(committed.flat().map(e => e.action)).toEqual([action]);
        },
      );

      it.each(
        (['promotion.request', 'rollback.request'] as const).flatMap(action =>
          PROMOTION_STATUSES.filter(
            s => s !== 'pending_approval' && s !== 'approved',
          ).map(status => [action, status] as const),
        ),
      )(
        '%s refuses a first status %s with a ConflictError; nothing is written',
        async (action, status) => {
          const s = newSubject(status);
          const { error, committed } = await runAndFail(tx =>
            insertPromotion(tx, insertion(s, action), NOW),
          );
          expect(error).toBeInstanceOf(ConflictError);
          expect(await rowOf(s.id)).toBeUndefined();
          expect(await ledgerOf(s.id)).toEqual([]);
          expect(committed).toEqual([]);
        },
      );

      it.each(PROMOTION_STATUSES)(
        'an import of past history may start %s',
        async status => {
          const s = newSubject(status);
          await run(tx => insertPromotion(tx, insertion(s), NOW));
          const row = await rowOf(s.id);
          expect(row.status).toBe(status);
          expect(row.finished_at === null).toBe(OPEN.includes(status));
          expect((await ledgerOf(s.id)).map(e => e.action)).toEqual([
            'promotion.import',
          ]);
        },
      );
    });
  });

  it('statusColumns: the uniqueness keys and the end follow from the status', () => {
    const p = { entityRef: ENTITY, phase: 'dev', version: '1.0.0' };
    for (const status of PROMOTION_STATUSES) {
      const open = OPEN.includes(status);
      expect(statusColumns(p, status, NOW)).toEqual({
        status,
        active_key:
          status === 'queued' || status === 'deploying'
            ? `${ENTITY}#dev`
            : null,
        open_key: open ? `${ENTITY}#dev#1.0.0` : null,
        updated_at: NOW,
        // A final status ends the promotion and frees its lease.
        ...(open
          ? {}
          : { finished_at: NOW, lease_owner: null, lease_expires_at: null }),
      });
    }
  });
});
