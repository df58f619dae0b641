import {
  OverridableGate,
  PhaseConfiguration,
  PhaseCurrentRelease,
  PhaseLock,
  PhaseProviderSettings,
  Promotion,
  PromotionStatus,
  RecordedDecision,
} from '@release-manager/backstage-plugin-release-common';
import { StoredRelease } from './ReleaseStore';

/**
 * What a promotion was requested with, taken from the pipeline at request
 * time; the deployment uses exactly this (no secret values are in it).
 * @public
 */
export interface PromotionSnapshot {
  template: string;
  provider: PhaseProviderSettings;
  config: PhaseConfiguration;
  /** Secret fingerprints by name (values are resolved at deploy time and must match). */
  secrets?: Record<string, string>;
}

/** One progress message of a deployment. @public */
export interface ProgressEntry {
  at: string;
  message: string;
  percent?: number;
}

/** A promotion with the fields the engine needs beyond the API shape. @public */
export interface StoredPromotion extends Promotion {
  snapshot?: PromotionSnapshot;
  attempts: number;
  progress: ProgressEntry[];
  nextAttemptAt?: string;
  deadlineAt?: string;
  /** End of the after-deploy verification window, while being verified. */
  verifyUntil?: string;
  releaseId: string;
  kind: 'promote' | 'rollback';
  configVersion?: number;
  configHash?: string;
  overrideReason?: string;
  /** The gates the recorded override lifts. */
  overrideGates?: OverridableGate[];
  skippedRequires: boolean;
  externalId?: string;
  /** The encrypted secret values the promotion is bound to, by name. */
  secretCiphertexts?: Record<string, string>;
}

/** One recorded approval or rejection. @public */
export interface StoredApproval {
  promotionId: string;
  userRef: string;
  decision: 'approve' | 'reject';
  comment?: string;
  artifact: string;
  configHash?: string;
  /** The promotion whose deployment ran in the target phase ("" for none). */
  targetPromotionId?: string;
  invalidated: boolean;
  decidedAt: string;
}

/** A new promotion request. @public */
export interface NewPromotion {
  entityRef: string;
  phase: string;
  release: StoredRelease;
  kind: 'promote' | 'rollback';
  requestedBy: string;
  comment?: string;
  idempotencyKey?: string;
  configVersion?: number;
  configHash?: string;
  overrideReason?: string;
  overrideGates?: OverridableGate[];
  skippedRequires: boolean;
  snapshot: PromotionSnapshot;
  /** The encrypted secret values bound to the promotion, by name. */
  secretCiphertexts?: Record<string, string>;
  /** Deploy no earlier than this time. */
  scheduledAt?: Date;
  /** The release train the promotion is a member of. */
  trainId?: string;
  /** pending_approval when the phase needs approvals, else approved. */
  status: 'pending_approval' | 'approved';
}

/**
 * The state of a phase as read inside a write transaction, for re-checking
 * decisions against what is true now (permission decisions may be stale).
 * @public
 */
export interface PhaseSnapshot {
  lock?: PhaseLock;
  currentVersion?: string;
  open: StoredPromotion[];
}

/** Checks run inside the write transaction; they throw to abort. @public */
export type InTransactionCheck<T> = (state: T) => void | Promise<void>;

/** Persistence of promotions, approvals and locks. Every change is a compare-and-set. @public */
export interface PromotionStore {
  /**
   * Records a promotion request. With an idempotency key already used by the
   * same requester, returns the first promotion and `replayed: true`.
   * `decide` applies the supersede rule to the phase's open promotions and
   * returns the ids to supersede, or throws to refuse.
   */
  createPromotion(
    request: NewPromotion,
    decide: (snapshot: PhaseSnapshot) => string[] | Promise<string[]>,
  ): Promise<{ promotion: StoredPromotion; replayed: boolean }>;

  /**
   * The phase's state as committed now, read without taking the phase's
   * lock: for refusing a request that cannot succeed before it queues for
   * the lock (`createPromotion` decides again under the lock).
   */
  readPhaseSnapshot(entityRef: string, phase: string): Promise<PhaseSnapshot>;

  getPromotion(id: string): Promise<StoredPromotion | undefined>;

