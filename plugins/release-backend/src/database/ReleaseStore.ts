import {
  PhaseCurrentRelease,
  PhaseLock,
  Promotion,
  PromotionStatus,
  ReleaseLedgerAction,
  Release,
  ReleasePhaseStatus,
} from '@release-manager/backstage-plugin-release-common';

/** A release as stored, with its database id. @public */
export interface StoredRelease extends Release {
  id: string;
}

/** A stored release with its latest state in each phase. @public */
export interface StoredReleaseWithStatus extends StoredRelease {
  phases: Record<string, ReleasePhaseStatus>;
}

/** A history (ledger) row to append. @public */
export interface HistoryEntry {
  entityRef: string;
  phase?: string;
  version?: string;
  promotionId?: string;
  action: ReleaseLedgerAction;
  actor: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

/** A ledger row as committed, with the time it was written. @public */
export interface CommittedHistoryEntry extends HistoryEntry {
  at: string;
}

/**
 * Called once a transaction that appended ledger rows has committed, with
 * those rows in order; never for a transaction that rolled back. It must not
 * throw or block: it runs on the path of the change.
 * @public
 */
export type LedgerCommitListener = (entries: CommittedHistoryEntry[]) => void;

/** A stored history row. @public */
export interface StoredHistoryEntry extends HistoryEntry {
  id: string;
  createdAt: string;
}

/** The live state of every phase of one entity. @public */
export interface StoredPipelineState {
  current: Record<string, PhaseCurrentRelease>;
  /** Queued or deploying promotions, by phase. */
  active: Record<string, Promotion>;
  /** Promotions waiting for approval, by phase, oldest first. */
  pending: Record<string, Promotion[]>;
  /** The most recently finished promotion, by phase. */
  lastOutcome: Record<string, Promotion>;
  locks: Record<string, PhaseLock>;
}

/** One phase of one entity in a bulk status answer. @public */
export interface PhaseStatusSummary {
  currentVersion?: string;
  activeStatus?: PromotionStatus;
  pending: number;
  /** Waiting promotions scheduled for a time. */
  scheduled?: number;
  /** A deployment failed since what runs in the phase now was deployed. */
  failed?: boolean;
}

/** A promotion to record as it is (used to import history and seed demos). @public */
export interface PromotionImport {
  entityRef: string;
  phase: string;
  version: string;
  status: PromotionStatus;
  requestedBy: string;
  requestedAt: Date;
  finishedAt?: Date;
  comment?: string;
  /** Default `promote`. */
  kind?: 'promote' | 'rollback';
}

/** Persistence of releases, promotions, phase state and the ledger. @public */
export interface ReleaseStore {
  /** Creates a release; throws ConflictError when the version exists. */
  createRelease(release: Release): Promise<StoredRelease>;
  getRelease(
    entityRef: string,
    version: string,
  ): Promise<StoredRelease | undefined>;
  /** Releases by id, in one read (those that do not exist are left out). */
  getReleasesByIds(ids: string[]): Promise<Map<string, StoredRelease>>;
  /**
   * Replaces a release's plan with `plan(current)` in one transaction and
   * records it in the ledger (`release.plan`, before and after); undefined
   * when the release does not exist.
   */
  updateReleasePlan(update: {
    entityRef: string;
    version: string;
    actor: string;
    plan: (
      current: Record<string, string> | undefined,
    ) => Record<string, string>;
  }): Promise<StoredRelease | undefined>;
  /** Newest first; `afterId` is the id of the last row of the previous page. */
  listReleases(
    entityRef: string,
    options: { limit: number; afterId?: string },
  ): Promise<{ items: StoredRelease[]; hasMore: boolean }>;
  /** A page of releases, newest first, each with its state in every phase. */
  listReleasesWithStatuses(
    entityRef: string,
    options: { limit: number; afterId?: string },
  ): Promise<{ items: StoredReleaseWithStatus[]; hasMore: boolean }>;
  /** The state in each phase of each of the given releases. */
  getReleasePhaseStatuses(
    entityRef: string,
    releaseIds: string[],
  ): Promise<Map<string, Record<string, ReleasePhaseStatus>>>;
  /** The live state of the given phases of one entity. */
  getPipelineState(
    entityRef: string,
    phases: string[],
  ): Promise<StoredPipelineState>;
  /** Current version, active status and pending count per phase, for many entities in one query. */
  getStatusSummary(
    entityRefs: string[],
  ): Promise<Map<string, Record<string, PhaseStatusSummary>>>;
  /** Records a promotion in the given state; a succeeded one becomes current if newer. */
  importPromotion(promotion: PromotionImport): Promise<Promotion>;
  listHistory(
    entityRef: string,
    options: { phase?: string; limit: number; beforeId?: string },
  ): Promise<{ items: StoredHistoryEntry[]; hasMore: boolean }>;
}
