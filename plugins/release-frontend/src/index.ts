/**
 * Release Manager frontend plugin: the "Releases" and "Phases" entity tabs,
 * the release status card, the approvals inbox page and the portfolio page.
 *
 * @packageDocumentation
 */

export {
  releasePlugin,
  EntityReleasesContent,
  EntityPhasesContent,
  EntityReleaseTrainsContent,
  EntityReleaseStatusCard,
  EntityDeliveryCard,
  ReleaseApprovalsPage,
  ReleasesPortfolioPage,
} from './plugin';
export { releaseTranslationRef } from './translation';
export { isReleaseAvailable, isTrainSystem } from './conditions';
export { releaseApiRef, ReleaseClient } from './api';
export type {
  ReleaseApi,
  ListReleasesOptions,
  ListPromotionsOptions,
  GetHistoryOptions,
  IdempotencyOptions,
  PortfolioFilters,
  PortfolioOptions,
  ListConfigVersionsOptions,
  ListTrainsOptions,
  CreateTrainRequest,
  Train,
  TrainChanges,
  TrainDefinition,
  TrainMember,
  TrainPlan,
  TrainStatus,
  Approval,
  ConfigVersionDiff,
  ConfigVersionPage,
  ConfigVersionView,
  CreatePromotionRequest,
  DecisionRequest,
  ScheduleRequest,
  EntityStatus,
  HistoryEntry,
  PhaseActionAllowance,
  PhaseActions,
  PhaseConfigVersion,
  PhaseConfigView,
  PhaseDiff,
  PhaseDiffSide,
  PortfolioEntry,
  PortfolioPage,
  PipelinePhaseWithActions,
  PromotionDetail,
  PromotionKind,
  ProgressEntry,
  PutPhaseConfigRequest,
  ReleaseApiComponents,
  ReleaseApiSchemas,
  RestoreConfigRequest,
  RollbackRequest,
  SecretMetadata,
} from './api';
export type { ReleasesContentProps } from './components/ReleasesContent';
export type { TrainsContentProps } from './components/TrainsContent';
export type {
  CreateReleaseRequest,
  Page,
  PhaseLock,
  PipelinePhaseView,
  PipelineView,
  Promotion,
  PromotionStatus,
  Release,
  ReleasePhaseStatus,
  ReleaseWithStatus,
  DoraBand,
  DoraMetrics,
  DoraSeriesPoint,
  DurationStats,
  MetricsQuery,
  MetricsResponse,
  UpdateReleasePlanRequest,
} from '@release-manager/backstage-plugin-release-common';