  /**
   * Successes in `phase` that finished between `from` and `to` and whose
   * release has not been requested for `nextPhase` since: the candidates of
   * an automatic promotion into `nextPhase`.
   */
  listAutoPromotionCandidates(options: {
    phase: string;
    nextPhase: string;
    from: Date;
    to: Date;
    limit: number;
  }): Promise<StoredPromotion[]>;

  listPromotions(options: {
    entityRef?: string;
    phase?: string;
    status?: PromotionStatus[];
    limit: number;
    beforeRequestedAt?: string;
  }): Promise<StoredPromotion[]>;

  listApprovals(promotionIds: string[]): Promise<StoredApproval[]>;

  /**
   * Promotions waiting for approval that `userRef` has no standing decision
   * on (a voided decision does not count), newest request first, after the
   * keyset position `after`. The caller filters by access.
   */
  listAwaitingDecision(options: {
    userRef: string;
    limit: number;
    after?: { requestedAt: string; id: string };
  }): Promise<StoredPromotion[]>;

  /**
   * Records a decision. Inside the transaction, `check` sees the promotion
   * and the decisions so far as they are now and throws to refuse; then
   * `approvedWhen` says whether the approvals now suffice.
   */
  decide(options: {
    promotionId: string;
    userRef: string;
    decision: 'approve' | 'reject';
    comment?: string;
    /** An override of named gates, recorded with its reason. */
    override?: { reason: string; gates: OverridableGate[] };
    check: InTransactionCheck<{
      promotion: StoredPromotion;
      decisions: RecordedDecision[];
      phase: PhaseSnapshot;
    }>;
    approvedWhen: (decisions: RecordedDecision[]) => boolean;
  }): Promise<StoredPromotion>;

  /** Sets or clears the time a promotion that is not queued yet deploys at. */
  reschedule(options: {
    promotionId: string;
    actor: string;
    scheduledAt: Date | null;
    check: InTransactionCheck<StoredPromotion>;
  }): Promise<StoredPromotion>;

  /** Scheduled promotions not queued yet whose time has come. */
  listDueScheduled(now: Date, limit: number): Promise<StoredPromotion[]>;

  /** Cancels an open promotion that has not started deploying. */
  cancel(options: {
    promotionId: string;
    actor: string;
    comment?: string;
    check: InTransactionCheck<StoredPromotion>;
  }): Promise<StoredPromotion>;

  /**
   * Moves the best approved promotion of a phase to queued when no other
   * holds the phase and `mayQueue` allows it (locks, freezes). Returns the
   * queued promotion, if any.
   */
  advancePhase(options: {
    entityRef: string;
    phase: string;
    actor: string;
    mayQueue: (
      candidate: StoredPromotion,
      phase: PhaseSnapshot,
    ) => boolean | Promise<boolean>;
  }): Promise<StoredPromotion | undefined>;

  lockPhase(options: {
    entityRef: string;
    phase: string;
    reason: string;
    actor: string;
  }): Promise<PhaseLock>;

  unlockPhase(options: {
    entityRef: string;
    phase: string;
    actor: string;
    reason?: string;
  }): Promise<PhaseLock>;

  getLock(entityRef: string, phase: string): Promise<PhaseLock | undefined>;

  /**
   * What ran in a phase at `at`: its last deployment that succeeded by then,
   * other than `exceptId` (a finished promotion's own "from").
   */
  deployedBefore(
    entityRef: string,
    phase: string,
    at: string,
    exceptId: string,
  ): Promise<PhaseCurrentRelease | undefined>;

  /** The release's last successful promotion in a phase, if any. */
  lastSuccessOfRelease(
    releaseId: string,
    phase: string,
  ): Promise<StoredPromotion | undefined>;

  /** When the release last succeeded in a phase, if ever. */
  lastSuccessInPhase(
    releaseId: string,
    phase: string,
  ): Promise<Date | undefined>;

  /** Releases that succeeded in a phase, most recent success first. */
  successfulReleasesInPhase(
    entityRef: string,
    phase: string,
    limit: number,
  ): Promise<
    Array<{ releaseId: string; version: string; succeededAt: string }>
  >;
}
