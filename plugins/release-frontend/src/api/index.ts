export { releaseApiRef } from './ReleaseApi';
export type {
  ReleaseApi,
  ListReleasesOptions,
  ListPromotionsOptions,
  GetHistoryOptions,
  IdempotencyOptions,
  PortfolioFilters,
  PortfolioOptions,
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
  PortfolioEntry,
  PortfolioPage,
  PromotionDetail,
  PromotionKind,
  ProgressEntry,
  PutPhaseConfigRequest,
  ReleaseApiSchemas,
  RestoreConfigRequest,
  RollbackRequest,
  SecretMetadata,
} from './types';
export type { components as ReleaseApiComponents } from './openapi.generated';
