import { compareSemver } from './semver';
import { isInAccessList } from './pipeline';
import { PhaseDefinition, PromotionStatus } from './types';

/**
 * The promotion state machine: which state may follow which.
 * `pending_approval → approved → queued → deploying → succeeded | failed`,
 * with `rejected`, `cancelled` and `superseded` as the other ends.
 * @public
 */
export const PROMOTION_TRANSITIONS: Readonly<
  Record<PromotionStatus, readonly PromotionStatus[]>
> = {
  pending_approval: ['approved', 'rejected', 'cancelled', 'superseded'],
  // An approved promotion goes back to pending_approval when the phase
  // configuration it was approved with changes before it is queued.
  approved: [
    'queued',
    'pending_approval',
    'rejected',
    'cancelled',
    'superseded',
  ],
  queued: ['deploying', 'cancelled', 'superseded', 'failed'],
  deploying: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
  rejected: [],
  cancelled: [],
  superseded: [],
};

/** Whether `from → to` is a legal transition. @public */
export function canTransition(
  from: PromotionStatus,
  to: PromotionStatus,
): boolean {
  return PROMOTION_TRANSITIONS[from].includes(to);
}

/** States a promotion never leaves. @public */
export function isFinalStatus(status: PromotionStatus): boolean {
  return PROMOTION_TRANSITIONS[status].length === 0;
}

/** States that hold the phase (at most one per entity and phase). @public */
export function isActiveStatus(status: PromotionStatus): boolean {
  return status === 'queued' || status === 'deploying';
}

/** States of a promotion that is still open (not final). @public */
export const OPEN_PROMOTION_STATUSES: readonly PromotionStatus[] = [
  'pending_approval',
  'approved',
  'queued',
  'deploying',
];

/** A reason a gate blocks an action; `code` is stable for clients. @public */
export interface GateViolation {
  code:
    | 'requires_not_met'
    | 'soak_time'
    | 'locked'
    | 'frozen'
    | 'self_approval'
    | 'not_an_approver'
    | 'already_decided'
    | 'wrong_state'
    | 'newer_release_open'
    | 'same_release_open';
  message: string;
}

/**
 * What the `requires` gate needs to know: when (if ever) the release
 * succeeded in the required phase.
 * @public
 */
export interface RequiresEvidence {
  /** When the release finished deploying successfully in the required phase. */
  succeededAt?: Date;
}

/**
 * The `requires` and soak-time gates for promoting a release into `phase`.
 * Returns the violations; an empty list means the gate passes.
 * @public
 */
export function evaluateRequiresGate(options: {
  phase: PhaseDefinition;
  evidence: RequiresEvidence;
  now: Date;
  soakTimeMs?: number;
}): GateViolation[] {
  const { phase, evidence, now, soakTimeMs } = options;
  if (phase.requires === null) {
    return [];
  }
  if (!evidence.succeededAt) {
    return [
      {
        code: 'requires_not_met',
        message: `The release has not succeeded in '${phase.requires}', which '${phase.id}' requires first`,
      },
    ];
  }
  if (
    soakTimeMs &&
    evidence.succeededAt.getTime() + soakTimeMs > now.getTime()
  ) {
    const readyAt = new Date(evidence.succeededAt.getTime() + soakTimeMs);
    return [
      {
        code: 'soak_time',
        message: `The release must run in '${phase.requires}' for ${
          phase.soakTime
        } first; it can be promoted from ${readyAt.toISOString()}`,
      },
    ];
  }
  return [];
}

/** A decision already recorded on a promotion. @public */
export interface RecordedDecision {
  userRef: string;
  decision: 'approve' | 'reject';
  /** False when the decision was invalidated by a configuration change. */
  valid: boolean;
}

/**
 * Whether a user may approve or reject a promotion: eligible approver, not
 * the requester (unless the phase allows it), not decided already.
 * @public
 */
export function evaluateApprover(options: {
  phase: PhaseDefinition;
  approvers: string[];
  requestedBy: string;
  userRef: string;
  ownershipEntityRefs: string[];
  decisions: RecordedDecision[];
}): GateViolation[] {
  const { phase, approvers, requestedBy, userRef, ownershipEntityRefs } =
    options;
  const violations: GateViolation[] = [];
  if (!isInAccessList(ownershipEntityRefs, approvers)) {
    violations.push({
      code: 'not_an_approver',
      message: `You are not an approver of phase '${phase.id}' (approvers: ${
        approvers.join(', ') || 'none'
      })`,
    });
  }
  if (
    !phase.approvals.allowSelfApproval &&
    requestedBy.toLocaleLowerCase('en-US') ===
      userRef.toLocaleLowerCase('en-US')
  ) {
    violations.push({
      code: 'self_approval',
      message: `You requested this promotion; phase '${phase.id}' needs someone else to approve it`,
    });
  }
  if (options.decisions.some(d => d.valid && d.userRef === userRef)) {
    violations.push({
      code: 'already_decided',
      message: 'You have already decided on this promotion',
    });
  }
  return violations;
}

/**
 * Whether the approvals recorded are enough: N distinct, valid approvals by
 * eligible approvers, none by the requester unless allowed.
 * @public
 */
export function hasEnoughApprovals(options: {
  phase: PhaseDefinition;
  requestedBy: string;
  decisions: RecordedDecision[];
  /** Whether a user is an eligible approver, by user ref. */
  isEligible: (userRef: string) => boolean;
}): boolean {
  const { phase, requestedBy, decisions, isEligible } = options;
  const approvers = new Set(
    decisions
      .filter(d => d.valid && d.decision === 'approve')
      .map(d => d.userRef)
      .filter(u => phase.approvals.allowSelfApproval || u !== requestedBy)
      .filter(isEligible),
  );
  return approvers.size >= phase.approvals.required;
}

/** An open promotion of the same phase, as the supersede rule sees it. @public */
export interface OpenPromotionSummary {
  id: string;
  version: string;
  status: PromotionStatus;
  kind: 'promote' | 'rollback';
}

/**
 * The supersede rule for a new request of `version` in a phase that has
 * `open` promotions: a request for the same version while one is open is a
 * conflict; a newer release supersedes older ones that have not started
 * deploying; an older release may not overtake a newer open one (except a
 * rollback, which is an explicit request for an older version).
 * @public
 */
export function applySupersedeRule(options: {
  version: string;
  kind: 'promote' | 'rollback';
  open: OpenPromotionSummary[];
}): { supersede: string[]; conflict?: GateViolation } {
  const { version, kind, open } = options;
  const same = open.find(p => compareSemver(p.version, version) === 0);
  if (same) {
    return {
      supersede: [],
      conflict: {
        code: 'same_release_open',
        message: `A promotion of ${version} into this phase is already ${same.status} (${same.id})`,
      },
    };
  }
  if (kind === 'promote') {
    const newer = open.find(p => compareSemver(p.version, version) > 0);
    if (newer) {
      return {
        supersede: [],
        conflict: {
          code: 'newer_release_open',
          message: `A newer release, ${newer.version}, is already ${newer.status} for this phase; an older release cannot overtake it (request a rollback instead)`,
        },
      };
    }
  }
  return {
    supersede: open.filter(p => p.status !== 'deploying').map(p => p.id),
  };
}

/**
 * Phases that promote automatically once a release succeeded in
 * `succeededPhase`: those with `autoPromote` that require it.
 * @public
 */
export function autoPromotionTargets(
  phases: PhaseDefinition[],
  succeededPhase: string,
): PhaseDefinition[] {
  return phases.filter(p => p.autoPromote && p.requires === succeededPhase);
}
