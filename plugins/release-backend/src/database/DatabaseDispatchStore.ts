import {
  ACTIVE_PROMOTION_STATUSES,
  isActiveStatus,
  PromotionStatus,
  WAITING_PROMOTION_STATUSES,
} from '@release-manager/backstage-plugin-release-common';
import { Knex } from 'knex';
import { rowToStoredPromotion } from './DatabasePromotionStore';
import { DispatchStore, ProviderReport } from './DispatchStore';
import { ProgressEntry, StoredPromotion } from './PromotionStore';
import { LedgerCommitListener } from './ReleaseStore';
import { ConflictError } from '@backstage/errors';
import { transitionPromotion, voidApprovals } from '../lifecycle/transitions';
import { inTransaction, isUniqueViolation, PromotionRow } from './rows';

const MAX_PROGRESS_ENTRIES = 50;

function appendProgress(
  raw: string | null,
  now: Date,
  report: ProviderReport | undefined,
): string | null {
  const list: ProgressEntry[] = raw ? JSON.parse(raw) : [];
  if (!report?.message) {
    return raw;
  }
  const last = list[list.length - 1];
  if (last?.message === report.message && last?.percent === report.percent) {
    return raw;
  }
  list.push({
    at: now.toISOString(),
    message: report.message,
    percent: report.percent,
  });
  return JSON.stringify(list.slice(-MAX_PROGRESS_ENTRIES));
}

/** The knex implementation of {@link DispatchStore}. @public */
export class DatabaseDispatchStore implements DispatchStore {
  constructor(
    private readonly db: Knex,
    private readonly clock: () => Date = () => new Date(),
    /** Told of the ledger rows of every committed change. */
    private readonly onCommit?: LedgerCommitListener,
  ) {}

