/*
 * Response and request shapes of the release API that release-common does not
 * (yet) define. They mirror the OpenAPI spec of the backend
 * (plugins/release-backend/src/schema/openapi.yaml) one to one and are
 * candidates to move to release-common.
 */
import {
  Promotion,
  PromotionStatus,
  Release,
} from '@release-manager/backstage-plugin-release-common';

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
 * The phase summary of one entity (spec: `EntityStatus`).
 *
 * @public
 */
export interface EntityStatus {
  entityRef: string;
  phases: Array<{
    id: string;
    title: string;
    currentVersion?: string;
    activeStatus?: PromotionStatus;
    pending: number;
  }>;
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
