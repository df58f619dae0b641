import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  isActiveStatus,
  OPEN_PROMOTION_STATUSES,
  isApprovalValid,
  OverridableGate,
  OVERRIDABLE_GATES,
  PhaseCurrentRelease,
  PhaseLock,
  PromotionStatus,
  WAITING_PROMOTION_STATUSES,
  RecordedDecision,
} from '@release-manager/backstage-plugin-release-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { EntityReadCache } from '../cache/EntityReadCache';
import {
  InTransactionCheck,
  NewPromotion,
  PhaseSnapshot,
  PromotionStore,
  StoredApproval,
  StoredPromotion,
} from './PromotionStore';
import { LedgerCommitListener } from './ReleaseStore';
import { insertPromotion, transitionPromotion } from '../lifecycle/transitions';
import {
  DbTime,
  inTransaction,
  insertHistory,
  isUniqueViolation,
  PromotionRow,
  rowToPromotion,
  toIso,
  toIsoOrUndefined,
} from './rows';

type ApprovalRow = {
  promotion_id: string;
  user_ref: string;
  decision: 'approve' | 'reject';
  comment: string | null;
  artifact: string;
  config_hash: string | null;
  invalidated: boolean | number;
  target_promotion_id?: string | null;
  decided_at: DbTime;
};

type LockRow = {
  entity_ref: string;
  phase: string;
  reason: string;
  locked_by: string;
  locked_at: DbTime;
};

/** Maps a promotion row to the engine's view of it. */
export function rowToStoredPromotion(row: PromotionRow): StoredPromotion {
  return {
    ...rowToPromotion(row),
    releaseId: String(row.release_id),
    kind: row.kind,
    configVersion: row.config_version ?? undefined,
    configHash: row.config_hash ?? undefined,
    overrideReason: row.override_reason ?? undefined,
    overrideGates: row.override_gates
      ? JSON.parse(row.override_gates)
      : undefined,
    secretCiphertexts: row.secret_ciphertexts
      ? JSON.parse(row.secret_ciphertexts)
      : undefined,
    skippedRequires: Boolean(row.skipped_requires),
    externalId: row.external_id ?? undefined,
    snapshot: row.snapshot ? JSON.parse(row.snapshot) : undefined,
    attempts: Number(row.attempts ?? 0),
    progress: row.progress ? JSON.parse(row.progress) : [],
    nextAttemptAt: toIsoOrUndefined(row.next_attempt_at),
    deadlineAt: toIsoOrUndefined(row.deadline_at),
    verifyUntil: toIsoOrUndefined(row.verify_until ?? null),
  };
}

function rowToApproval(row: ApprovalRow): StoredApproval {
  return {
    promotionId: row.promotion_id,
    userRef: row.user_ref,
    decision: row.decision,
    comment: row.comment ?? undefined,
    artifact: row.artifact,
    configHash: row.config_hash ?? undefined,
    targetPromotionId: row.target_promotion_id ?? undefined,
    invalidated: Boolean(row.invalidated),
    decidedAt: toIso(row.decided_at),
  };
}

function rowToLock(row: LockRow): PhaseLock {
  return {
    reason: row.reason,
    lockedBy: row.locked_by,
    lockedAt: toIso(row.locked_at),
  };
}

const activeKey = (entityRef: string, phase: string) => `${entityRef}#${phase}`;

