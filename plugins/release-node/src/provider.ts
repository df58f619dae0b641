import {
  PhaseConfiguration,
  Release,
} from '@release-manager/backstage-plugin-release-common';

/**
 * Status a provider reports for a deployment. `unknown` means the provider
 * could not tell (timeout, malformed answer); it is retried, never taken as
 * success.
 * @public
 */
export type DeploymentStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'unknown';

/**
 * What a provider is asked to deploy: exactly one release artifact with the
 * phase configuration snapshotted when the promotion was requested.
 * @public
 */
export interface DeploymentRequest {
  /** The promotion id; stable across retries, use it as an idempotency key. */
  promotionId: string;
  entityRef: string;
  phase: string;
  release: Release;
  /** The resolved phase configuration, including decrypted secret values. */
  config: PhaseConfiguration & { secrets: Record<string, string> };
  /** The provider settings of the phase from app-config. */
  settings: Record<string, unknown>;
  /**
   * The version of the phase configuration the promotion is bound to (its
   * snapshot), when the dispatcher knows it. Providers pass it on (workflow
   * input, annotation) so a deployment can be traced to its configuration.
   */
  configVersion?: number;
}

/** A provider's answer about a deployment. @public */
export interface DeploymentResult {
  /** Percentage done (0 to 100), when the provider knows it. */
  progress?: number;
  /** The provider's id of the run; stored before anything else happens. */
  externalId?: string;
  /** Link to the provider's run, shown to users. */
  url?: string;
  status: DeploymentStatus;
  /** A progress message for the UI. */
  message?: string;
}

/**
 * A deployment provider: hands a release and its phase configuration to a
 * deployment system and reports its status.
 * @public
 */
export interface DeploymentProvider {
  /** The provider type phases select with `provider.type`. */
  readonly type: string;
  /**
   * Starts a deployment. Must honour `signal` (the call's deadline). Should be
   * idempotent for the same `request.promotionId`.
   */
  deploy(
    request: DeploymentRequest,
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult>;
  /**
   * Asks for the real state of a deployment: by `externalId` when `deploy`
   * returned one, else by `request.promotionId`. Used to follow a run and,
   * after a crash between dispatch and acknowledgement, to find out whether
   * the deployment exists before dispatching again. Return `null` when the
   * provider knows for sure that no deployment of this promotion exists;
   * `{ status: 'unknown' }` when it cannot tell.
   */
  getStatus?(
    request: DeploymentRequest & { externalId?: string },
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult | null>;
}
