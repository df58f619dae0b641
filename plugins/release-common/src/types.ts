import type { DeploymentWindowState } from './time';

/** The annotation that opts a catalog entity into a release pipeline. @public */
export const RELEASE_PIPELINE_ANNOTATION = 'release.backstage.io/pipeline';

/** Deployment provider selection of a phase. @public */
export interface PhaseProviderSettings {
  /** Provider type, e.g. `simulated`, `webhook`, `github-actions`, `argocd`. */
  type: string;
  /** Provider-specific settings, passed to the provider as they are. */
  [key: string]: unknown;
}

/** A recurring freeze: starts on a cron schedule and lasts `duration`. @public */
export interface FreezeWindow {
  /** Five-field cron expression for the start of each window. */
  cron: string;
  /** ISO 8601 duration, e.g. `PT12H` or `P2D`. */
  duration: string;
  /** IANA time zone the cron expression is read in; default UTC. */
  timezone?: string;
  /** Shown to users while the window is active. */
  reason?: string;
}

/**
 * A recurring deployment window: the phase may deploy from each start of
 * the cron schedule for `duration` (the inverse of a freeze window).
 * @public
 */
export interface DeploymentWindow {
  /** Five-field cron expression for the start of each window. */
  cron: string;
  /** ISO 8601 duration, e.g. `PT7H`. */
  duration: string;
  /** IANA time zone the cron expression is read in; default UTC. */
  timezone?: string;
  /** Shown to users, e.g. "office hours". */
  reason?: string;
}

/** Approval gate of a phase. @public */
export interface ApprovalGate {
  /** Distinct eligible approvals needed; 0 means no approval step. */
  required: number;
  /** Approvers (user or group refs); default: the phase approvers. */
  approvers?: string[];
  /** Whether the requester may approve their own promotion. */
  allowSelfApproval: boolean;
}

/** Who may do what in a phase; user or group entity refs. @public */
export interface PhaseAccess {
  deployers: string[];
  approvers: string[];
  configEditors: string[];
}

/** Sizing of a phase's runtime. @public */
export interface PhaseSizing {
  replicas?: number;
  cpu?: string;
  memory?: string;
}

/** Database binding of a phase. @public */
export interface PhaseDatabase {
  engine?: string;
  host?: string;
  port?: number;
  name?: string;
  user?: string;
  /** Name of the phase secret holding the password. */
  passwordSecret?: string;
}

/** The configuration a release runs with in one phase. @public */
export interface PhaseConfiguration {
  variables: Record<string, string>;
  database?: PhaseDatabase;
  sizing?: PhaseSizing;
}

/**
 * One phase of a pipeline template, as resolved from `app-config.yaml`.
 * Access lists left empty in config are filled with the entity's owners
 * when evaluated for a given entity.
 * @public
 */
export interface PhaseDefinition {
  id: string;
  title: string;
  /** 0-based position in the pipeline. */
  order: number;
  provider: PhaseProviderSettings;
  autoPromote: boolean;
  /** The phase a release must have succeeded in first; null for the first phase. */
  requires: string | null;
  approvals: ApprovalGate;
  freezeWindows: FreezeWindow[];
  /**
   * Windows the phase may deploy in; absent or empty means any time.
   */
  deploymentWindows?: DeploymentWindow[];
  /** ISO 8601 duration a release must have run in `requires` before promotion. */
  soakTime?: string;
  /** Access lists from config; undefined means "the entity's owners". */
  access: Partial<PhaseAccess>;
  /** Default phase configuration from the template. */
  config: PhaseConfiguration;
  /** Verification checks of the phase (`checks:` in config). */
  checks?: PhaseCheck[];
}

/**
 * When a check runs: `before-deploy` checks are gates (evaluated when
 * approving and at deploy time); `after-deploy` checks verify a deployment
 * during their `window` before it counts as succeeded.
 * @public
 */
export type CheckWhen = 'before-deploy' | 'after-deploy';

/** A verification check configured on a phase. @public */
export interface PhaseCheck {
  /** The check provider type (`http`, `catalog`, `tech-insights`, or a module's). */
  type: string;
  /** Unique within the phase; shown to users. */
  name: string;
  when: CheckWhen;
  /** ISO 8601 duration an after-deploy check may take to pass (default PT10M). */
  window?: string;
  /** `rollback`: a failed after-deploy check requests a rollback of the phase. */
  onFailure?: 'rollback';
  /** The provider's settings: every other key of the check's config. */
  settings: Record<string, unknown>;
}

/** Outcome of one check evaluation. @public */
export type CheckStatus = 'passed' | 'failed' | 'pending';

/** The result of a check, as gates and users see it. @public */
export interface CheckOutcome {
  name: string;
  type: string;
  when: CheckWhen;
  status: CheckStatus;
  summary: string;
  url?: string;
}

/** A pipeline template: an ordered list of phases. @public */
export interface PipelineTemplate {
  name: string;
  title?: string;
  phases: PhaseDefinition[];
  /**
   * The phase that counts as production for delivery metrics; default the
   * last phase.
   */
  productionPhase?: string;
}

/** A release: an immutable version of an entity. @public */
export interface Release {
  entityRef: string;
  version: string;
  /** Image digest, package coordinate or commit that is deployed. */
  artifact: string;
  commit?: string;
  notes?: string;
  /** When the commit was made, if CI said so. */
  committedAt?: string;
  /** Planned target date (ISO) per phase id: planned, not enforced. */
  plannedAt?: Record<string, string>;
  createdBy: string;
  createdAt: string;
}

