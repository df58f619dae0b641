/*
 * Response and request shapes of the release API that release-common does not
 * (yet) define. They mirror the OpenAPI spec of the backend
 * (plugins/release-backend/src/schema/openapi.yaml) one to one and are
 * candidates to move to release-common.
 */
import {
  ConfigurationDiff,
  PhaseDatabase,
  PhaseSizing,
  Promotion,
  Release,
} from '@release-manager/backstage-plugin-release-common';

/** The phase summary of one entity (spec: `EntityStatus`), from release-common. */
export type { EntityStatus } from '@release-manager/backstage-plugin-release-common';

/**
 * One decision on a promotion (spec: `Approval`).
 *
 * @public
 */
export interface Approval {
  userRef: string;
  decision: 'approve' | 'reject';
  comment?: string;
  decidedAt: string;
  /** False when the release artifact or phase configuration changed after the decision. */
  valid: boolean;
}

/**
 * What a promotion is: a promotion of a newer release, or a rollback.
 *
 * @public
 */
export type PromotionKind = 'promote' | 'rollback';

/**
 * A promotion with its approvals and release (spec: `PromotionDetail`).
 *
 * @public
 */
export interface PromotionDetail extends Promotion {
  kind: PromotionKind;
  approvals: Approval[];
  /** Distinct valid approvals the phase needs. */
  approvalsRequired: number;
  configVersion?: number;
  configHash?: string;
  /** Why a freeze window or lock was overridden, when it was. */
  overrideReason?: string;
  /** True when the `requires` gate was skipped with its permission. */
  skippedRequires: boolean;
  release: Release;
  /** The deployment provider of the phase when it was requested. */
  providerType?: string;
  /** When a deployment still running fails. */
  deadlineAt?: string;
  /** Progress messages reported by the provider, oldest first. */
  progress?: ProgressEntry[];
}

/**
 * One progress report of a deployment provider.
 *
 * @public
 */
export interface ProgressEntry {
  at: string;
  message: string;
  percent?: number;
}

/**
 * One entry of the append-only ledger (spec: `HistoryEntry`).
 *
 * @public
 */
export interface HistoryEntry {
  id: string;
  entityRef: string;
  phase?: string;
  version?: string;
  promotionId?: string;
  /** E.g. `release.create`, `promotion.request`, `approval.approve`, `phase.lock`. */
  action: string;
  actor: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  createdAt: string;
}

/**
 * Body of `POST …/promotions` (spec: `CreatePromotionRequest`).
 *
 * @public
 */
export interface CreatePromotionRequest {
  version: string;
  phase: string;
  comment?: string;
  /** Promote although the release has not succeeded in the required phase. */
  skipRequires?: boolean;
  /** Deploy through a freeze window or lock, with the reason recorded. */
  override?: { reason: string };
}

/**
 * Body of approve and reject (spec: `DecisionRequest`).
 *
 * @public
 */
export interface DecisionRequest {
  /** Required by the backend for a rejection. */
  comment?: string;
  override?: { reason: string };
}

/**
 * Body of `POST …/phases/:phase/rollback` (spec: `RollbackRequest`).
 *
 * @public
 */
export interface RollbackRequest {
  /** The release to go back to; default: the previous good one. */
  version?: string;
  comment?: string;
}

/**
 * What is known of a secret of a phase (spec: `SecretMetadata`); never its value.
 *
 * @public
 */
export interface SecretMetadata {
  name: string;
  /** Keyed fingerprint to compare values between phases; never the value. */
  fingerprint: string;
  updatedBy: string;
  updatedAt: string;
}

/**
 * The configuration in force in a phase (spec: `PhaseConfigView`).
 *
 * @public
 */
export interface PhaseConfigView {
  /** 0 while the phase has never been configured. */
  version: number;
  hash: string;
  createdBy: string;
  createdAt: string;
  variables: Record<string, string>;
  database?: PhaseDatabase;
  sizing?: PhaseSizing;
  secrets: SecretMetadata[];
}

/**
 * Body of `PUT …/phases/:phase/config` (spec: `PutPhaseConfigRequest`).
 *
 * @public
 */
export interface PutPhaseConfigRequest {
  variables: Record<string, string>;
  database?: PhaseDatabase;
  sizing?: PhaseSizing;
  /** The version the change is based on; the backend answers 409 when it is stale. */
  expectedVersion: number;
  /** Why, shown in the configuration history. */
  comment?: string;
}

/**
 * The version a configuration change created (spec: `PhaseConfigVersion`).
 *
 * @public
 */
export interface PhaseConfigVersion {
  version: number;
  hash: string;
  createdBy: string;
  createdAt: string;
  /** What changed, e.g. "3 variables changed, sizing changed". */
  change?: string;
  /** Why, as its author wrote it. */
  comment?: string;
}

/**
 * One side of a {@link PhaseDiff} (spec: `DiffSide`).
 *
 * @public
 */
export interface PhaseDiffSide {
  phase: string;
  /** The release running in the phase; null when none does. */
  version?: string | null;
  configVersion: number;
}

/**
 * What differs between two phases (spec: `PhaseDiff`): versions, the
 * releases in between, and configuration; secrets by fingerprint only.
 *
 * @public
 */
export interface PhaseDiff extends ConfigurationDiff {
  from: PhaseDiffSide;
  to: PhaseDiffSide;
  /** Versions the target phase would move past, oldest first. */
  releases: string[];
}

/**
 * A page of a phase's configuration versions, newest first (spec:
 * `ConfigVersionPage`); version 0, the template default, ends the last page.
 *
 * @public
 */
export interface ConfigVersionPage {
  items: PhaseConfigVersion[];
  nextCursor?: string;
}

/**
 * One version of a phase's configuration (spec: `ConfigVersionView`);
 * secrets as name and fingerprint only.
 *
 * @public
 */
export interface ConfigVersionView extends PhaseConfigVersion {
  variables: Record<string, string>;
  database?: PhaseDatabase;
  sizing?: PhaseSizing;
  secrets: Array<{ name: string; fingerprint: string }>;
}

/**
 * What differs between two versions of a phase's configuration (spec:
 * `ConfigVersionDiff`).
 *
 * @public
 */
export interface ConfigVersionDiff extends ConfigurationDiff {
  from: PhaseConfigVersion;
  to: PhaseConfigVersion;
  /** E.g. "2 variables changed, sizing changed". */
  summary: string;
}

/**
 * Body of `POST …/phases/:phase/config/restore` (spec: `RestoreConfigRequest`).
 *
 * @public
 */
export interface RestoreConfigRequest {
  /** The version to make current again (0 is the template default). */
  version: number;
  /** The version in force the restore is based on; 409 when stale. */
  expectedVersion: number;
  comment?: string;
}
