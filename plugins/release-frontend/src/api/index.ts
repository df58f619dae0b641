export { releaseApiRef } from './ReleaseApi';
export type {
  ReleaseApi,
  ListReleasesOptions,
  ListPromotionsOptions,
  GetHistoryOptions,
  IdempotencyOptions,
} from './ReleaseApi';
export { ReleaseClient } from './ReleaseClient';
export type {
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
} from './types';
