import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  PhaseLock,
  Promotion,
  PromotionStatus,
  Release,
  ReleasePhaseStatus,
} from '@release-manager/backstage-plugin-release-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  HistoryRow,
  insertHistory,
  isUniqueViolation,
  PromotionRow,
  ReleaseRow,
  rowToHistory,
  rowToPromotion,
  rowToRelease,
  toIso,
} from './rows';
import {
  PhaseStatusSummary,
  PromotionImport,
  ReleaseStore,
  StoredHistoryEntry,
  StoredPipelineState,
  StoredRelease,
} from './ReleaseStore';

const migrationsDir = resolvePackagePath(
  '@release-manager/backstage-plugin-release-backend',
  'migrations',
);

const ACTIVE_STATUSES: PromotionStatus[] = ['queued', 'deploying'];
const FINAL_STATUSES: PromotionStatus[] = [
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'superseded',
];

/** The knex implementation of {@link ReleaseStore}, on SQLite or PostgreSQL. @public */
export class DatabaseReleaseStore implements ReleaseStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseReleaseStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseReleaseStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async createRelease(release: Release): Promise<StoredRelease> {
    try {
      return await this.db.transaction(async tx => {
        const [row] = await tx<ReleaseRow>('release_releases')
          .insert({
            entity_ref: release.entityRef,
            version: release.version,
            artifact: release.artifact,
            commit: release.commit ?? null,
            notes: release.notes ?? null,
            created_by: release.createdBy,
            created_at: new Date(release.createdAt),
          })
          .returning('*');
        await insertHistory(tx, {
          entityRef: release.entityRef,
          version: release.version,
          action: 'release.create',
          actor: release.createdBy,
          after: {
            version: release.version,
            artifact: release.artifact,
            commit: release.commit,
          },
        });
        return rowToRelease(row);
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `Release ${release.version} of ${release.entityRef} already exists; releases are immutable, publish a new version`,
        );
      }
      throw e;
    }
  }

  async getRelease(
    entityRef: string,
    version: string,
  ): Promise<StoredRelease | undefined> {
    const row = await this.db<ReleaseRow>('release_releases')
      .where({ entity_ref: entityRef, version })
      .first();
    return row ? rowToRelease(row) : undefined;
  }

  async listReleases(
    entityRef: string,
    options: { limit: number; afterId?: string },
  ): Promise<{ items: StoredRelease[]; hasMore: boolean }> {
    const query = this.db<ReleaseRow>('release_releases')
      .where('entity_ref', entityRef)
      .orderBy('id', 'desc')
      .limit(options.limit + 1);
    if (options.afterId !== undefined) {
      query.andWhere('id', '<', options.afterId);
    }
    const rows = await query;
    return {
      items: rows.slice(0, options.limit).map(rowToRelease),
      hasMore: rows.length > options.limit,
    };
  }

  async getReleasePhaseStatuses(
    entityRef: string,
    releaseIds: string[],
  ): Promise<Map<string, Record<string, ReleasePhaseStatus>>> {
    const result = new Map<string, Record<string, ReleasePhaseStatus>>();
    if (releaseIds.length === 0) {
      return result;
    }
    const [rows, current] = await Promise.all([
      this.db<PromotionRow>('release_promotions')
        .select(
          'id',
          'release_id',
          'phase',
          'status',
          'updated_at',
          'requested_at',
        )
        .whereIn('release_id', releaseIds)
        .orderBy('requested_at', 'asc')
        .orderBy('id', 'asc'),
      this.db('release_phase_state')
        .select('phase', 'release_id')
        .where('entity_ref', entityRef)
        .whereIn('release_id', releaseIds),
    ]);
    const currentKeys = new Set(
      current.map(c => `${String(c.release_id)}#${c.phase}`),
    );
    for (const row of rows) {
      const releaseId = String(row.release_id);
      const phases = result.get(releaseId) ?? {};
      // Later requests overwrite earlier ones: the latest state per phase wins.
      phases[row.phase] = {
        status: row.status,
        promotionId: row.id,
        updatedAt: toIso(row.updated_at),
        current: currentKeys.has(`${releaseId}#${row.phase}`),
      };
      result.set(releaseId, phases);
    }
    return result;
  }

  async getPipelineState(
    entityRef: string,
    phases: string[],
  ): Promise<StoredPipelineState> {
    const [currentRows, openRows, lastRows, lockRows] = await Promise.all([
      this.db('release_phase_state').where('entity_ref', entityRef),
      this.db<PromotionRow>('release_promotions')
        .where('entity_ref', entityRef)
        .whereIn('status', ['pending_approval', 'approved', ...ACTIVE_STATUSES])
        .orderBy('requested_at', 'asc'),
      // The latest finished promotion of each phase: one indexed lookup per
      // phase (entity_ref, phase, finished_at), whatever the history size.
      Promise.all(
        phases.map(phase =>
          this.db<PromotionRow>('release_promotions')
            .where({ entity_ref: entityRef, phase })
            .whereNotNull('finished_at')
            .orderBy('finished_at', 'desc')
            .first(),
        ),
      ).then(rows => rows.filter((r): r is PromotionRow => Boolean(r))),
      this.db('release_phase_locks').where('entity_ref', entityRef),
    ]);

    const state: StoredPipelineState = {
      current: {},
      active: {},
      pending: {},
      lastOutcome: {},
      locks: {},
    };
    for (const row of currentRows) {
      state.current[row.phase] = {
        version: row.version,
        promotionId: row.promotion_id,
        deployedAt: toIso(row.deployed_at),
        deployedBy: row.deployed_by,
      };
    }
    for (const row of openRows) {
      const promotion = rowToPromotion(row);
      if (ACTIVE_STATUSES.includes(row.status)) {
        state.active[row.phase] = promotion;
      } else {
        (state.pending[row.phase] ??= []).push(promotion);
      }
    }
    for (const row of lastRows) {
      state.lastOutcome[row.phase] = rowToPromotion(row);
    }
    for (const row of lockRows) {
      const lock: PhaseLock = {
        reason: row.reason,
        lockedBy: row.locked_by,
        lockedAt: toIso(row.locked_at),
      };
      state.locks[row.phase] = lock;
    }
    return state;
  }

  async getStatusSummary(
    entityRefs: string[],
  ): Promise<Map<string, Record<string, PhaseStatusSummary>>> {
    const result = new Map<string, Record<string, PhaseStatusSummary>>();
    if (entityRefs.length === 0) {
      return result;
    }
    const [current, open] = await Promise.all([
      this.db('release_phase_state')
        .select('entity_ref', 'phase', 'version')
        .whereIn('entity_ref', entityRefs),
      this.db('release_promotions')
        .select<
          Array<{
            entity_ref: string;
            phase: string;
            status: PromotionStatus;
            n: string | number;
          }>
        >('entity_ref', 'phase', 'status', this.db.raw('count(*) as n'))
        .whereIn('entity_ref', entityRefs)
        .whereIn('status', ['pending_approval', 'approved', ...ACTIVE_STATUSES])
        .groupBy('entity_ref', 'phase', 'status'),
    ]);
    const slot = (entityRef: string, phase: string) => {
      const phases = result.get(entityRef) ?? {};
      result.set(entityRef, phases);
      return (phases[phase] ??= { pending: 0 });
    };
    for (const row of current) {
      slot(row.entity_ref, row.phase).currentVersion = row.version;
    }
    for (const row of open) {
      const s = slot(row.entity_ref, row.phase);
      if (ACTIVE_STATUSES.includes(row.status)) {
        s.activeStatus = row.status;
      } else if (row.status === 'pending_approval') {
        s.pending += Number(row.n);
      }
    }
    return result;
  }

  async importPromotion(p: PromotionImport): Promise<Promotion> {
    return this.db.transaction(async tx => {
      const release = await tx<ReleaseRow>('release_releases')
        .where({ entity_ref: p.entityRef, version: p.version })
        .first();
      if (!release) {
        throw new ConflictError(
          `Release ${p.version} of ${p.entityRef} does not exist`,
        );
      }
      const id = randomUUID();
      const finished = FINAL_STATUSES.includes(p.status);
      const finishedAt = finished ? p.finishedAt ?? p.requestedAt : null;
      const [row]: PromotionRow[] = await tx('release_promotions')
        .insert({
          id,
          entity_ref: p.entityRef,
          phase: p.phase,
          release_id: release.id,
          version: p.version,
          status: p.status,
          active_key: ACTIVE_STATUSES.includes(p.status)
            ? `${p.entityRef}#${p.phase}`
            : null,
          requested_by: p.requestedBy,
          requested_at: p.requestedAt,
          comment: p.comment ?? null,
          started_at: finished ? p.requestedAt : null,
          finished_at: finishedAt,
          updated_at: finishedAt ?? p.requestedAt,
        })
        .returning('*');
      if (p.status === 'succeeded') {
        const existing = await tx('release_phase_state')
          .where({ entity_ref: p.entityRef, phase: p.phase })
          .first();
        const deployedAt = finishedAt!;
        if (!existing || new Date(existing.deployed_at) <= deployedAt) {
          await tx('release_phase_state')
            .insert({
              entity_ref: p.entityRef,
              phase: p.phase,
              release_id: release.id,
              version: p.version,
              promotion_id: id,
              deployed_by: p.requestedBy,
              deployed_at: deployedAt,
            })
            .onConflict(['entity_ref', 'phase'])
            .merge();
        }
      }
      await insertHistory(tx, {
        entityRef: p.entityRef,
        phase: p.phase,
        version: p.version,
        promotionId: id,
        action: 'promotion.import',
        actor: p.requestedBy,
        after: { status: p.status },
      });
      return rowToPromotion(row);
    });
  }

  async listHistory(
    entityRef: string,
    options: { phase?: string; limit: number; beforeId?: string },
  ): Promise<{ items: StoredHistoryEntry[]; hasMore: boolean }> {
    const query = this.db<HistoryRow>('release_history')
      .where('entity_ref', entityRef)
      .orderBy('id', 'desc')
      .limit(options.limit + 1);
    if (options.phase) {
      query.andWhere('phase', options.phase);
    }
    if (options.beforeId !== undefined) {
      query.andWhere('id', '<', options.beforeId);
    }
    const rows = await query;
    return {
      items: rows.slice(0, options.limit).map(rowToHistory),
      hasMore: rows.length > options.limit,
    };
  }
}
