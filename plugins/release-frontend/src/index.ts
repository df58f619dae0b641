/**
 * Release Manager frontend plugin: the "Releases" and "Phases" entity tabs,
 * the release status card and the approvals inbox page.
 *
 * @packageDocumentation
 */

export {
  releasePlugin,
  EntityReleasesContent,
  EntityPhasesContent,
  EntityReleaseStatusCard,
  EntityDeliveryCard,
  ReleaseApprovalsPage,
} from './plugin';
export { isReleaseAvailable } from './conditions';
export { releaseApiRef, ReleaseClient } from './api';
export type {
  ReleaseApi,
  ListReleasesOptions,
  ListPromotionsOptions,
  GetHistoryOptions,
  IdempotencyOptions,
  Approval,
  CreatePromotionRequest,
  DecisionRequest,
  EntityStatus,
  HistoryEntry,
  PhaseActionAllowance,
  PhaseActions,
  PhaseConfigVersion,
  PhaseConfigView,
  PhaseDiff,
  PhaseDiffSide,
  PipelinePhaseWithActions,
  PromotionDetail,
  PromotionKind,
  ProgressEntry,
  PutPhaseConfigRequest,
  RollbackRequest,
  SecretMetadata,
} from './api';
export type { ReleasesContentProps } from './components/ReleasesContent';
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
