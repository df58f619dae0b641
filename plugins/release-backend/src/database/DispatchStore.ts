import { ProgressEntry, StoredPromotion } from './PromotionStore';

/** What a dispatcher records after talking to a provider. @public */
export interface ProviderReport {
  externalId?: string;
  url?: string;
  message?: string;
  percent?: number;
}

/**
 * Durable dispatch: promotions ready to deploy are claimed with a lease by
 * conditional updates, so any replica may work on them and only one does.
 * Every method but `claim` requires the caller to hold the lease.
 * @public
 */
export interface DispatchStore {
  /**
   * Claims one promotion that is queued or deploying, whose lease is free or
   * expired and whose next attempt is due. Undefined when none is.
   */
  claim(options: {
    owner: string;
    leaseMs: number;
  }): Promise<StoredPromotion | undefined>;

  /** Counts an attempt to call the provider (before the call). */
  recordAttempt(id: string, owner: string): Promise<void>;

  /**
   * Stores the provider's external id, link and message and moves a queued
   * promotion to deploying, in one conditional update: the external id is
   * stored before anyone can see the promotion as deploying.
   */
  markDeploying(
    id: string,
    owner: string,
    report: ProviderReport & { deadlineAt: Date },
  ): Promise<void>;

  /**
   * A deployment the provider reported done enters verification: it stays
   * deploying until `verifyUntil` while its after-deploy checks run.
   * Releases the lease; the next attempt is due at once. `owner` undefined
   * starts it without a lease (a provider callback).
   */
  startVerification(
    id: string,
    owner: string | undefined,
    options: { verifyUntil: Date; deadlineAt: Date; report: ProviderReport },
  ): Promise<void>;

  /** Records progress and when to ask the provider next; releases the lease. */
  reschedule(
    id: string,
    owner: string,
    options: { nextAttemptAt: Date; report?: ProviderReport },
  ): Promise<void>;

  /**
   * Ends a promotion as succeeded or failed (compare-and-set on its state),
   * makes a success current in its phase, and appends the ledger row.
   * `owner` undefined finishes without a lease (callbacks, the reconciler).
   */
  finish(
    id: string,
    owner: string | undefined,
    outcome: 'succeeded' | 'failed',
    options: { actor: string; report?: ProviderReport },
  ): Promise<StoredPromotion | undefined>;

  /** Open promotions past their deadline. */
  listOverdue(now: Date, limit: number): Promise<StoredPromotion[]>;

  /** Entity and phase of every phase with an approved promotion waiting. */
  listPhasesWithApproved(
    limit: number,
  ): Promise<Array<{ entityRef: string; phase: string }>>;

  /**
   * Remembers a processed provider callback; false when it was seen before
   * (a replay).
   */
  rememberCallback(digest: string, promotionId: string): Promise<boolean>;
}

export type { ProgressEntry };
