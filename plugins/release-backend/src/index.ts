/**
 * Release Manager backend plugin for Backstage.
 *
 * @packageDocumentation
 */

export { releasePlugin as default } from './plugin';

export { DatabaseReleaseStore } from './database/DatabaseReleaseStore';
export { EntityReadCache } from './cache/EntityReadCache';
export type {
  ReleaseStore,
  StoredRelease,
  StoredReleaseWithStatus,
  HistoryEntry,
  CommittedHistoryEntry,
  LedgerCommitListener,
  StoredHistoryEntry,
  StoredPipelineState,
  PhaseStatusSummary,
  PromotionImport,
} from './database/ReleaseStore';
export { DatabasePromotionStore } from './database/DatabasePromotionStore';
export type {
  PromotionStore,
  StoredPromotion,
  StoredApproval,
  NewPromotion,
  PhaseSnapshot,
  PromotionSnapshot,
  ProgressEntry,
  InTransactionCheck,
} from './database/PromotionStore';
export { DatabaseConfigStore } from './database/DatabaseConfigStore';
export type {
  ConfigStore,
  StoredPhaseConfig,
  SecretMetadata,
  ConfigChangeEffects,
} from './database/ConfigStore';
export { SecretCipher } from './secrets/SecretCipher';
export type { SecretKey } from './secrets/SecretCipher';

export {
  releasePhaseConditions,
  createReleasePhaseConditionalDecision,
} from './permissions/conditions';
export {
  releasePhaseResourceRef,
  releasePhaseRules,
  type ReleasePhaseResource,
  type ReleasePhaseQuery,
} from './permissions/rules';
