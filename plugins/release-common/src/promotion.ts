import { compareSemver } from './semver';
import { isInAccessList } from './pipeline';
import { evaluateDeploymentWindow } from './time';
import {
  CheckOutcome,
  PhaseDefinition,
  PhaseLock,
  PromotionStatus,
} from './types';

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

/**
 * States of a promotion that waits to be queued: for approval, or approved
 * (behind another deployment, a lock, a freeze or its scheduled time). Its
 * configuration binding can still change (approvals are then voided).
 * @public
 */
export const WAITING_PROMOTION_STATUSES: readonly PromotionStatus[] = [
  'pending_approval',
  'approved',
];

/** States that hold the phase, queued or deploying. @public */
export const ACTIVE_PROMOTION_STATUSES: readonly PromotionStatus[] = [
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
    | 'same_release_open'
    | 'outside_window'
    | 'check_failed'
    | 'check_pending'
    | 'train_order';
  message: string;
}

/**
 * Gates a person allowed to override may lift, one by one, with a reason:
 * a manual phase lock, a freeze window, a deployment window, and the
 * phase's before-deploy verification checks.
 * @public
 */
export type OverridableGate = 'lock' | 'freeze' | 'window' | 'checks';

/** All overridable gates. @public */
export const OVERRIDABLE_GATES: readonly OverridableGate[] = [
  'lock',
  'freeze',
  'window',
  'checks',
];

/** The overridable gate a violation belongs to, if any. @public */
export function overridableGateOf(
  violation: GateViolation,
): OverridableGate | undefined {
  switch (violation.code) {
    case 'locked':
      return 'lock';
    case 'frozen':
      return 'freeze';
    case 'outside_window':
      return 'window';
    case 'check_failed':
    case 'check_pending':
      return 'checks';
    default:
      return undefined;
  }
}

/**
 * When a gate is evaluated: a request checks that the release may go to the
 * phase at all (`requires`, soak time); approving, queueing and deploying
 * check that the phase may take a deployment now (lock, freeze, and the
 * results of the before-deploy checks the caller evaluated: a failed check
 * blocks at any of these stages, a pending one only at deploy time, where
 * the promotion waits for it).
 * @public
 */
export type GateStage = 'request' | 'approve' | 'queue' | 'deploy';

/** What the one gate evaluation needs to know, gathered by the caller. @public */
export interface GateInput {
  stage: GateStage;
  phase: PhaseDefinition;
  /** Whether this is a promotion or an explicit rollback (no requires gate). */
  kind: 'promote' | 'rollback';
  now: Date;
  /** When the release succeeded in the required phase (request stage). */
  requires?: RequiresEvidence;
  /** For a rollback: whether the release ever succeeded in this phase. */
  ranHereBefore?: boolean;
  /** The soak time of the phase in ms, when it has one. */
  soakTimeMs?: number;
  /** The phase lock, if the phase is locked. */
  lock?: PhaseLock;
  /** The freeze window in force, if any. */
  freeze?: { endsAt: string; reason?: string };
  /** Results of the phase's before-deploy checks, when evaluated. */
  checks?: readonly CheckOutcome[];
  /** Gates lifted by a recorded override. */
  overrides?: readonly OverridableGate[];
  /** Skip the requires gate (recorded separately; needs its own permission). */
  skipRequires?: boolean;
}

/**
 * The one gate evaluation every path that creates or advances a promotion
 * passes (manual request, auto-promotion, rollback, retry, scheduled
 * execution, actions, recovery). Returns the violations; none means pass.
 * An override lifts exactly the gates it names.
 * @public
 */
export function evaluateGates(input: GateInput): GateViolation[] {
  const { phase, stage } = input;
  const violations: GateViolation[] = [];
  if (stage === 'request') {
    if (input.kind === 'rollback') {
      if (input.ranHereBefore === false) {
        violations.push({
          code: 'requires_not_met',
          message: `The release never succeeded in ${phase.title}; only a release that ran there before can be rolled back to`,
        });
      }
    } else if (!input.skipRequires) {
      violations.push(
        ...evaluateRequiresGate({
          phase,
          evidence: input.requires ?? {},
          now: input.now,
          soakTimeMs: input.soakTimeMs,
        }),
      );
    }
    return violations;
  }
  const lifted = new Set(input.overrides ?? []);
  if (input.lock && !lifted.has('lock')) {
    violations.push({
      code: 'locked',
      message: `${phase.title} is locked by ${input.lock.lockedBy}: ${input.lock.reason}`,
    });
  }
  if (input.freeze && !lifted.has('freeze')) {
    violations.push({
      code: 'frozen',
      message: `${phase.title} is frozen until ${input.freeze.endsAt}${
        input.freeze.reason ? `: ${input.freeze.reason}` : ''
      }`,
    });
  }
  if (stage !== 'approve' && !lifted.has('window')) {
    const outside = evaluateDeploymentWindow(phase, input.now);
    if (outside) {
      violations.push({ code: 'outside_window', message: outside.message });
    }
  }
  if (!lifted.has('checks')) {
    for (const check of input.checks ?? []) {
      if (check.when !== 'before-deploy') continue;
      if (check.status === 'failed') {
        violations.push({
          code: 'check_failed',
          message: `Check '${check.name}' failed: ${check.summary}`,
        });
      } else if (check.status === 'pending' && stage === 'deploy') {
        violations.push({
          code: 'check_pending',
          message: `Check '${check.name}' is pending: ${check.summary}`,
        });
      }
    }
  }
  return violations;
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