  async claim(options: { owner: string; leaseMs: number }) {
    const now = this.clock();
    const candidates = await this.db<PromotionRow>('release_promotions')
      .select('id', 'status')
      .whereIn('status', ACTIVE_PROMOTION_STATUSES as PromotionStatus[])
      .where(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
      )
      .where(q =>
        q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now),
      )
      .orderBy('updated_at', 'asc')
      .limit(5);
    for (const c of candidates) {
      // Compare-and-set: only one replica wins the lease.
      const claimed = await this.db('release_promotions')
        .where({ id: c.id, status: c.status })
        .where(q =>
          q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
        )
        .update({
          lease_owner: options.owner,
          lease_expires_at: new Date(now.getTime() + options.leaseMs),
        });
      if (claimed === 1) {
        const row = await this.db<PromotionRow>('release_promotions')
          .where('id', c.id)
          .first();
        return rowToStoredPromotion(row!);
      }
    }
    return undefined;
  }

  async recordAttempt(id: string, owner: string) {
    const n = await this.db('release_promotions')
      .where({ id, lease_owner: owner })
      .increment('attempts', 1);
    if (n !== 1) {
      throw new Error(`Lost the lease on promotion ${id}`);
    }
  }

  async markDeploying(
    id: string,
    owner: string,
    report: ProviderReport & { deadlineAt: Date },
  ) {
    await inTransaction(this.db, this.onCommit, async tx => {
      const row = await tx<PromotionRow>('release_promotions')
        .where({ id, lease_owner: owner, status: 'queued' })
        .first();
      if (!row) {
        throw new Error(
          `Lost the lease on promotion ${id}, or it is no longer queued`,
        );
      }
      const now = this.clock();
      await transitionPromotion(
        tx,
        rowToStoredPromotion(row),
        {
          to: 'deploying',
          actor: 'system:dispatcher',
          where: { lease_owner: owner },
          set: {
            external_id: report.externalId ?? null,
            external_url: report.url ?? null,
            progress: appendProgress(row.progress, now, report),
            started_at: now,
            deadline_at: report.deadlineAt,
          },
          after: { externalId: report.externalId, url: report.url },
        },
        now,
      );
    });
  }

  async reschedule(
    id: string,
    owner: string,
    options: { nextAttemptAt: Date; report?: ProviderReport },
  ) {
    const row = await this.db<PromotionRow>('release_promotions')
      .where({ id, lease_owner: owner })
      .first();
    if (!row) {
      return;
    }
    const now = this.clock();
    await this.db('release_promotions')
      .where({ id, lease_owner: owner })
      .update({
        next_attempt_at: options.nextAttemptAt,
        lease_owner: null,
        lease_expires_at: null,
        progress: appendProgress(row.progress, now, options.report),
        external_url: options.report?.url ?? row.external_url,
        external_id: row.external_id ?? options.report?.externalId ?? null,
      });
  }

  async finish(
    id: string,
    owner: string | undefined,
    outcome: 'succeeded' | 'failed',
    options: { actor: string; report?: ProviderReport },
  ): Promise<StoredPromotion | undefined> {
    try {
      return await this.finishInTransaction(id, owner, outcome, options);
    } catch (e) {
      // Someone else ended or moved it meanwhile: nothing to do here.
      if (e instanceof ConflictError) return undefined;
      throw e;
    }
  }

  private finishInTransaction(
    id: string,
    owner: string | undefined,
    outcome: 'succeeded' | 'failed',
    options: { actor: string; report?: ProviderReport },
  ): Promise<StoredPromotion | undefined> {
    return inTransaction(this.db, this.onCommit, async tx => {
      const q = tx<PromotionRow>('release_promotions')
        .where('id', id)
        .whereIn('status', ACTIVE_PROMOTION_STATUSES as PromotionStatus[]);
      if (owner) q.where('lease_owner', owner);
      const row = await q.first();
      if (!row || !isActiveStatus(row.status)) {
        return undefined;
      }
      // From queued, only failure is possible (success needs a deployment).
      if (outcome === 'succeeded' && row.status !== 'deploying') {
        return undefined;
      }
      const now = this.clock();
      await transitionPromotion(
        tx,
        rowToStoredPromotion(row),
        {
          to: outcome,
          actor: options.actor,
          reason: options.report?.message,
          set: {
            external_url: options.report?.url ?? row.external_url,
            external_id: row.external_id ?? options.report?.externalId ?? null,
            progress: appendProgress(row.progress, now, options.report),
          },
          after: {
            externalId: row.external_id ?? options.report?.externalId,
          },
        },
        now,
      );
      if (outcome === 'succeeded') {
        await tx('release_phase_state')
          .insert({
            entity_ref: row.entity_ref,
            phase: row.phase,
            release_id: row.release_id,
            version: row.version,
            promotion_id: id,
            deployed_by: row.requested_by,
            deployed_at: now,
          })
          .onConflict(['entity_ref', 'phase'])
          .merge();
        await this.voidApprovalsAgainstOldTarget(tx, row, options.actor, now);
      }
      const after = await tx<PromotionRow>('release_promotions')
        .where('id', id)
        .first();
      return rowToStoredPromotion(after!);
    });
  }

  /**
   * What runs in the phase changed: approvals other open promotions of the
   * phase were given against the previous deployment no longer hold
   * (invariant 37). Promotions approved without approvers (none required)
   * stay approved.
   */
  private async voidApprovalsAgainstOldTarget(
    tx: Knex.Transaction,
    deployed: PromotionRow,
    actor: string,
    now: Date,
  ) {
    const open = await tx<PromotionRow>('release_promotions')
      .where({ entity_ref: deployed.entity_ref, phase: deployed.phase })
      .whereIn('status', WAITING_PROMOTION_STATUSES as PromotionStatus[])
      .whereNot('id', deployed.id);
    for (const row of open) {
      const valid = await tx('release_approvals')
        .where({ promotion_id: row.id, invalidated: false })
        .count({ n: '*' })
        .first();
      if (Number(valid?.n ?? 0) === 0) continue;
      await voidApprovals(
        tx,
        rowToStoredPromotion(row),
        {
          actor,
          reason: `${deployed.version} now runs in this phase; the change to approve is different`,
          approvalsRequired: true,
          before: { targetVersion: undefined },
          after: { targetVersion: deployed.version },
        },
        now,
      );
    }
  }

  async listOverdue(now: Date, limit: number) {
    const rows = await this.db<PromotionRow>('release_promotions')
      .whereIn('status', ACTIVE_PROMOTION_STATUSES as PromotionStatus[])
      .where('deadline_at', '<', now)
      .limit(limit);
    return rows.map(rowToStoredPromotion);
  }

  async listPhasesWithApproved(limit: number) {
    return this.db('release_promotions')
      .distinct('entity_ref as entityRef', 'phase')
      .where('status', 'approved')
      .limit(limit);
  }

  async rememberCallback(digest: string, promotionId: string) {
    try {
      await this.db('release_callbacks').insert({
        digest,
        promotion_id: promotionId,
        received_at: this.clock(),
      });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }
}
