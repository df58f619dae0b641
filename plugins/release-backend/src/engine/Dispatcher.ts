import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  DeploymentRequest,
  DeploymentResult,
} from '@release-manager/backstage-plugin-release-node';
import { randomUUID } from 'crypto';
import { DispatchStore } from '../database/DispatchStore';
import { StoredPromotion } from '../database/PromotionStore';
import { ReleaseStore } from '../database/ReleaseStore';
import { ProviderRegistry } from '../providers/ProviderRegistry';

/** Timing of dispatch. */
export interface DispatcherOptions {
  /** Whether this instance dispatches at all. */
  enabled: boolean;
  /** How often each replica looks for due work (it is also woken at once). */
  pollIntervalMs: number;
  /** How long a claim lasts before another replica may take over. */
  leaseMs: number;
  /** Deadline of one provider call. */
  callTimeoutMs: number;
  /** Provider calls answered `unknown` before the promotion fails. */
  maxUnknown: number;
  /** First retry delay after `unknown`; doubles each time. */
  backoffMs: number;
  /** How long a deployment may take before it fails. */
  deploymentTimeoutMs: number;
  /** How often a running deployment is asked for its status. */
  followIntervalMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  enabled: true,
  pollIntervalMs: 2_000,
  leaseMs: 60_000,
  callTimeoutMs: 15_000,
  maxUnknown: 5,
  backoffMs: 2_000,
  deploymentTimeoutMs: 30 * 60_000,
  followIntervalMs: 2_000,
};

/** What may stop a queued promotion from deploying now (locks, freezes). */
export type DeployGate = (
  promotion: StoredPromotion,
) => Promise<string | undefined>;

/**
 * Hands queued promotions to their deployment provider and follows them to
 * the end. All state is in the database: promotions are claimed with a
 * lease, the external id is stored before the promotion shows as deploying,
 * and every step reschedules itself, so a crash at any point is resumed by
 * whichever replica claims the promotion next — after asking the provider
 * what really happened.
 */
