import { PromotionStatus } from './types';

/**
 * Every action the release history ledger records. The ledger is the one
 * source of lifecycle events: each row is written in the transaction of the
 * change it records, and its action says exactly what happened.
 *
 * - `release.create`: a release was recorded.
 * - `promotion.request`, `rollback.request`: a promotion was requested.
 * - `promotion.import`: past history imported (seeding); no lifecycle event.
 * - `approval.approve`, `approval.reject`: one approver's decision.
 * - `promotion.<status>`: the promotion moved to that status (see
 *   {@link promotionStatusAction}).
 * - `promotion.config_changed`: the phase configuration (or the deployed
 *   state the promotion is compared with) changed before deployment; its
 *   approvals were voided and it was bound to the new configuration.
 * - `promotion.override`: a freeze window or lock was overridden, with a reason.
 * - `promotion.schedule`: the time a scheduled promotion deploys at changed.
 * - `phase.lock`, `phase.unlock`: a phase lock was set or lifted.
 * - `config.change`, `config.restore`: a new version of a phase configuration.
 * @public
 */
export type ReleaseLedgerAction =
  | 'release.create'
  | 'release.plan'
  | 'promotion.request'
  | 'rollback.request'
  | 'promotion.import'
  | 'approval.approve'
  | 'approval.reject'
  | 'promotion.pending_approval'
  | 'promotion.approved'
  | 'promotion.rejected'
  | 'promotion.cancelled'
  | 'promotion.superseded'
  | 'promotion.queued'
  | 'promotion.deploying'
  | 'promotion.succeeded'
  | 'promotion.failed'
  | 'promotion.config_changed'
  | 'promotion.override'
  | 'promotion.schedule'
  | 'phase.lock'
  | 'phase.unlock'
  | 'config.change'
  | 'config.restore';

/** The ledger action of a promotion reaching `status`. @public */
export function promotionStatusAction(
  status: PromotionStatus,
): ReleaseLedgerAction {
  return `promotion.${status}` as ReleaseLedgerAction;
}

/**
 * The status a `promotion.<status>` ledger action records, or undefined for
 * every other action.
 * @public
 */
export function statusOfLedgerAction(
  action: string,
): PromotionStatus | undefined {
  const m = /^promotion\.([a-z_]+)$/.exec(action);
  const statuses: readonly string[] = [
    'pending_approval',
    'approved',
    'rejected',
    'cancelled',
    'superseded',
    'queued',
    'deploying',
    'succeeded',
    'failed',
  ];
  return m && statuses.includes(m[1]) ? (m[1] as PromotionStatus) : undefined;
}