/** States of a promotion. @public */
export type PromotionStatus =
  | 'pending_approval'
  | 'approved'
  | 'queued'
  | 'deploying'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'cancelled'
  | 'superseded';

/** All promotion states, in lifecycle order. @public */
export const PROMOTION_STATUSES: readonly PromotionStatus[] = [
  'pending_approval',
  'approved',
  'queued',
  'deploying',
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'superseded',
];

/** A request to run a release in a phase. @public */
export interface Promotion {
  id: string;
  entityRef: string;
  phase: string;
  version: string;
  status: PromotionStatus;
  requestedBy: string;
  requestedAt: string;
  comment?: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Link to the provider's run. */
  externalUrl?: string;
  /** Latest progress message from the provider. */
  progressMessage?: string;
  /** A scheduled promotion deploys no earlier than this time. */
  scheduledAt?: string;
  /** The release train this promotion is a member of. */
  trainId?: string;
}

/** The state of a release in one phase, as shown in the release matrix. @public */
export interface ReleasePhaseStatus {
  status: PromotionStatus;
  promotionId: string;
  updatedAt: string;
  /** True when this release is what currently runs in the phase. */
  current: boolean;
  /** While the promotion waits (pending approval or approved), the time it is scheduled for. */
  scheduledAt?: string;
  /** Who requested the promotion (with `scheduledAt`, who scheduled it). */
  requestedBy?: string;
}

/** A release with its state in each phase. @public */
export interface ReleaseWithStatus extends Release {
  /** Keyed by phase id; phases the release never entered are absent. */
  phases: Record<string, ReleasePhaseStatus>;
}

/** What runs in a phase now. @public */
export interface PhaseCurrentRelease {
  version: string;
  promotionId: string;
  deployedAt: string;
  deployedBy: string;
}

/** A manual phase lock. @public */
export interface PhaseLock {
  reason: string;
  lockedBy: string;
  lockedAt: string;
}

/** An active freeze window. @public */
export interface ActiveFreeze {
  reason?: string;
  startedAt: string;
  endsAt: string;
}

/** Summary of a phase's gates for display. @public */
export interface GateSummary {
  requires: string | null;
  approvalsRequired: number;
  allowSelfApproval: boolean;
  freezeWindows: number;
  soakTime?: string;
  autoPromote: boolean;
}

/** A phase of an entity's pipeline with its live state. @public */
export interface PipelinePhaseView {
  id: string;
  title: string;
  order: number;
  providerType: string;
  current: PhaseCurrentRelease | null;
  /** The promotion queued or deploying in this phase, if any. */
  active: Promotion | null;
  /** Promotions waiting for approval. */
  pending: Promotion[];
  /** Outcome of the most recent finished promotion. */
  lastOutcome: Promotion | null;
  lock: PhaseLock | null;
  freeze: ActiveFreeze | null;
  gates: GateSummary;
  /** The phase's deployment windows and whether one is open now. */
  deploymentWindows?: DeploymentWindowState & { windows: DeploymentWindow[] };
  /**
   * What the caller may do in this phase, each with the reason when not. The
   * backend always sends every action; a client treats a missing one as
   * allowed (the server still decides when the user submits).
   */
  actions?: Partial<PhaseActions>;
  /** The phase's verification checks with their last results. */
  checks?: PhaseCheckView[];
}

/** The last stored result of a check. @public */
export interface CheckResultView extends CheckOutcome {
  /** The release version it was evaluated for. */
  version: string;
  promotionId?: string;
  evaluatedAt: string;
}

/** A check configured on a phase, with its last result. @public */
export interface PhaseCheckView {
  name: string;
  type: string;
  when: CheckWhen;
  window?: string;
  onFailure?: 'rollback';
  last: CheckResultView | null;
}

/** Whether the caller may take one action, and why not when they may not. @public */
export interface PhaseCapability {
  allowed: boolean;
  /** Said to the person when not allowed, naming the phase by its title. */
  reason?: string;
}

/**
 * What the caller may do in one phase, from both access layers (phase access
 * from the pipeline config and the permission framework).
 * @public
 */
export interface PhaseActions {
  deploy: PhaseCapability;
  approve: PhaseCapability;
  editConfig: PhaseCapability;
  lock: PhaseCapability;
  skip: PhaseCapability;
  rollback: PhaseCapability;
}

/** An entity's pipeline. @public */
export interface PipelineView {
  entityRef: string;
  template: string;
  phases: PipelinePhaseView[];
}

/** The phase summary of one entity, as `POST /status` answers it. @public */
export interface EntityStatus {
  entityRef: string;
  phases: Array<{
    id: string;
    title: string;
    currentVersion?: string;
    activeStatus?: PromotionStatus;
    pending: number;
    /** Waiting promotions scheduled for a time; absent when none. */
    scheduled?: number;
    /** A deployment failed in the phase since what runs there now was deployed. */
    failed?: boolean;
  }>;
}

/** A page of results with an opaque cursor for the next one. @public */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** Body of `POST …/releases`. @public */
export interface CreateReleaseRequest {
  version: string;
  artifact: string;
  commit?: string;
  notes?: string;
  /** When the commit was made (ISO); lead time counts from it. */
  committedAt?: string;
  /** Planned target date (ISO) per phase id. */
  plannedAt?: Record<string, string>;
}

/** Body of `PATCH …/releases/{version}/plan`: null clears a phase's date. @public */
export interface UpdateReleasePlanRequest {
  plannedAt: Record<string, string | null>;
}
