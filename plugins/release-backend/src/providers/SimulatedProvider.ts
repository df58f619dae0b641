import { Config } from '@backstage/config';
import {
  DeploymentProvider,
  DeploymentRequest,
  DeploymentResult,
} from '@release-manager/backstage-plugin-release-node';
import { createHash } from 'crypto';

const DEFAULT_STEPS = [
  'Pulling the release artifact',
  'Applying the phase configuration',
  'Rolling out replicas',
  'Running health checks',
];

/** Settings of the simulated provider. */
export interface SimulatedProviderOptions {
  /** How long a deployment takes. */
  durationMs: number;
  /** Progress messages shown in turn while it runs. */
  steps: string[];
  /** Share of deployments that fail, 0 to 1 (decided per promotion, repeatably). */
  failureRate: number;
}

/**
 * The demo provider: "deploys" by waiting, reporting progress steps, then
 * succeeding or failing. It keeps no state: the start time travels in the
 * external id, so any replica can answer for any deployment.
 */
export class SimulatedProvider implements DeploymentProvider {
  readonly type = 'simulated';

  static fromConfig(config: Config, clock: () => Date = () => new Date()) {
    const c = config.getOptionalConfig('release.providers.simulated');
    const failureRate = c?.getOptionalNumber('failureRate') ?? 0;
    if (failureRate < 0 || failureRate > 1) {
      throw new Error(
        'release.providers.simulated.failureRate must be between 0 and 1',
      );
    }
    return new SimulatedProvider(
      {
        durationMs: c?.getOptionalNumber('durationMs') ?? 20_000,
        steps: c?.getOptionalStringArray('steps') ?? DEFAULT_STEPS,
        failureRate,
      },
      clock,
    );
  }

  constructor(
    private readonly options: SimulatedProviderOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private fails(request: DeploymentRequest): boolean {
    const settings = request.settings as { failureRate?: number };
    const rate =
      typeof settings.failureRate === 'number'
        ? settings.failureRate
        : this.options.failureRate;
    const h = createHash('sha256').update(request.promotionId).digest();
    return h.readUInt32BE(0) / 0xffffffff < rate;
  }

  private statusAt(
    request: DeploymentRequest,
    startMs: number,
  ): DeploymentResult {
    const elapsed = this.clock().getTime() - startMs;
    const externalId = `sim:${request.promotionId}:${startMs}`;
    const url = undefined;
    if (elapsed >= this.options.durationMs) {
      const failed = this.fails(request);
      return {
        externalId,
        url,
        status: failed ? 'failed' : 'succeeded',
        progress: 100,
        message: failed
          ? `Simulated failure: health checks of ${request.release.version} did not pass`
          : `${request.release.version} is running in ${request.phase}`,
      };
    }
    const steps = this.options.steps.length
      ? this.options.steps
      : DEFAULT_STEPS;
    const i = Math.min(
      steps.length - 1,
      Math.floor((elapsed / this.options.durationMs) * steps.length),
    );
    return {
      externalId,
      url,
      status: 'running',
      progress: Math.floor((elapsed / this.options.durationMs) * 100),
      message: `${steps[i]} (${i + 1}/${steps.length})`,
    };
  }

  async deploy(request: DeploymentRequest): Promise<DeploymentResult> {
    return this.statusAt(request, this.clock().getTime());
  }

  async getStatus(
    request: DeploymentRequest & { externalId?: string },
  ): Promise<DeploymentResult | null> {
    const m = /^sim:(.+):(\d+)$/.exec(request.externalId ?? '');
    if (!m || m[1] !== request.promotionId) {
      // Nothing was started for this promotion (no external id was stored).
      return null;
    }
    return this.statusAt(request, Number(m[2]));
  }
}