export class Dispatcher {
  readonly owner = `dispatcher-${randomUUID()}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly deps: {
      store: DispatchStore;
      releases: ReleaseStore;
      providers: ProviderRegistry;
      logger: LoggerService;
      auditor: AuditorService;
      clock: () => Date;
      gate: DeployGate;
      /** Decrypted phase secrets for the provider call (and only for it). */
      secretsFor: (
        promotion: StoredPromotion,
      ) => Promise<Record<string, string>>;
      onFinished: (promotion: StoredPromotion) => Promise<void>;
    },
    private readonly options: DispatcherOptions = DEFAULT_DISPATCHER_OPTIONS,
  ) {}

  start() {
    if (!this.options.enabled) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Look for work now (called when a promotion is queued). */
  wake() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch(e => this.deps.logger.error(`Release dispatch failed: ${e}`))
        .then(() => {
          this.running = undefined;
          if (!this.stopped) {
            const next = this.again ? 0 : this.options.pollIntervalMs;
            this.again = false;
            this.schedule(next);
          }
        });
    }, delay);
    this.timer.unref?.();
  }

  /** Processes every promotion that is due; returns how many it handled. */
  async runOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const promotion = await this.deps.store.claim({
        owner: this.owner,
        leaseMs: this.options.leaseMs,
      });
      if (!promotion) return handled;
      handled++;
      try {
        await this.process(promotion);
      } catch (e) {
        this.deps.logger.error(
          `Dispatch of promotion ${promotion.id} failed: ${e}`,
        );
        await this.retryOrFail(promotion, {
          status: 'unknown',
          message: String((e as Error).message),
        });
      }
    }
  }

  private async request(p: StoredPromotion): Promise<DeploymentRequest> {
    const release = await this.deps.releases.getRelease(p.entityRef, p.version);
    if (!release || !p.snapshot) {
      throw new Error(
        `Promotion ${p.id} has no release or no configuration snapshot`,
      );
    }
    const { id: _id, ...releaseView } = release;
    const { type: _type, ...settings } = p.snapshot.provider;
    return {
      promotionId: p.id,
      entityRef: p.entityRef,
      phase: p.phase,
      release: releaseView,
      config: { ...p.snapshot.config, secrets: await this.deps.secretsFor(p) },
      configVersion: p.configVersion,
      settings,
    };
  }

  private async call<T>(
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T | DeploymentResult> {
    const signal = AbortSignal.timeout(this.options.callTimeoutMs);
    try {
      return await Promise.race([
        fn(signal),
        new Promise<DeploymentResult>(resolve =>
          signal.addEventListener('abort', () =>
            resolve({
              status: 'unknown',
              message: 'The provider did not answer within the deadline',
            }),
          ),
        ),
      ]);
    } catch (e) {
      return {
        status: 'unknown',
        message: `The provider call failed: ${(e as Error).message}`,
      };
    }
  }

  private async process(p: StoredPromotion) {
    const { store } = this.deps;
    const provider = this.deps.providers.get(p.snapshot?.provider.type ?? '');
    if (!provider) {
      await this.fail(
        p,
        `No deployment provider of type '${p.snapshot?.provider.type}' is installed`,
      );
      return;
    }
    const req = await this.request(p);

    if (p.status === 'deploying') {
      await this.follow(p, req);
      return;
    }

    // Queued. Gates are checked again at deploy time.
    const blocker = await this.deps.gate(p);
    if (blocker) {
      await store.reschedule(p.id, this.owner, {
        nextAttemptAt: new Date(this.deps.clock().getTime() + 30_000),
        report: { message: `Waiting: ${blocker}` },
      });
      return;
    }

    // A previous attempt may have reached the provider before a crash: ask first.
    if (p.attempts > 0 || p.externalId) {
      if (!provider.getStatus) {
        await this.fail(
          p,
          'A previous dispatch may have reached the provider, which cannot be asked; not deploying twice',
        );
        return;
      }
      const found = await this.call(signal =>
        provider.getStatus!({ ...req, externalId: p.externalId }, { signal }),
      );
      if (found === null) {
        // The provider knows nothing of it: safe to dispatch.
      } else if (found.status === 'unknown') {
        await this.retryOrFail(p, found);
        return;
      } else {
        await this.deployed(p, found);
        return;
      }
    }

    await store.recordAttempt(p.id, this.owner);
    const result = await this.call(signal => provider.deploy(req, { signal }));
    if (result === null || result.status === 'unknown') {
      await this.retryOrFail(
        { ...p, attempts: p.attempts + 1 },
        result ?? { status: 'unknown' },
      );
      return;
    }
    await this.deployed(p, result);
  }

  /** A provider took the deployment: store its id first, then deploying. */
  private async deployed(p: StoredPromotion, result: DeploymentResult) {
    const now = this.deps.clock().getTime();
    if (result.status === 'failed') {
      await this.fail(
        p,
        result.message ?? 'The provider reported a failure',
        result,
      );
      return;
    }
    await this.deps.store.markDeploying(p.id, this.owner, {
      externalId: result.externalId,
      url: result.url,
      message: result.message ?? 'Deployment started',
      percent: result.progress,
      deadlineAt: new Date(now + this.options.deploymentTimeoutMs),
    });
    if (result.status === 'succeeded') {
      await this.finish(p, 'succeeded', result);
      return;
    }
    await this.deps.store.reschedule(p.id, this.owner, {
      nextAttemptAt: new Date(now + this.options.followIntervalMs),
    });
  }

  private async follow(p: StoredPromotion, req: DeploymentRequest) {
    const provider = this.deps.providers.get(p.snapshot!.provider.type)!;
    const now = this.deps.clock();
    if (p.deadlineAt && Date.parse(p.deadlineAt) < now.getTime()) {
      await this.fail(
        p,
        'The deployment did not finish before its deadline',
        undefined,
        true,
      );
      return;
    }
    if (!provider.getStatus) {
      // Nothing to ask: wait for a callback or the deadline.
      await this.deps.store.reschedule(p.id, this.owner, {
        nextAttemptAt: new Date(
          now.getTime() + this.options.followIntervalMs * 5,
        ),
      });
      return;
    }
    const status = await this.call(signal =>
      provider.getStatus!({ ...req, externalId: p.externalId }, { signal }),
    );
    if (status === null) {
      await this.fail(p, 'The provider no longer knows this deployment');
    } else if (status.status === 'succeeded' || status.status === 'failed') {
      await this.finish(p, status.status, status);
    } else if (status.status === 'unknown') {
      await this.retryOrFail(p, status);
    } else {
      await this.deps.store.reschedule(p.id, this.owner, {
        nextAttemptAt: new Date(now.getTime() + this.options.followIntervalMs),
        report: {
          message: status.message,
          percent: status.progress,
          url: status.url,
          externalId: status.externalId,
        },
      });
    }
  }

  /** `unknown` is retried with backoff, then failed; never taken as success. */
  private async retryOrFail(p: StoredPromotion, result: DeploymentResult) {
    const unknowns =
      p.progress.filter(e => e.message.startsWith('Unknown:')).length + 1;
    if (unknowns >= this.options.maxUnknown) {
      await this.fail(
        p,
        `The provider's state stayed unknown after ${unknowns} tries: ${
          result.message ?? ''
        }`.trim(),
      );
      return;
    }
    const delay = this.options.backoffMs * 2 ** (unknowns - 1);
    await this.deps.store.reschedule(p.id, this.owner, {
      nextAttemptAt: new Date(this.deps.clock().getTime() + delay),
      report: {
        message: `Unknown: ${
          result.message ?? 'no usable answer'
        } (retry ${unknowns} in ${Math.round(delay / 1000)}s)`,
      },
    });
  }

  private async fail(
    p: StoredPromotion,
    message: string,
    result?: DeploymentResult,
    deadline = false,
  ) {
    if (deadline) {
      const event = await this.deps.auditor.createEvent({
        eventId: 'promotion-deadline',
        severityLevel: 'high',
        meta: {
          promotionId: p.id,
          entityRef: p.entityRef,
          phase: p.phase,
          version: p.version,
        },
      });
      await event.fail({ error: new Error(message) });
    }
    await this.finish(p, 'failed', { ...result, status: 'failed', message });
  }

  private async finish(
    p: StoredPromotion,
    outcome: 'succeeded' | 'failed',
    result: DeploymentResult,
  ) {
    const done = await this.deps.store.finish(p.id, this.owner, outcome, {
      actor: 'system:dispatcher',
      report: {
        message: result.message,
        url: result.url,
        externalId: result.externalId,
        percent: result.progress,
      },
    });
    if (done) {
      await this.deps.onFinished(done);
    }
  }
}
