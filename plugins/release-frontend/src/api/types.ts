/*
 * Response and request shapes of the release API, generated from the
 * backend's OpenAPI spec (plugins/release-backend/src/schema/openapi.yaml) by
 * `yarn openapi:generate` (openapi-typescript) into `openapi.generated.ts`;
 * `yarn openapi:check` fails when that file is stale. The names below are
 * the ones the components import.
 */
import type {
  ConfigurationDiff,
  PipelinePhaseView,
} from '@release-manager/backstage-plugin-release-common';
import type { components } from './openapi.generated';

/**
 * Every schema of the release API, as generated from its OpenAPI spec.
 *
 * @public
 */
export type ReleaseApiSchemas = components['schemas'];

/** The phase summary of one entity (spec: `EntityStatus`), from release-common. */
export type { EntityStatus } from '@release-manager/backstage-plugin-release-common';

/**
 * One decision on a promotion (spec: `Approval`).
 *
 * @public
 */
export type Approval = ReleaseApiSchemas['Approval'];

/**
 * A promotion with its approvals and release (spec: `PromotionDetail`).
 *
 * @public
 */
export type PromotionDetail = ReleaseApiSchemas['PromotionDetail'];

/**
 * What a promotion is: a promotion of a newer release, or a rollback.
 *
 * @public
 */
export type PromotionKind = PromotionDetail['kind'];

/**
 * One progress report of a deployment provider.
 *
 * @public
 */
export type ProgressEntry = NonNullable<PromotionDetail['progress']>[number];

/**
 * One entry of the append-only ledger (spec: `HistoryEntry`).
 *
 * @public
 */
export type HistoryEntry = ReleaseApiSchemas['HistoryEntry'];

/**
 * Body of `POST …/promotions` (spec: `CreatePromotionRequest`).
 *
 * @public
 */
export type CreatePromotionRequest =
  ReleaseApiSchemas['CreatePromotionRequest'];

/**
 * Body of approve and reject (spec: `DecisionRequest`).
 *
 * @public
 */
export type DecisionRequest = ReleaseApiSchemas['DecisionRequest'];

/**
 * Body of `PUT /promotions/:id/schedule` (spec: `ScheduleRequest`): a time,
 * the phase's next deployment window, or neither (as soon as approved).
 *
 * @public
 */
export type ScheduleRequest = ReleaseApiSchemas['ScheduleRequest'];

/**
 * Body of `POST …/phases/:phase/rollback` (spec: `RollbackRequest`).
 *
 * @public
 */
export type RollbackRequest = ReleaseApiSchemas['RollbackRequest'];

/**
 * What is known of a secret of a phase (spec: `SecretMetadata`); never its value.
 *
 * @public
 */
export type SecretMetadata = ReleaseApiSchemas['SecretMetadata'];

/**
 * The configuration in force in a phase (spec: `PhaseConfigView`).
 *
 * @public
 */
export type PhaseConfigView = ReleaseApiSchemas['PhaseConfigView'];

/**
 * Body of `PUT …/phases/:phase/config` (spec: `PutPhaseConfigRequest`).
 *
 * @public
 */
export type PutPhaseConfigRequest = ReleaseApiSchemas['PutPhaseConfigRequest'];

/**
 * The version a configuration change created (spec: `PhaseConfigVersion`).
 *
 * @public
 */
export type PhaseConfigVersion = ReleaseApiSchemas['PhaseConfigVersion'];

/**
 * One side of a {@link PhaseDiff} (spec: `DiffSide`).
 *
 * @public
 */
export type PhaseDiffSide = ReleaseApiSchemas['DiffSide'];

/**
 * What differs between two phases (spec: `PhaseDiff`): versions, the
 * releases in between, and configuration; secrets by fingerprint only.
 *
 * @public
 */
export type PhaseDiff = ReleaseApiSchemas['PhaseDiff'];

/**
 * What the caller may do in one phase (spec: `PhaseActions`).
 *
 * @public
 */
export type PhaseActions = ReleaseApiSchemas['PhaseActions'];

/**
 * One entity with a pipeline and its phases (spec: `PortfolioEntry`).
 *
 * @public
 */
export type PortfolioEntry = ReleaseApiSchemas['PortfolioEntry'];

/**
 * A page of the portfolio (spec: `PortfolioPage`).
 *
 * @public
 */
export type PortfolioPage = ReleaseApiSchemas['PortfolioPage'];

/**
 * A page of a phase's configuration versions, newest first (spec:
 * `ConfigVersionPage`); version 0, the template default, ends the last page.
 *
 * @public
 */
export type ConfigVersionPage = ReleaseApiSchemas['ConfigVersionPage'];

/**
 * One version of a phase's configuration (spec: `ConfigVersionView`);
 * secrets as name and fingerprint only.
 *
 * @public
 */
export type ConfigVersionView = ReleaseApiSchemas['ConfigVersionView'];

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
export type RestoreConfigRequest = ReleaseApiSchemas['RestoreConfigRequest'];

/**
 * Whether the signed-in user may take one action on a phase, and why not.
 *
 * @public
 */
export type PhaseActionAllowance = PhaseActions['deploy'];

/**
 * A phase of the pipeline response with the caller's allowed actions. The
 * field is optional here: a backend that does not send it allows everything
 * (the server still decides when the user submits).
 *
 * @public
 */
export type PipelinePhaseWithActions = Omit<PipelinePhaseView, 'actions'> & {
  actions?: Partial<PhaseActions>;
};
