import { LoggerService } from '@backstage/backend-plugin-api';
import { ReleaseLifecycleEvent } from '@release-manager/backstage-plugin-release-common';
import { StoredPromotion } from '../database/PromotionStore';
import {
  CommittedHistoryEntry,
  LedgerCommitListener,
} from '../database/ReleaseStore';
import {
  needsPromotionFacts,
  PromotionFacts,
  toLifecycleEvent,
} from './ledgerEvents';

/** Something that reacts to lifecycle events (the events service, notifications). */
export interface LifecycleListener {
  /** Named in log lines. */
  readonly name: string;
  handle(event: ReleaseLifecycleEvent): Promise<void>;
}

/** Limits of delivery. */
export interface LifecycleHubOptions {
  /** How long one listener may take for one event before it is given up. */
  handleTimeoutMs: number;
  /** Committed batches waiting for delivery before new ones are dropped. */
  maxPending: number;
}

const DEFAULTS: LifecycleHubOptions = {
  handleTimeoutMs: 15_000,
  maxPending: 1_000,
};

/**
 * The one hook between committed state changes and whoever reacts to them.
 * The stores call {@link LifecycleHub.onCommit} after each commit with the
 * ledger rows it appended; the hub turns them into lifecycle events and hands
 * them to each listener in commit order, off the path of the request or
 * dispatch that made the change: nothing here is awaited by it, a listener's
 * failure or slowness is logged and never reaches it.
 */
export class LifecycleHub {
  private readonly listeners: LifecycleListener[] = [];
  private building: Promise<void> = Promise.resolve();
  private readonly queues = new Map<LifecycleListener, Promise<void>>();
  private pending = 0;
  private dropped = 0;
  private readonly options: LifecycleHubOptions;

  constructor(
    private readonly deps: {
      /** Reads a promotion (for its kind and requester). */
      promotionOf: (id: string) => Promise<StoredPromotion | undefined>;
      logger: LoggerService;
    },
    options: Partial<LifecycleHubOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  add(...listeners: LifecycleListener[]) {
    this.listeners.push(...listeners);
  }

  /** Given to the stores: called with the ledger rows of each commit. */
  readonly onCommit: LedgerCommitListener = entries => {
    if (this.listeners.length === 0) {
      return;
    }
    if (this.pending >= this.options.maxPending) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 100 === 0) {
        this.deps.logger.warn(
          `Release lifecycle delivery is behind; dropped ${this.dropped} batch(es) of events and notifications`,
        );
      }
      return;
    }
    this.pending++;
    this.building = this.building.then(async () => {
      let events: ReleaseLifecycleEvent[];
      try {
        events = await this.toEvents(entries);
      } catch (e) {
        this.pending--;
        this.deps.logger.warn(
          `Could not read release lifecycle events: ${(e as Error).message}`,
        );
        return;
      }
      // Each listener has its own queue: a slow one holds up no other.
      void Promise.all(this.listeners.map(l => this.deliver(l, events))).then(
        () => {
          this.pending--;
        },
      );
    });
  };

  /**
   * Waits until everything committed so far was delivered, or at most
   * `timeoutMs` (shutdown must not hang on a listener that does not answer).
   */
  async drain(timeoutMs = 10_000): Promise<void> {
    const all = (async () => {
      let seen: Promise<void> | undefined;
      while (seen !== this.building) {
        seen = this.building;
        await seen;
      }
      await Promise.all(this.queues.values());
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref?.();
      }),
    ]);
    if (timer) clearTimeout(timer);
  }

  private async toEvents(
    entries: CommittedHistoryEntry[],
  ): Promise<ReleaseLifecycleEvent[]> {
    const facts = new Map<string, PromotionFacts | undefined>();
    const events: ReleaseLifecycleEvent[] = [];
    for (const entry of entries) {
      const id = entry.promotionId;
      if (id && needsPromotionFacts(entry) && !facts.has(id)) {
        const p = await this.deps.promotionOf(id);
        facts.set(
          id,
          p
            ? { kind: p.kind, requestedBy: p.requestedBy, trainId: p.trainId }
            : undefined,
        );
      }
      const event = toLifecycleEvent(entry, id ? facts.get(id) : undefined);
      if (event) events.push(event);
    }
    return events;
  }

  /** Queues the events for one listener, behind what it already has. */
  private deliver(
    listener: LifecycleListener,
    events: ReleaseLifecycleEvent[],
  ): Promise<void> {
    const next = (this.queues.get(listener) ?? Promise.resolve()).then(
      async () => {
        for (const event of events) {
          await this.handleOne(listener, event);
        }
      },
    );
    this.queues.set(listener, next);
    return next;
  }

  private async handleOne(
    listener: LifecycleListener,
    event: ReleaseLifecycleEvent,
  ) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        listener.handle(event),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `no answer within ${this.options.handleTimeoutMs} ms`,
                ),
              ),
            this.options.handleTimeoutMs,
          );
          timer.unref?.();
        }),
      ]);
    } catch (e) {
      this.deps.logger.warn(
        `Release lifecycle ${listener.name} failed for ${event.type} of ${
          event.promotionId ?? event.entityRef
        }: ${(e as Error).message}`,
      );
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
