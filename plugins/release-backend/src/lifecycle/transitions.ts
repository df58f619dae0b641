import { ConflictError } from '@backstage/errors';
import {
  canTransition,
  isActiveStatus,
  OPEN_PROMOTION_STATUSES,
  PromotionStatus,
  promotionStatusAction,
  ReleaseLedgerAction,
} from '@release-manager/backstage-plugin-release-common';
import { Knex } from 'knex';
import { insertHistory } from '../database/rows';

/*
 * The one place where a promotion's status is written.
 *
 * Every status change of every path (request, decide, void approvals, queue,
 * dispatch, deploying, succeeded, failed, cancelled, superseded, deadline,
 * recovery, import of past history) calls one of the functions below inside
 * the caller's transaction. Each checks release-common's state machine, does
 * a compare-and-set on the current status, and appends the ledger row with
 * a typed action. The lifecycle event of the change is derived from that
 * ledger row and published once the transaction has committed (see
 * LifecycleHub), so a change, its history and its event never disagree.
 */

/** The promotion as a transition needs to know it. */
export interface TransitionSubject {
  id: string;
  entityRef: string;
  phase: string;
  version: string;
  status: PromotionStatus;
}

/** One status change. */
export interface PromotionTransition {
  to: PromotionStatus;
  actor: string;
  /** The comment, reason or provider message that came with the change. */
  reason?: string;
  /** More columns to set in the same conditional update. */
  set?: Record<string, unknown>;
  /** More conditions on the row (e.g. the dispatcher's lease). */
  where?: Record<string, unknown>;
  /** More fields of the ledger row's `after`. */
  after?: Record<string, unknown>;
  /** The ledger action (default `promotion.<to>`). */
  action?: ReleaseLedgerAction;
}

const activeKey = (entityRef: string, phase: string) => `${entityRef}#${phase}`;
const openKey = (entityRef: string, phase: string, version: string) =>
  `${entityRef}#${phase}#${version}`;

/**
 * The columns that follow from a status: the keys of the database's
 * uniqueness rules (one queued|deploying promotion per phase, one open
 * promotion per release and phase) and the end of a finished promotion.
 */
export function statusColumns(
  p: { entityRef: string; phase: string; version: string },
  status: PromotionStatus,
  now: Date,
) {
  const open = OPEN_PROMOTION_STATUSES.includes(status);
  return {
    status,
    active_key: isActiveStatus(status) ? activeKey(p.entityRef, p.phase) : null,
    open_key: open ? openKey(p.entityRef, p.phase, p.version) : null,
    updated_at: now,
    ...(open
      ? {}
      : { finished_at: now, lease_owner: null, lease_expires_at: null }),
  };
}

/**
 * Moves a promotion from its current status to `t.to`: checked against the
 * state machine, a compare-and-set on the status (and `t.where`), and the
 * ledger row, all in `tx`. A stale or illegal transition is a 409 and
 * changes nothing.
 */
export async function transitionPromotion(
  tx: Knex.Transaction,
  p: TransitionSubject,
  t: PromotionTransition,
  now: Date,
): Promise<void> {
  if (!canTransition(p.status, t.to)) {
    throw new ConflictError(
      `Promotion ${p.id} is ${p.status} and cannot become ${t.to}`,
    );
  }
  const updated = await tx('release_promotions')
    .where({ ...t.where, id: p.id, status: p.status })
    .update({ ...t.set, ...statusColumns(p, t.to, now) });
  if (updated !== 1) {
    throw new ConflictError(
      `Promotion ${p.id} is no longer ${p.status}; it changed meanwhile`,
    );
  }
  await insertHistory(tx, {
    entityRef: p.entityRef,
    phase: p.phase,
    version: p.version,
    promotionId: p.id,
    action: t.action ?? promotionStatusAction(t.to),
    actor: t.actor,
    before: { status: p.status },
    after: { status: t.to, ...t.after },
    reason: t.reason,
  });
}

