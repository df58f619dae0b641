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
  PipelinePhaseView,
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
  change?: string;
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
 * Whether the signed-in user may take one action on a phase, and why not
 * (spec: `PhaseActionAllowance`).
 *
 * @public
 */
export interface PhaseActionAllowance {
  allowed: boolean;
  /** Why not, in words for the user (phase titles, not ids). */
  reason?: string;
}

/**
 * What the signed-in user may do in a phase (spec: `PipelinePhaseView.actions`).
 *
 * @public
 */
export interface PhaseActions {
  /** Request a promotion of a release into the phase (and retry one). */
  deploy: PhaseActionAllowance;
  /** Approve or reject promotions into the phase. */
  approve: PhaseActionAllowance;
  /** Change the phase's configuration and secrets. */
  editConfig: PhaseActionAllowance;
  /** Lock or unlock the phase. */
  lock: PhaseActionAllowance;
  /** Promote into the phase without the `requires` gate's phase. */
  skip: PhaseActionAllowance;
  /** Roll the phase back to an earlier release. */
  rollback: PhaseActionAllowance;
}

/**
 * A phase of the pipeline response with the caller's allowed actions. The
 * field is optional: a backend that does not send it allows everything (the
 * server still decides when the user submits).
 *
 * @public
 */
export type PipelinePhaseWithActions = PipelinePhaseView & {
  actions?: Partial<PhaseActions>;
};