/** The knex implementation of {@link PromotionStore}. @public */
export class DatabasePromotionStore implements PromotionStore {
  constructor(
    private readonly db: Knex,
    private readonly clock: () => Date = () => new Date(),
    /** Told of the ledger rows of every committed change. */
    private readonly onCommit?: LedgerCommitListener,
    /**
     * Where {@link DatabasePromotionStore.readPhaseSnapshot} is kept while
     * the entity does not change (given only while a change feed is on).
     */
    private readonly cache?: EntityReadCache,
  ) {}

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  /**
   * Serialises writers of one phase across backend replicas (PostgreSQL
   * advisory lock for the transaction). SQLite serialises transactions itself.
   */
  private async serialize(
    tx: Knex.Transaction,
    entityRef: string,
    phase: string,
  ) {
    if (this.isPostgres) {
      await tx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
        activeKey(entityRef, phase),
      ]);
    }
  }

  /**
   * The committed lock, current version and open promotions of a phase in
   * one statement (one row per open promotion, or one row without any), for
   * the fail-fast answer to a request before it queues for the phase.
   */
  async readPhaseSnapshot(
    entityRef: string,
    phase: string,
  ): Promise<PhaseSnapshot> {
    // Kept with the entity's other reads: under a burst of identical
    // requests, the losers are answered without a statement each. It only
    // ever refuses early; the decision is made again under the phase's lock.
    return this.cache
      ? this.cache.read(entityRef, `phase-snapshot:${phase}`, () =>
          this.readCommittedSnapshot(entityRef, phase),
        )
      : this.readCommittedSnapshot(entityRef, phase);
  }

  private async readCommittedSnapshot(
    entityRef: string,
    phase: string,
  ): Promise<PhaseSnapshot> {
    const db = this.db;
    const rows: Array<
      PromotionRow & {
        lock_reason: string | null;
        lock_locked_by: string | null;
        lock_locked_at: string | Date | null;
        current_version: string | null;
      }
    > = await db
      .select(
        'l.reason as lock_reason',
        'l.locked_by as lock_locked_by',
        'l.locked_at as lock_locked_at',
        's.version as current_version',
        'p.*',
      )
      .from(db.raw('(select 1 as one) as one'))
      .leftJoin('release_phase_locks as l', j =>
        j.onVal('l.entity_ref', entityRef).andOnVal('l.phase', phase),
      )
      .leftJoin('release_phase_state as s', j =>
        j.onVal('s.entity_ref', entityRef).andOnVal('s.phase', phase),
      )
      .leftJoin('release_promotions as p', j =>
        j
          .onVal('p.entity_ref', entityRef)
          .andOnVal('p.phase', phase)
          .andOnIn('p.status', OPEN_PROMOTION_STATUSES as PromotionStatus[]),
      )
      .orderBy([
        { column: 'p.requested_at', order: 'asc' },
        { column: 'p.id', order: 'asc' },
      ]);
    const first = rows[0];
    return {
      lock:
        first?.lock_locked_by !== null && first?.lock_locked_by !== undefined
          ? rowToLock({
              reason: first.lock_reason,
              locked_by: first.lock_locked_by,
              locked_at: first.lock_locked_at,
            } as LockRow)
          : undefined,
      currentVersion: first?.current_version ?? undefined,
      open: rows
        .filter(r => r.id !== null && r.id !== undefined)
        .map(rowToStoredPromotion),
    };
  }

  private async readSnapshot(
    tx: Knex | Knex.Transaction,
    entityRef: string,
    phase: string,
  ): Promise<PhaseSnapshot> {
    // Sequential: one connection serves the whole transaction.
    const lock = await tx<LockRow>('release_phase_locks')
      .where({ entity_ref: entityRef, phase })
      .first();
    const current = await tx('release_phase_state')
      .where({ entity_ref: entityRef, phase })
      .first();
    const open = await tx<PromotionRow>('release_promotions')
      .where({ entity_ref: entityRef, phase })
      .whereIn('status', OPEN_PROMOTION_STATUSES as PromotionStatus[])
      .orderBy('requested_at', 'asc');
    return {
      lock: lock ? rowToLock(lock) : undefined,
      currentVersion: current?.version,
      open: open.map(rowToStoredPromotion),
    };
  }

  private async setStatus(
    tx: Knex.Transaction,
    p: StoredPromotion,
    to: PromotionStatus,
    actor: string,
    reason?: string,
    extra?: { set?: Record<string, unknown>; after?: Record<string, unknown> },
  ): Promise<void> {
    await transitionPromotion(
      tx,
      p,
      { to, actor, reason, set: extra?.set, after: extra?.after },
      this.clock(),
    );
  }

  async createPromotion(
    request: NewPromotion,
    decide: (snapshot: PhaseSnapshot) => string[] | Promise<string[]>,
  ): Promise<{ promotion: StoredPromotion; replayed: boolean }> {
    const replay = async (db: Knex | Knex.Transaction) => {
      if (!request.idempotencyKey) {
        return undefined;
      }
      const row: PromotionRow | undefined = await db('release_promotions')
        .where({
          requested_by: request.requestedBy,
          idempotency_key: request.idempotencyKey,
        })
        .first();
      return row ? rowToStoredPromotion(row) : undefined;
    };
    const first = await replay(this.db);
    if (first) {
      return { promotion: first, replayed: true };
    }
    try {
      return await inTransaction(this.db, this.onCommit, async tx => {
        await this.serialize(tx, request.entityRef, request.phase);
        // Serialised with other writers of the phase: a concurrent request
        // with the same key has committed by now.
        const replayed = await replay(tx);
        if (replayed) {
          return { promotion: replayed, replayed: true };
        }
        const snapshot = await this.readSnapshot(
          tx,
          request.entityRef,
          request.phase,
        );
        const supersede = await decide(snapshot);
        for (const id of supersede) {
          const old = snapshot.open.find(o => o.id === id);
          if (old && old.status !== 'deploying') {
            await this.setStatus(
              tx,
              old,
              'superseded',
              request.requestedBy,
              `superseded by ${request.release.version}`,
            );
          }
        }
        const now = this.clock();
        const id = randomUUID();
        const row = (await insertPromotion(
          tx,
          {
            id,
            entityRef: request.entityRef,
            phase: request.phase,
            version: request.release.version,
            releaseId: request.release.id,
            status: request.status,
            actor: request.requestedBy,
            action:
              request.kind === 'rollback'
                ? 'rollback.request'
                : 'promotion.request',
            columns: {
              kind: request.kind,
              requested_at: now,
              comment: request.comment ?? null,
              idempotency_key: request.idempotencyKey ?? null,
              config_version: request.configVersion ?? null,
              config_hash: request.configHash ?? null,
              override_reason: request.overrideReason ?? null,
              override_gates: request.overrideReason
                ? JSON.stringify(request.overrideGates ?? OVERRIDABLE_GATES)
                : null,
              skipped_requires: request.skippedRequires,
              snapshot: JSON.stringify(request.snapshot),
              scheduled_at: request.scheduledAt ?? null,
              train_id: request.trainId ?? null,
              secret_ciphertexts: request.secretCiphertexts
                ? JSON.stringify(request.secretCiphertexts)
                : null,
            },
            after: {
              artifact: request.release.artifact,
              configVersion: request.configVersion,
              configHash: request.configHash,
              skippedRequires: request.skippedRequires || undefined,
              override: request.overrideReason
                ? request.overrideGates ?? OVERRIDABLE_GATES
                : undefined,
              scheduledAt: request.scheduledAt?.toISOString(),
              trainId: request.trainId,
            },
            reason: request.comment,
          },
          now,
        )) as PromotionRow;
        return { promotion: rowToStoredPromotion(row), replayed: false };
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const again = await replay(this.db);
        if (again) {
          return { promotion: again, replayed: true };
        }
        throw new ConflictError(
          `A promotion of ${request.release.version} into '${request.phase}' is already open`,
        );
      }
      throw e;
    }
  }

  async getPromotion(id: string): Promise<StoredPromotion | undefined> {
    const row = await this.db<PromotionRow>('release_promotions')
      .where('id', id)
      .first();
    return row ? rowToStoredPromotion(row) : undefined;
  }

  async listPromotions(options: {
    entityRef?: string;
    phase?: string;
    status?: PromotionStatus[];
    limit: number;
    beforeRequestedAt?: string;
  }): Promise<StoredPromotion[]> {
    const query = this.db<PromotionRow>('release_promotions')
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.entityRef) query.where('entity_ref', options.entityRef);
    if (options.phase) query.where('phase', options.phase);
    if (options.status?.length) query.whereIn('status', options.status);
    if (options.beforeRequestedAt) {
      query.where('requested_at', '<', new Date(options.beforeRequestedAt));
    }
    return (await query).map(rowToStoredPromotion);
  }

  async listAutoPromotionCandidates(options: {
    phase: string;
    nextPhase: string;
    from: Date;
    to: Date;
    limit: number;
  }): Promise<StoredPromotion[]> {
    const rows = await this.db<PromotionRow>('release_promotions as p')
      .select('p.*')
      .where('p.phase', options.phase)
      .where('p.status', 'succeeded')
      .where('p.finished_at', '>=', options.from)
      .where('p.finished_at', '<=', options.to)
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from('release_promotions as n')
          .whereRaw('n.release_id = p.release_id')
          .where('n.phase', options.nextPhase)
          .whereRaw('n.requested_at >= p.finished_at'),
      )
      .orderBy('p.finished_at', 'asc')
      .limit(options.limit);
    return rows.map(rowToStoredPromotion);
  }

  async listAwaitingDecision(options: {
    userRef: string;
    limit: number;
    after?: { requestedAt: string; id: string };
  }): Promise<StoredPromotion[]> {
    const query = this.db<PromotionRow>('release_promotions as p')
      .select('p.*')
      .where('p.status', 'pending_approval')
      // Members of a train are decided once, for the train.
      .whereNull('p.train_id')
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from('release_approvals as a')
          .whereRaw('a.promotion_id = p.id')
          .where('a.user_ref', options.userRef)
          .where('a.invalidated', false),
      )
      .orderBy('p.requested_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(options.limit);
    if (options.after) {
      const at = new Date(options.after.requestedAt);
      const id = options.after.id;
      query.where(q =>
        q
          .where('p.requested_at', '<', at)
          .orWhere(q2 =>
            q2.where('p.requested_at', '=', at).where('p.id', '<', id),
          ),
      );
    }
    return (await query).map(rowToStoredPromotion);
  }

  async listApprovals(promotionIds: string[]): Promise<StoredApproval[]> {
    if (!promotionIds.length) {
      return [];
    }
    const rows = await this.db<ApprovalRow>('release_approvals')
      .whereIn('promotion_id', promotionIds)
      .orderBy('decided_at', 'asc');
    return rows.map(rowToApproval);
  }

  async decide(options: {
    promotionId: string;
    userRef: string;
    decision: 'approve' | 'reject';
    comment?: string;
    override?: { reason: string; gates: OverridableGate[] };
    check: InTransactionCheck<{
      promotion: StoredPromotion;
      decisions: RecordedDecision[];
      phase: PhaseSnapshot;
    }>;
    approvedWhen: (decisions: RecordedDecision[]) => boolean;
  }): Promise<StoredPromotion> {
    const { promotionId, userRef, decision } = options;
    const head = await this.getPromotion(promotionId);
    if (!head) {
      throw new NotFoundError(`Promotion ${promotionId} does not exist`);
    }
    try {
      return await inTransaction(this.db, this.onCommit, async tx => {
        await this.serialize(tx, head.entityRef, head.phase);
        const row = await tx<PromotionRow>('release_promotions')
          .where('id', promotionId)
          .first();
        const promotion = rowToStoredPromotion(row!);
        const release = await tx('release_releases')
          .where('id', row!.release_id)
          .first();
        const approvals = await tx<ApprovalRow>('release_approvals').where(
          'promotion_id',
          promotionId,
        );
        const target = await tx('release_phase_state')
          .where({ entity_ref: head.entityRef, phase: head.phase })
          .first();
        const targetPromotionId: string = target?.promotion_id ?? '';
        const toDecision = (a: ApprovalRow): RecordedDecision => ({
          userRef: a.user_ref,
          decision: a.decision,
          valid: isApprovalValid(
            {
              invalidated: Boolean(a.invalidated),
              artifact: a.artifact,
              configHash: a.config_hash ?? undefined,
              targetPromotionId: a.target_promotion_id ?? undefined,
            },
            {
              artifact: release.artifact,
              configHash: row!.config_hash ?? undefined,
              targetPromotionId,
            },
          ),
        });
        const decisions = approvals.map(toDecision);
        const phase = await this.readSnapshot(tx, head.entityRef, head.phase);
        await options.check({ promotion, decisions, phase });

        // One decision per user per promotion, enforced by a unique index.
        await tx('release_approvals').insert({
          promotion_id: promotionId,
          user_ref: userRef,
          decision_key: `${promotionId}#${userRef}`,
          decision,
          comment: options.comment ?? null,
          artifact: release.artifact,
          config_hash: row!.config_hash,
          target_promotion_id: targetPromotionId,
          invalidated: false,
          decided_at: this.clock(),
        });
        if (options.override) {
          const gates = [
            ...new Set([
              ...(promotion.overrideGates ?? []),
              ...options.override.gates,
            ]),
          ];
          await tx('release_promotions')
            .where({ id: promotionId, status: promotion.status })
            .update({
              override_reason: options.override.reason,
              override_gates: JSON.stringify(gates),
            });
          promotion.overrideGates = gates;
          promotion.overrideReason = options.override.reason;
          await insertHistory(tx, {
            entityRef: promotion.entityRef,
            phase: promotion.phase,
            version: promotion.version,
            promotionId,
            action: 'promotion.override',
            actor: userRef,
            after: { gates: options.override.gates },
            reason: options.override.reason,
          });
        }
        await insertHistory(tx, {
          entityRef: promotion.entityRef,
          phase: promotion.phase,
          version: promotion.version,
          promotionId,
          action:
            decision === 'approve' ? 'approval.approve' : 'approval.reject',
          actor: userRef,
          after: { artifact: release.artifact, configHash: row!.config_hash },
          reason: options.comment,
        });

        const all = [...decisions, { userRef, decision, valid: true }];
        if (decision === 'reject') {
          await this.setStatus(
            tx,
            promotion,
            'rejected',
            userRef,
            options.comment,
          );
        } else if (
          promotion.status === 'pending_approval' &&
          options.approvedWhen(all)
        ) {
          await this.setStatus(tx, promotion, 'approved', userRef);
        }
        const after = await tx<PromotionRow>('release_promotions')
          .where('id', promotionId)
          .first();
        return rowToStoredPromotion(after!);
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `You have already decided on promotion ${promotionId}`,
        );
      }
      throw e;
    }
  }

  async reschedule(options: {
    promotionId: string;
    actor: string;
    scheduledAt: Date | null;
    check: InTransactionCheck<StoredPromotion>;
  }): Promise<StoredPromotion> {
    const head = await this.getPromotion(options.promotionId);
    if (!head) {
      throw new NotFoundError(
        `Promotion ${options.promotionId} does not exist`,
      );
    }
    return inTransaction(this.db, this.onCommit, async tx => {
      await this.serialize(tx, head.entityRef, head.phase);
      const row = await tx<PromotionRow>('release_promotions')
        .where('id', options.promotionId)
        .first();
      const promotion = rowToStoredPromotion(row!);
      await options.check(promotion);
      const updated = await tx('release_promotions')
        .where({ id: promotion.id, status: promotion.status })
        .update({
          scheduled_at: options.scheduledAt,
          updated_at: this.clock(),
        });
      if (updated !== 1) {
        throw new ConflictError(
          `Promotion ${promotion.id} changed meanwhile; try again`,
        );
      }
      await insertHistory(tx, {
        entityRef: promotion.entityRef,
        phase: promotion.phase,
        version: promotion.version,
        promotionId: promotion.id,
        action: 'promotion.schedule',
        actor: options.actor,
        before: { scheduledAt: promotion.scheduledAt },
        after: { scheduledAt: options.scheduledAt?.toISOString() },
      });
      const after = await tx<PromotionRow>('release_promotions')
        .where('id', promotion.id)
        .first();
      return rowToStoredPromotion(after!);
    });
  }

  async listDueScheduled(now: Date, limit: number) {
    const rows = await this.db<PromotionRow>('release_promotions')
      .whereIn('status', WAITING_PROMOTION_STATUSES as PromotionStatus[])
      .whereNotNull('scheduled_at')
      .where('scheduled_at', '<=', now)
      .orderBy('scheduled_at', 'asc')
      .limit(limit);
    return rows.map(rowToStoredPromotion);
  }

  async cancel(options: {
    promotionId: string;
    actor: string;
    comment?: string;
    check: InTransactionCheck<StoredPromotion>;
  }): Promise<StoredPromotion> {
    const head = await this.getPromotion(options.promotionId);
    if (!head) {
      throw new NotFoundError(
        `Promotion ${options.promotionId} does not exist`,
      );
    }
    return inTransaction(this.db, this.onCommit, async tx => {
      await this.serialize(tx, head.entityRef, head.phase);
      const row = await tx<PromotionRow>('release_promotions')
        .where('id', options.promotionId)
        .first();
      const promotion = rowToStoredPromotion(row!);
      await options.check(promotion);
      await this.setStatus(
        tx,
        promotion,
        'cancelled',
        options.actor,
        options.comment,
      );
      return { ...promotion, status: 'cancelled' as const };
    });
  }

  async advancePhase(options: {
    entityRef: string;
    phase: string;
    actor: string;
    mayQueue: (
      candidate: StoredPromotion,
      phase: PhaseSnapshot,
    ) => boolean | Promise<boolean>;
  }): Promise<StoredPromotion | undefined> {
    const { entityRef, phase, actor } = options;
    return inTransaction(this.db, this.onCommit, async tx => {
      await this.serialize(tx, entityRef, phase);
      const snapshot = await this.readSnapshot(tx, entityRef, phase);
      if (snapshot.open.some(p => isActiveStatus(p.status))) {
        return undefined;
      }
      // The most recent approved request wins; older approved ones are superseded.
      const approved = snapshot.open
        .filter(p => p.status === 'approved')
        .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
      const [candidate, ...older] = approved;
      if (!candidate) {
        return undefined;
      }
      for (const p of older) {
        await this.setStatus(
          tx,
          p,
          'superseded',
          actor,
          `superseded by ${candidate.version}`,
        );
      }
      if (!(await options.mayQueue(candidate, snapshot))) {
        return undefined;
      }
      await this.setStatus(tx, candidate, 'queued', actor);
      return { ...candidate, status: 'queued' as const };
    });
  }

  async lockPhase(options: {
    entityRef: string;
    phase: string;
    reason: string;
    actor: string;
  }): Promise<PhaseLock> {
    const { entityRef, phase, reason, actor } = options;
    return inTransaction(this.db, this.onCommit, async tx => {
      await this.serialize(tx, entityRef, phase);
      const existing = await tx<LockRow>('release_phase_locks')
        .where({ entity_ref: entityRef, phase })
        .first();
      if (existing) {
        throw new ConflictError(
          `Phase '${phase}' is already locked by ${existing.locked_by}: ${existing.reason}`,
        );
      }
      const lock = {
        reason,
        lockedBy: actor,
        lockedAt: this.clock().toISOString(),
      };
      await tx('release_phase_locks').insert({
        entity_ref: entityRef,
        phase,
        reason,
        locked_by: actor,
        locked_at: new Date(lock.lockedAt),
      });
      await insertHistory(tx, {
        entityRef,
        phase,
        action: 'phase.lock',
        actor,
        after: { locked: true },
        reason,
      });
      return lock;
    });
  }

  async unlockPhase(options: {
    entityRef: string;
    phase: string;
    actor: string;
    reason?: string;
  }): Promise<PhaseLock> {
    const { entityRef, phase, actor, reason } = options;
    return inTransaction(this.db, this.onCommit, async tx => {
      await this.serialize(tx, entityRef, phase);
      const existing = await tx<LockRow>('release_phase_locks')
        .where({ entity_ref: entityRef, phase })
        .first();
      if (!existing) {
        throw new ConflictError(`Phase '${phase}' is not locked`);
      }
      await tx('release_phase_locks')
        .where({ entity_ref: entityRef, phase })
        .delete();
      await insertHistory(tx, {
        entityRef,
        phase,
        action: 'phase.unlock',
        actor,
        before: {
          locked: true,
          reason: existing.reason,
          lockedBy: existing.locked_by,
        },
        after: { locked: false },
        reason,
      });
      return rowToLock(existing);
    });
  }

  async getLock(
    entityRef: string,
    phase: string,
  ): Promise<PhaseLock | undefined> {
    const row = await this.db<LockRow>('release_phase_locks')
      .where({ entity_ref: entityRef, phase })
      .first();
    return row ? rowToLock(row) : undefined;
  }

  async deployedBefore(
    entityRef: string,
    phase: string,
    at: string,
    exceptId: string,
  ): Promise<PhaseCurrentRelease | undefined> {
    const row = await this.db<PromotionRow>('release_promotions')
      .where({ entity_ref: entityRef, phase, status: 'succeeded' })
      .whereNot('id', exceptId)
      .where('finished_at', '<=', new Date(at))
      .orderBy('finished_at', 'desc')
      .first();
    return row
      ? {
          version: row.version,
          promotionId: String(row.id),
          deployedAt: toIso(row.finished_at!),
          deployedBy: row.requested_by,
        }
      : undefined;
  }

  async lastSuccessOfRelease(
    releaseId: string,
    phase: string,
  ): Promise<StoredPromotion | undefined> {
    const row = await this.db<PromotionRow>('release_promotions')
      .where({ release_id: releaseId, phase, status: 'succeeded' })
      .orderBy('finished_at', 'desc')
      .first();
    return row ? rowToStoredPromotion(row) : undefined;
  }

  async lastSuccessInPhase(
    releaseId: string,
    phase: string,
  ): Promise<Date | undefined> {
    const last = await this.lastSuccessOfRelease(releaseId, phase);
    return last?.finishedAt ? new Date(last.finishedAt) : undefined;
  }

  async successfulReleasesInPhase(
    entityRef: string,
    phase: string,
    limit: number,
  ): Promise<
    Array<{ releaseId: string; version: string; succeededAt: string }>
  > {
    const rows = await this.db<PromotionRow>('release_promotions')
      .where({ entity_ref: entityRef, phase, status: 'succeeded' })
      .orderBy('finished_at', 'desc')
      .limit(limit);
    return rows.map(r => ({
      releaseId: String(r.release_id),
      version: r.version,
      succeededAt: toIso(r.finished_at!),
    }));
  }
}