/** A new promotion row, in its first status. */
export interface PromotionInsert {
  id: string;
  entityRef: string;
  phase: string;
  version: string;
  releaseId: string | number;
  status: PromotionStatus;
  actor: string;
  action: Extract<
    ReleaseLedgerAction,
    'promotion.request' | 'rollback.request' | 'promotion.import'
  >;
  /** The other columns of the row. */
  columns: Record<string, unknown>;
  after?: Record<string, unknown>;
  reason?: string;
  /** When the promotion ended (imports of finished history). */
  finishedAt?: Date;
}

/**
 * Records a new promotion in its first status (a request starts
 * `pending_approval` or `approved`; an import of past history may start in
 * any status), with its ledger row.
 */
export async function insertPromotion(
  tx: Knex.Transaction,
  p: PromotionInsert,
  now: Date,
): Promise<Record<string, unknown>> {
  if (
    p.action !== 'promotion.import' &&
    p.status !== 'pending_approval' &&
    p.status !== 'approved'
  ) {
    throw new ConflictError(
      `A new promotion starts pending_approval or approved, not ${p.status}`,
    );
  }
  const columns = statusColumns(p, p.status, p.finishedAt ?? now);
  const [row] = await tx('release_promotions')
    .insert({
      ...p.columns,
      id: p.id,
      entity_ref: p.entityRef,
      phase: p.phase,
      release_id: p.releaseId,
      version: p.version,
      requested_by: p.actor,
      ...columns,
    })
    .returning('*');
  await insertHistory(tx, {
    entityRef: p.entityRef,
    phase: p.phase,
    version: p.version,
    promotionId: p.id,
    action: p.action,
    actor: p.actor,
    after: { status: p.status, ...p.after },
    reason: p.reason,
  });
  return row;
}

/**
 * Voids the approvals of an open promotion that has not been queued, and
 * binds it to new facts (`set`: the new configuration version, hash and
 * snapshot): an approved promotion that needs approvals goes back to
 * `pending_approval` through the state machine; a pending one stays. One
 * ledger row `promotion.config_changed` says what happened.
 */
export async function voidApprovals(
  tx: Knex.Transaction,
  p: TransitionSubject,
  options: {
    actor: string;
    reason: string;
    approvalsRequired: boolean;
    set?: Record<string, unknown>;
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
  },
  now: Date,
): Promise<{ status: PromotionStatus; invalidated: number }> {
  if (p.status !== 'pending_approval' && p.status !== 'approved') {
    throw new ConflictError(
      `Promotion ${p.id} is ${p.status}; only a promotion waiting to be queued can be re-bound`,
    );
  }
  const invalidated = await tx('release_approvals')
    .where({ promotion_id: p.id, invalidated: false })
    .update({ invalidated: true, decision_key: null });
  const back = p.status === 'approved' && options.approvalsRequired;
  const to: PromotionStatus = back ? 'pending_approval' : p.status;
  if (back && !canTransition(p.status, to)) {
    throw new ConflictError(`Promotion ${p.id} cannot become ${to}`);
  }
  const updated = await tx('release_promotions')
    .where({ id: p.id, status: p.status })
    .update({
      ...options.set,
      ...(back ? statusColumns(p, to, now) : { updated_at: now }),
    });
  if (updated !== 1) {
    throw new ConflictError(
      `Promotion ${p.id} is no longer ${p.status}; it changed meanwhile`,
    );
  }
  await insertHistory(tx, {
    entityRef: p.entityRef,
    phase: p.phase,
    version: p.version,
    promotionId: p.id,
    action: 'promotion.config_changed',
    actor: options.actor,
    before: { status: p.status, ...options.before },
    after: {
      status: to,
      approvalsInvalidated: invalidated,
      ...options.after,
    },
    reason: options.reason,
  });
  return { status: to, invalidated };
}
