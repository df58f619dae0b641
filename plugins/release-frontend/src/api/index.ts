export { releaseApiRef } from './ReleaseApi';
export type {
  ReleaseApi,
  ListReleasesOptions,
  ListPromotionsOptions,
  GetHistoryOptions,
  IdempotencyOptions,
  ListConfigVersionsOptions,
} from './ReleaseApi';
export { ReleaseClient } from './ReleaseClient';
export type {
  Approval,
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
  PhaseDiffSide,
  PromotionDetail,
  PromotionKind,
  ProgressEntry,
  PutPhaseConfigRequest,
  RestoreConfigRequest,
  RollbackRequest,
  SecretMetadata,
} from './types';
