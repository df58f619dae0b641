import { createApiRef } from '@backstage/core-plugin-api';
import {
  ChangeSet,
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
  ConfigVersionDiff,
  ConfigVersionPage,
  ConfigVersionView,
  CreatePromotionRequest,
  DecisionRequest,
  EntityStatus,
  HistoryEntry,
  PhaseConfigVersion,
  PhaseConfigView,
  PhaseDiff,
  PortfolioPage,
  PromotionDetail,
  PutPhaseConfigRequest,
  RestoreConfigRequest,
  RollbackRequest,
  ScheduleRequest,
} from './types';
import {
  CreateTrainRequest,
  Train,
  TrainChanges,
  TrainDefinition,
  TrainPlan,
} from './trainTypes';

/**
 * Options of {@link ReleaseApi.listConfigVersions}.
 *
 * @public
 */
export interface ListConfigVersionsOptions {
  /** Page size, 1 to 100; the backend defaults to 20. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

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
 * Filters of the portfolio ({@link ReleaseApi.getPortfolio}); all optional.
 *
 * @public
 */
export interface PortfolioFilters {
  /** Owner entity ref; a bare name is a group in the default namespace. */
  owner?: string;
  /** System entity ref; a bare name is a system in the default namespace. */
  system?: string;
  /** The entity's `spec.lifecycle`, e.g. `production`. */
  lifecycle?: string;
  /** Text in the entity's name, title, owner or system. */
  q?: string;
}

/**
 * Options of {@link ReleaseApi.getPortfolio}.
 *
 * @public
 */
export interface PortfolioOptions extends PortfolioFilters {
  /** Page size, 1 to 200; the backend defaults to 50. */
  limit?: number;
  /** The `nextCursor` of the previous page (it keeps the first page's filters). */
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
 * Options of {@link ReleaseApi.listTrains} and
 * {@link ReleaseApi.listEntityTrains}.
 *
 * @public
 */
export interface ListTrainsOptions {
  /** Only trains of this System (entity ref). */
  system?: string;
  /** Only trains with this entity as member. */
  entity?: string;
  /** `open` (default on the server): not finished yet; `all`: every train. */
  status?: 'open' | 'all';
  /** Page size, 1 to 100. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
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
  /**
   * Re-schedules a promotion that is not queued yet: at a time, in the
   * phase's next deployment window, or (neither) as soon as approved.
   */
  schedulePromotion(
    id: string,
    request: ScheduleRequest,
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
  /** One page of every entity with a pipeline the user may see × its phases. */
  getPortfolio(options?: PortfolioOptions): Promise<PortfolioPage>;
  /** The whole portfolio matching the filters as CSV, one row per phase. */
  getPortfolioCsv(filters?: PortfolioFilters): Promise<string>;

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

  /**
   * The change set of a promotion: from what runs in its phase (with the
   * configuration it was deployed with) to its release and bound
   * configuration, with the gates as they stand now.
   */
  getPromotionChanges(id: string): Promise<ChangeSet>;
  /** The change set a promotion of `version` into `phase` would have now. */
  previewChanges(
    entityRef: string,
    version: string,
    phase: string,
  ): Promise<ChangeSet>;

  /** A page of a phase's configuration versions, newest first. */
  listConfigVersions(
    entityRef: string,
    phase: string,
    options?: ListConfigVersionsOptions,
  ): Promise<ConfigVersionPage>;
  /** One version of a phase's configuration; secrets as fingerprints. */
  getConfigVersion(
    entityRef: string,
    phase: string,
    version: number,
  ): Promise<ConfigVersionView>;
  /** What differs between two versions of a phase's configuration. */
  diffConfigVersions(
    entityRef: string,
    phase: string,
    from: number,
    to: number,
  ): Promise<ConfigVersionDiff>;
  /** Makes an old version current again, as a new version. */
  restoreConfigVersion(
    entityRef: string,
    phase: string,
    request: RestoreConfigRequest,
  ): Promise<PhaseConfigVersion>;

  /** The trains configured in `release.trains`. */
  listTrainDefinitions(): Promise<TrainDefinition[]>;
  /** What a train of the System into `phase` would deploy now. */
  getTrainPlan(systemRef: string, phase: string): Promise<TrainPlan>;
  /** Requests a train: one promotion per member, approved as a unit. */
  createTrain(
    request: CreateTrainRequest,
    options?: IdempotencyOptions,
  ): Promise<Train>;
  /** One page of trains, newest first. */
  listTrains(options?: ListTrainsOptions): Promise<Page<Train>>;
  /** One page of the trains with this entity as member or System. */
  listEntityTrains(
    entityRef: string,
    options?: Omit<ListTrainsOptions, 'system' | 'entity'>,
  ): Promise<Page<Train>>;
  /** One train with its members in deploy order. */
  getTrain(id: string): Promise<Train>;
  /** The change set of every member of a train. */
  getTrainChanges(id: string): Promise<TrainChanges>;
  /** Approves a whole train (one approval covers every member). */
  approveTrain(id: string, request?: { comment?: string }): Promise<Train>;
  /** Rejects a whole train; a comment is required. */
  rejectTrain(id: string, request: { comment: string }): Promise<Train>;
  /** Cancels a train that has not started deploying. */
  cancelTrain(id: string, request?: { comment?: string }): Promise<Train>;
  /** Rolls back the members already deployed, in reverse order. */
  rollbackTrain(id: string, request?: { comment?: string }): Promise<Train>;
}

/**
 * The API reference of {@link ReleaseApi}.
 *
 * @public
 */
export const releaseApiRef = createApiRef<ReleaseApi>({
  id: 'plugin.release.service',
});
