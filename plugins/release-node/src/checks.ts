import { Entity } from '@backstage/catalog-model';
import {
  CheckStatus,
  Release,
} from '@release-manager/backstage-plugin-release-common';

/** What a check is asked to evaluate. @public */
export interface ReleaseCheckContext {
  /** The entity being released, e.g. `component:default/payments-api`. */
  entityRef: string;
  /** The catalog entity, when the engine has it at hand. */
  entity?: Entity;
  /** The release the check is about. */
  release: Release;
  /** The phase id the release goes to (or went to). */
  phase: string;
  /** The promotion, when the check is evaluated for one. */
  promotionId?: string;
  /** The check's settings from the phase's `checks:` config (without type, name, when, window, onFailure). */
  settings: Record<string, unknown>;
  /** The check's name in the phase. */
  name: string;
}

/** A check's answer. @public */
export interface ReleaseCheckResult {
  /** `pending`: not decided yet (a before-deploy check holds the deployment, an after-deploy check is asked again). */
  status: CheckStatus;
  /** One line for users: why it passed, failed or waits. */
  summary: string;
  /** Where to read more (a dashboard, a run). */
  url?: string;
}

/**
 * A verification check provider: evaluated for an entity, a release and a
 * phase before a deployment (as a gate) or after it (to verify it).
 * @public
 */
export interface ReleaseCheck {
  /** The type phases select with `checks[].type`. */
  readonly type: string;
  /**
   * Evaluates the check. Must honour `signal` (the call's deadline). A thrown
   * error or a missed deadline counts as `failed` with the error's message.
   */
  evaluate(
    context: ReleaseCheckContext,
    options: { signal: AbortSignal },
  ): Promise<ReleaseCheckResult>;
}
