import {
  canTransition,
  PromotionStatus,
} from '@release-manager/backstage-plugin-release-common';
import { DispatchStore, ProviderReport } from '../database/DispatchStore';
import { ProgressEntry, StoredPromotion } from '../database/PromotionStore';

/*
 * An in-memory DispatchStore with the semantics the interface documents
 * (leases by compare-and-set, one transition per change, checked against
 * release-common's state machine), for unit tests of the Dispatcher. Every
 * call is appended to a shared `log` so that a test can assert the order of
 * store and provider calls.
 */

interface Held extends StoredPromotion {
  leaseOwner?: string;
  leaseExpiresAt?: number;
}

/** A ledger row the fake recorded. */
export interface MemoryLedgerEntry {
  promotionId: string;
  action: string;
  actor: string;
  from: PromotionStatus;
  to: PromotionStatus;
  reason?: string;
  externalId?: string;
}

const MAX_PROGRESS_ENTRIES = 50;

function appendProgress(
  list: ProgressEntry[],
  now: Date,
  report: ProviderReport | undefined,
): ProgressEntry[] {
  if (!report?.message) return list;
  const last = list[list.length - 1];
  if (last?.message === report.message && last?.percent === report.percent) {
    return list;
  }
  return [
    ...list,
    { at: now.toISOString(), message: report.message, percent: report.percent },
  ].slice(-MAX_PROGRESS_ENTRIES);
}

export class MemoryDispatchStore implements DispatchStore {
  readonly promotions = new Map<string, Held>();
  readonly ledger: MemoryLedgerEntry[] = [];
  private readonly callbacks = new Set<string>();

  constructor(
    private readonly clock: () => Date,
    readonly log: string[] = [],
  ) {}

  /** Adds a promotion as the engine would have queued it. */
  put(p: StoredPromotion) {
    this.promotions.set(p.id, structuredClone(p));
  }

  /** The promotion as stored now (a copy). */
  get(id: string): Held {
    return structuredClone(this.promotions.get(id)!);
  }

  private copy(p: Held): StoredPromotion {
    const { leaseOwner: _o, leaseExpiresAt: _e, ...rest } = structuredClone(p);
    return rest;
  }

  /** As in the database: the lease is the owner's until another claims it. */
  private holds(p: Held | undefined, owner: string) {
    return p !== undefined && p.leaseOwner === owner;
  }

  private transition(
    p: Held,
    to: PromotionStatus,
    actor: string,
    reason?: string,
  ) {
    if (!canTransition(p.status, to)) {
      throw new Error(`Illegal transition ${p.status} → ${to} of ${p.id}`);
    }
    this.ledger.push({
      promotionId: p.id,
      action: `promotion.${to}`,
      actor,
      from: p.status,
      to,
      reason,
      externalId: p.externalId,
    });
    p.status = to;
    p.updatedAt = this.clock().toISOString();
  }

  async claim(options: { owner: string; leaseMs: number }) {
    const now = this.clock().getTime();
    const due = [...this.promotions.values()]
      .filter(
        p =>
          (p.status === 'queued' || p.status === 'deploying') &&
          (p.leaseExpiresAt === undefined || p.leaseExpiresAt < now) &&
          (p.nextAttemptAt === undefined || Date.parse(p.nextAttemptAt) <= now),
      )
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    const p = due[0];
    if (!p) return undefined;
    p.leaseOwner = options.owner;
    p.leaseExpiresAt = now + options.leaseMs;
    this.log.push(`claim ${p.id} by ${options.owner}`);
    return this.copy(p);
  }

  async recordAttempt(id: string, owner: string) {
    const p = this.promotions.get(id);
    if (!this.holds(p, owner)) {
      throw new Error(`Lost the lease on promotion ${id}`);
    }
    p!.attempts++;
    this.log.push(`recordAttempt ${id}`);
  }

  async markDeploying(
    id: string,
    owner: string,
    report: ProviderReport & { deadlineAt: Date },
  ) {
    const p = this.promotions.get(id);
    if (!this.holds(p, owner) || p!.status !== 'queued') {
      throw new Error(
        `Lost the lease on promotion ${id}, or it is no longer queued`,
      );
    }
    const now = this.clock();
    // The external id is stored with the change to deploying (invariant 23).
    p!.externalId = report.externalId;
    p!.externalUrl = report.url;
    p!.progress = appendProgress(p!.progress, now, report);
    p!.startedAt = now.toISOString();
    p!.deadlineAt = report.deadlineAt.toISOString();
    this.transition(p!, 'deploying', 'system:dispatcher');
    this.log.push(`markDeploying ${id} ${report.externalId ?? '-'}`);
  }

  async reschedule(
    id: string,
    owner: string,
    options: { nextAttemptAt: Date; report?: ProviderReport },
  ) {
    const p = this.promotions.get(id);
    if (!this.holds(p, owner)) return;
    p!.nextAttemptAt = options.nextAttemptAt.toISOString();
    p!.leaseOwner = undefined;
    p!.leaseExpiresAt = undefined;
    p!.progress = appendProgress(p!.progress, this.clock(), options.report);
    p!.externalUrl = options.report?.url ?? p!.externalUrl;
    p!.externalId = p!.externalId ?? options.report?.externalId;
    this.log.push(`reschedule ${id}`);
  }

  async finish(
    id: string,
    owner: string | undefined,
    outcome: 'succeeded' | 'failed',
    options: { actor: string; report?: ProviderReport },
  ) {
    const p = this.promotions.get(id);
    if (!p || (p.status !== 'queued' && p.status !== 'deploying')) {
      return undefined;
    }
    if (owner !== undefined && !this.holds(p, owner)) return undefined;
    if (outcome === 'succeeded' && p.status !== 'deploying') return undefined;
    const now = this.clock();
    p.progress = appendProgress(p.progress, now, options.report);
    p.externalUrl = options.report?.url ?? p.externalUrl;
    p.externalId = p.externalId ?? options.report?.externalId;
    this.transition(p, outcome, options.actor, options.report?.message);
    p.finishedAt = now.toISOString();
    p.leaseOwner = undefined;
    p.leaseExpiresAt = undefined;
    this.log.push(`finish ${id} ${outcome}`);
    return this.copy(p);
  }

  async listOverdue(now: Date, limit: number) {
    return [...this.promotions.values()]
      .filter(
        p =>
          (p.status === 'queued' || p.status === 'deploying') &&
          p.deadlineAt !== undefined &&
          Date.parse(p.deadlineAt) < now.getTime(),
      )
      .slice(0, limit)
      .map(p => this.copy(p));
  }

  async listPhasesWithApproved(limit: number) {
    const seen = new Map<string, { entityRef: string; phase: string }>();
    for (const p of this.promotions.values()) {
      if (p.status === 'approved') {
        seen.set(`${p.entityRef}#${p.phase}`, {
          entityRef: p.entityRef,
          phase: p.phase,
        });
      }
    }
    return [...seen.values()].slice(0, limit);
  }

  async rememberCallback(digest: string) {
    if (this.callbacks.has(digest)) return false;
    this.callbacks.add(digest);
    return true;
  }
}
