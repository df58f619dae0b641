import {
  PromotionStatus,
  ReleaseLifecycleEvent,
  ReleaseLifecycleEventType,
  releasesPageLink,
  statusOfLedgerAction,
} from '@release-manager/backstage-plugin-release-common';
import { CommittedHistoryEntry } from '../database/ReleaseStore';

/** What an event needs of its promotion beyond the ledger row. */
export interface PromotionFacts {
  kind: 'promote' | 'rollback';
  requestedBy: string;
  trainId?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const status = (v: unknown) => str(v) as PromotionStatus | undefined;

/** Drops undefined fields, so payloads carry only what is known. */
function compact(event: ReleaseLifecycleEvent): ReleaseLifecycleEvent {
  return Object.fromEntries(
    Object.entries(event).filter(([, v]) => v !== undefined),
  ) as unknown as ReleaseLifecycleEvent;
}

/** Whether a ledger row needs its promotion's kind and requester looked up. */
export function needsPromotionFacts(entry: CommittedHistoryEntry): boolean {
  return (
    Boolean(entry.promotionId) &&
    entry.action !== 'promotion.request' &&
    entry.action !== 'rollback.request' &&
    entry.action !== 'promotion.import'
  );
}

/**
 * The public lifecycle event of one committed ledger row, or undefined for
 * rows that are no lifecycle change (imports of past history). Ledger rows
 * hold no secret values, and only named fields are copied from them.
 */
export function toLifecycleEvent(
  entry: CommittedHistoryEntry,
  promotion?: PromotionFacts,
): ReleaseLifecycleEvent | undefined {
  const after = (entry.after ?? {}) as Record<string, unknown>;
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const base = {
    entityRef: entry.entityRef,
    phase: entry.phase,
    version: entry.version,
    promotionId: entry.promotionId,
    trainId: promotion?.trainId ?? str(after.trainId),
    kind: promotion?.kind,
    requestedBy: promotion?.requestedBy,
    actor: entry.actor,
    message: entry.reason,
    link: releasesPageLink(entry.entityRef, entry.promotionId),
    at: entry.at,
  };
  switch (entry.action) {
    case 'release.create':
      return compact({
        ...base,
        type: 'release.created',
        artifact: str(after.artifact),
        commit: str(after.commit),
      });
    case 'promotion.request':
    case 'rollback.request':
      return compact({
        ...base,
        type: 'promotion.requested',
        kind: entry.action === 'rollback.request' ? 'rollback' : 'promote',
        requestedBy: entry.actor,
        status: status(after.status),
      });
    case 'approval.approve':
    case 'approval.reject':
      return compact({
        ...base,
        type: 'promotion.decision_recorded',
        decision: entry.action === 'approval.approve' ? 'approve' : 'reject',
      });
    case 'promotion.config_changed':
      return compact({
        ...base,
        type: 'promotion.approvals_invalidated',
        status: status(after.status),
        previousStatus: status(before.status),
        configVersion: num(after.configVersion),
      });
    case 'phase.lock':
      return compact({ ...base, type: 'phase.locked' });
    case 'phase.unlock':
      return compact({ ...base, type: 'phase.unlocked' });
    case 'config.change':
      return compact({
        ...base,
        type: 'phase.config_changed',
        configVersion: num(after.version),
        message: str(after.change),
      });
    default: {
      const to = statusOfLedgerAction(entry.action);
      if (!to || to === 'pending_approval') {
        return undefined;
      }
      const type = `promotion.${to}` as ReleaseLifecycleEventType;
      return compact({
        ...base,
        type,
        status: status(after.status),
        previousStatus: status(before.status),
        externalUrl: str(after.url),
      });
    }
  }
}
