export { releaseApiRef } from './ReleaseApi';
export type {
  ReleaseApi,
  ListReleasesOptions,
  ListPromotionsOptions,
  GetHistoryOptions,
  IdempotencyOptions,
  PortfolioFilters,
  PortfolioOptions,
} from './ReleaseApi';
export { ReleaseClient } from './ReleaseClient';
export type {
  Approval,
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
  RollbackRequest,
  SecretMetadata,
} from './types';
export type { components as ReleaseApiComponents } from './openapi.generated';
