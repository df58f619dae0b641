import { createApiRef } from '@backstage/core-plugin-api';
import {
  CreateReleaseRequest,
  MetricsQuery,
  MetricsResponse,
  Page,
  PhaseLock,
  PipelineView,
  PromotionStatus,
  Release,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import {
  CreatePromotionRequest,
  DecisionRequest,
  EntityStatus,
  HistoryEntry,
  PhaseConfigVersion,
  PhaseConfigView,
  PhaseDiff,
  PromotionDetail,
  PutPhaseConfigRequest,
  RollbackRequest,
} from './types';

/**
 * Options of {@link ReleaseApi.listReleases}.
 *
 * @public
 */
export interface ListReleasesOptions {
  /** Page size, 1 to 100; the backend defaults to 20. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * Options of {@link ReleaseApi.listPromotions}.
 *
 * @public
 */
export interface ListPromotionsOptions {
  /** Only promotions into this phase. */
  phase?: string;
  /** Only promotions in this state. */
  status?: PromotionStatus;
  /** At most this many, 1 to 100; the backend defaults to 20. */
  limit?: number;
}

/**
 * Options of {@link ReleaseApi.getHistory}.
 *
 * @public
 */
export interface GetHistoryOptions {
  /** Only entries of this phase. */
  phase?: string;
  /** Page size, 1 to 100; the backend defaults to 50. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * Options of the calls that create a promotion.
 *
 * @public
 */
export interface IdempotencyOptions {
  /**
   * Sent as the `Idempotency-Key` header: repeating a request with the same
   * key returns the first result instead of creating a second promotion.
   * Use one key per user action.
   */
  idempotencyKey?: string;
}

/**
 * Client of the release backend.
 *
 * @public
 */
export interface ReleaseApi {
  /** The entity's pipeline with the live state of each phase. */
  getPipeline(entityRef: string): Promise<PipelineView>;
  /** One page of the entity's releases, newest first. */
  listReleases(
    entityRef: string,
    options?: ListReleasesOptions,
  ): Promise<Page<ReleaseWithStatus>>;
  /** One release of the entity with its state in each phase. */
  getRelease(entityRef: string, version: string): Promise<ReleaseWithStatus>;
  /** Creates a release of the entity. */
  createRelease(
    entityRef: string,
    request: CreateReleaseRequest,
  ): Promise<Release>;
  /**
   * Sets (a date) or clears (null) planned target dates per phase of a
   * release; phases not named keep their date.
   */
  updateReleasePlan(
    entityRef: string,
    version: string,
    plannedAt: Record<string, string | null>,
  ): Promise<ReleaseWithStatus>;
  /** Delivery (DORA) metrics of the entity over a period. */
  getMetrics(entityRef: string, query?: MetricsQuery): Promise<MetricsResponse>;
  /** Delivery (DORA) metrics over the entities of an owner, system or pipeline. */
  getGroupMetrics(
    query: MetricsQuery & {
      owner?: string;
      system?: string;
      pipeline?: string;
    },
  ): Promise<MetricsResponse>;

  /** Requests a promotion of a release into a phase. */
  createPromotion(
    entityRef: string,
    request: CreatePromotionRequest,
    options?: IdempotencyOptions,
  ): Promise<PromotionDetail>;
  /** The entity's promotions, newest first. */
  listPromotions(
    entityRef: string,
    options?: ListPromotionsOptions,
  ): Promise<PromotionDetail[]>;
  /** One promotion with its approvals and release. */
  getPromotion(id: string): Promise<PromotionDetail>;
  /** Approves a promotion as the signed-in user. */
  approvePromotion(
    id: string,
    request?: DecisionRequest,
  ): Promise<PromotionDetail>;
  /** Rejects a promotion as the signed-in user; a comment is required. */
  rejectPromotion(
    id: string,
    request: DecisionRequest & { comment: string },
  ): Promise<PromotionDetail>;
  /** Cancels a promotion that has not started deploying. */
  cancelPromotion(
    id: string,
    request?: { comment?: string },
  ): Promise<PromotionDetail>;
  /** The inbox: promotions waiting for a decision the signed-in user may make. */
  listApprovals(): Promise<PromotionDetail[]>;

  /** Redeploys the previous (or the given) good release of a phase. */
  rollbackPhase(
    entityRef: string,
    phase: string,
    request?: RollbackRequest,
    options?: IdempotencyOptions,
  ): Promise<PromotionDetail>;
  /** Locks a phase with a reason. */
  lockPhase(
    entityRef: string,
    phase: string,
    reason: string,
  ): Promise<PhaseLock>;
  /** Removes a phase lock. */
  unlockPhase(entityRef: string, phase: string): Promise<void>;

  /** One page of the entity's ledger, newest first. */
  getHistory(
    entityRef: string,
    options?: GetHistoryOptions,
  ): Promise<Page<HistoryEntry>>;
  /** The phase summary of up to 500 entities in one call. */
  getStatus(entityRefs: string[]): Promise<EntityStatus[]>;

  /** The configuration in force in a phase; secrets as metadata only. */
  getPhaseConfig(entityRef: string, phase: string): Promise<PhaseConfigView>;
  /**
   * Replaces the variables, database and sizing of a phase. Fails with 409
   * when `expectedVersion` is not the current version any more.
   */
  putPhaseConfig(
    entityRef: string,
    phase: string,
    request: PutPhaseConfigRequest,
  ): Promise<PhaseConfigVersion>;
  /** Sets a secret of a phase; the value is never returned. */
  setPhaseSecret(
    entityRef: string,
    phase: string,
    name: string,
    value: string,
  ): Promise<void>;
  /** Removes a secret of a phase. */
  deletePhaseSecret(
    entityRef: string,
    phase: string,
    name: string,
  ): Promise<void>;
  /** What changes in phase `to` if it gets what runs in phase `from`. */
  getPhaseDiff(entityRef: string, from: string, to: string): Promise<PhaseDiff>;
}

/**
 * The API reference of {@link ReleaseApi}.
 *
 * @public
 */
export const releaseApiRef = createApiRef<ReleaseApi>({
  id: 'plugin.release.service',
});
