import { insertPromotion } from '../lifecycle/transitions';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  isActiveStatus,
  isFinalStatus,
  Promotion,
  PromotionStatus,
  Release,
  ReleasePhaseStatus,
  WAITING_PROMOTION_STATUSES,
  versionKey,
} from '@release-manager/backstage-plugin-release-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { EntityReadCache } from '../cache/EntityReadCache';
import {
  DbTime,
  HistoryRow,
  inTransaction,
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
  LedgerCommitListener,
  PhaseStatusSummary,
  PromotionImport,
  ReleaseStore,
  StoredHistoryEntry,
  StoredPipelineState,
  StoredRelease,
  StoredReleaseWithStatus,
} from './ReleaseStore';

const migrationsDir = resolvePackagePath(
  '@release-manager/backstage-plugin-release-backend',
  'migrations',
);

/** Key of the PostgreSQL advisory lock that serialises the migrations. */
const MIGRATION_LOCK = 0x72656c65; // 'rele'

/** The running migration per client, so callers in one process take turns. */
const migrating = new WeakMap<Knex, Promise<void>>();

/**
 * Runs the migrations. On PostgreSQL, replicas that start together take
 * turns (an advisory lock held by a transaction for the duration), so that
 * the later ones find the schema up to date instead of failing on knex's
 * migration lock ("Migration table is already locked") or on creating its
 * tables twice.
 */
async function migrateLatest(client: Knex): Promise<void> {
  // In one process, callers on the same client take turns too (SQLite has
  // no advisory locks; an embedded database serves one process).
  const previous = migrating.get(client) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      if (client.client.dialect !== 'postgresql') {
        await client.migrate.latest({ directory: migrationsDir });
        return;
      }
      await client.transaction(async tx => {
        await tx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
        await client.migrate.latest({ directory: migrationsDir });
      });
    });
  migrating.set(client, run);
  await run;
}

/** The promotion columns the pipeline view needs (no snapshot). */
const PIPELINE_COLUMNS =
  'phase, id, version, status, requested_by, requested_at, comment, updated_at, started_at, finished_at, external_url, progress, scheduled_at, train_id';

/**
 * A page of releases (entity_ref, id index), each joined to its promotions
 * (release_id index) and to the phase state that says whether it is current
 * there (primary key: the entity is given as a constant so the planner uses
 * it). Bindings: entityRef, [afterId,] limit, entityRef.
 */
function releasesPageSql(after: boolean, postgres: boolean): string {
  // PostgreSQL formats the timestamps itself: parsing them into Date objects
  // and back was a tenth of the request's time.
  const iso = (column: string) =>
    postgres
      ? `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : column;
  return [
    'select r.id, r.entity_ref, r.version, r.artifact, r."commit", r.notes, r.created_by,',
    `${iso('r.created_at')} as created_at, ${iso(
      'r.committed_at',
    )} as committed_at, r.planned_at,`,
    'p.id as p_id, p.phase as p_phase, p.status as p_status, p.requested_by as p_requested_by,',
    `${iso('p.updated_at')} as p_updated_at, ${iso(
      'p.scheduled_at',
    )} as p_scheduled_at, s.phase as s_phase`,
    'from (select * from release_releases where entity_ref = ?',
    after ? 'and id < ?' : '',
    'order by id desc limit ?) as r',
    'left join release_promotions as p on p.release_id = r.id',
    'left join release_phase_state as s',
    'on s.entity_ref = ? and s.phase = p.phase and s.release_id = r.id',
    'order by r.id desc, p.requested_at asc, p.id asc',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A waiting promotion's schedule in a release's phase status; nothing otherwise. */
function scheduleOf(
  status: PromotionStatus,
  scheduledAt: DbTime | null | undefined,
  requestedBy: string | null | undefined,
): Pick<ReleasePhaseStatus, 'scheduledAt' | 'requestedBy'> {
  if (!scheduledAt || !WAITING_PROMOTION_STATUSES.includes(status)) return {};
  return {
    scheduledAt: toIso(scheduledAt),
    ...(requestedBy ? { requestedBy } : {}),
  };
}

const pipelineSqlCache = new Map<number, string>();

/**
 * The pipeline state of one entity in one statement (so one round trip):
 * every row is tagged with its section and shaped like a promotion row.
 * Each part is an indexed lookup, so the cost does not grow with history:
 * open promotions (partial index release_promotions_open_idx), the latest
 * finished promotion of each phase (entity_ref, phase, finished_at; wrapped
 * so that ORDER BY / LIMIT are allowed in a compound statement on every
 * database), the current release and the lock of each phase (primary keys).
 * Written once per number of phases, as plain SQL: building it with the
 * query builder on every request cost more than running it.
 *
 * Bindings: entityRef, ...phases, then (entityRef, phase) per phase, then
 * entityRef twice.
 */
function pipelineSql(phaseCount: number): string {
  let sql = pipelineSqlCache.get(phaseCount);
  if (!sql) {
    const phaseList = Array.from({ length: phaseCount }, () => '?').join(', ');
    sql = [
      `select 'open' as section, ${PIPELINE_COLUMNS} from release_promotions` +
        ` where entity_ref = ? and phase in (${phaseList}) and open_key is not null`,
      ...Array.from(
        { length: phaseCount },
        (_, i) =>
          `select * from (select 'last' as section, ${PIPELINE_COLUMNS} from release_promotions` +
          ` where entity_ref = ? and phase = ? and finished_at is not null` +
          ` order by finished_at desc limit 1) as last_${i}`,
      ),
      `select 'current' as section, phase, promotion_id as id, version, null as status,` +
        ` deployed_by as requested_by, null as requested_at, null as comment, null as updated_at,` +
        ` null as started_at, deployed_at as finished_at, null as external_url, null as progress, null as scheduled_at, null as train_id` +
        ` from release_phase_state where entity_ref = ?`,
      `select 'lock' as section, phase, null as id, null as version, null as status,` +
        ` locked_by as requested_by, locked_at as requested_at, reason as comment, null as updated_at,` +
        ` null as started_at, null as finished_at, null as external_url, null as progress, null as scheduled_at, null as train_id` +
        ` from release_phase_locks where entity_ref = ?`,
    ]
      .join(' union all ')
      // Open promotions oldest request first (the other sections' order
      // does not matter).
      .concat(' order by requested_at, id');
    pipelineSqlCache.set(phaseCount, sql);
  }
  return sql;
}

/** The knex implementation of {@link ReleaseStore}, on SQLite or PostgreSQL. @public */
export class DatabaseReleaseStore implements ReleaseStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    /** Serves the pipeline state from memory while it is enabled. */
    cache?: EntityReadCache;
    /** Told of the ledger rows of every committed change. */
    onCommit?: LedgerCommitListener;
  }): Promise<DatabaseReleaseStore> {
    const { database, skipMigrations, onCommit } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await migrateLatest(client);
    }
    return new DatabaseReleaseStore(client, onCommit, options.cache);
  }

  private readonly postgres: boolean;

  private constructor(
    private readonly db: Knex,
    private readonly onCommit?: LedgerCommitListener,
    private readonly cache?: EntityReadCache,
  ) {
    this.postgres = db.client.dialect === 'postgresql';
  }

  /**
   * Driver options that make a hot read a named prepared statement on
   * PostgreSQL: parsed and planned once per connection instead of on every
   * request (planning these statements costs more than running them). The
   * name must identify the SQL text exactly, so callers put every shape
   * parameter (such as the number of phases) in it.
   */
  private prepared(name: string): Record<string, unknown> {
    return this.postgres ? { name: `release_${name}` } : {};
  }

  /** The rows of a raw statement, whatever the driver. */
  private async rows<T>(raw: Knex.Raw): Promise<T[]> {
    const result = await raw;
    return this.postgres ? result.rows : result;
  }

  async createRelease(release: Release): Promise<StoredRelease> {
    try {
      return await inTransaction(this.db, this.onCommit, async tx => {
        const [row] = await tx<ReleaseRow>('release_releases')
          .insert({
            entity_ref: release.entityRef,
            version: release.version,
            version_key: versionKey(release.version),
            artifact: release.artifact,
            commit: release.commit ?? null,
            notes: release.notes ?? null,
            committed_at: release.committedAt
              ? new Date(release.committedAt)
              : null,
            planned_at: release.plannedAt
              ? JSON.stringify(release.plannedAt)
              : null,
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
            committedAt: release.committedAt,
            plannedAt: release.plannedAt,
          },
        });
        return rowToRelease(row);
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const existing = await this.db<ReleaseRow>('release_releases')
          .where({
            entity_ref: release.entityRef,
            version_key: versionKey(release.version),
          })
          .orWhere({
            entity_ref: release.entityRef,
            version: release.version,
          })
          .first();
        if (existing && existing.version !== release.version) {
          throw new ConflictError(
            `Release ${existing.version} of ${release.entityRef} already exists and ${release.version} differs from it only in build metadata, so it is the same release; releases are immutable, publish a new version`,
          );
        }
        throw new ConflictError(
          `Release ${release.version} of ${release.entityRef} already exists; releases are immutable, publish a new version`,
        );
      }
      throw e;
    }
  }

  async updateReleasePlan(update: {
    entityRef: string;
    version: string;
    actor: string;
    plan: (
      current: Record<string, string> | undefined,
    ) => Record<string, string>;
  }): Promise<StoredRelease | undefined> {
    return inTransaction(this.db, this.onCommit, async tx => {
      const query = tx<ReleaseRow>('release_releases').where({
        entity_ref: update.entityRef,
        version: update.version,
      });
      const row = await (this.postgres ? query.forUpdate() : query).first();
      if (!row) {
        return undefined;
      }
      const before = rowToRelease(row).plannedAt;
      const after = update.plan(before);
      const plannedAt = Object.keys(after).length ? after : undefined;
      await tx('release_releases')
        .where({ id: row.id })
        .update({ planned_at: plannedAt ? JSON.stringify(plannedAt) : null });
      await insertHistory(tx, {
        entityRef: update.entityRef,
        version: update.version,
        action: 'release.plan',
        actor: update.actor,
        before: { plannedAt: before ?? {} },
        after: { plannedAt: plannedAt ?? {} },
      });
      return { ...rowToRelease(row), plannedAt };
    });
  }

  async getRelease(
    entityRef: string,
    version: string,
  ): Promise<StoredRelease | undefined> {
    const read = async () => {
      const row = await this.db<ReleaseRow>('release_releases')
        .where({ entity_ref: entityRef, version })
        .first();
      return row ? rowToRelease(row) : undefined;
    };
    // Kept with the entity's other reads (dropped when any of its release
    // rows changes): every promotion request reads its release first.
    return this.cache
      ? this.cache.read(entityRef, `release:${version}`, read)
      : read();
  }

  async getReleasesByIds(ids: string[]): Promise<Map<string, StoredRelease>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, StoredRelease>();
    // Chunks stay below SQLite's limit of bound values.
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db<ReleaseRow>('release_releases').whereIn(
        'id',
        unique.slice(i, i + 500),
      );
      for (const row of rows) out.set(String(row.id), rowToRelease(row));
    }
    return out;
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

  async listReleasesWithStatuses(
    entityRef: string,
    options: { limit: number; afterId?: string },
  ): Promise<{ items: StoredReleaseWithStatus[]; hasMore: boolean }> {
    const after = options.afterId !== undefined;
    const rows = await this.rows<
      ReleaseRow & {
        p_id: string | null;
        p_phase: string | null;
        p_status: PromotionStatus | null;
        p_updated_at: DbTime | null;
        p_scheduled_at: DbTime | null;
        p_requested_by: string | null;
        s_phase: string | null;
      }
    >(
      this.db
        .raw(
          releasesPageSql(after, this.postgres),
          after
            ? [entityRef, options.afterId!, options.limit + 1, entityRef]
            : [entityRef, options.limit + 1, entityRef],
        )
        .options(this.prepared(after ? 'releases_after' : 'releases_first')),
    );

    const items: StoredReleaseWithStatus[] = [];
    let last: StoredReleaseWithStatus | undefined;
    for (const row of rows) {
      if (!last || last.id !== String(row.id)) {
        last = { ...rowToRelease(row), phases: {} };
        items.push(last);
      }
      if (row.p_id !== null && row.p_phase !== null && row.p_status) {
        // Later requests overwrite earlier ones: the latest state per phase wins.
        last.phases[row.p_phase] = {
          status: row.p_status,
          promotionId: row.p_id,
          updatedAt: toIso(row.p_updated_at!),
          current: row.s_phase !== null,
          ...scheduleOf(row.p_status, row.p_scheduled_at, row.p_requested_by),
        };
      }
    }
    return {
      items: items.slice(0, options.limit),
      hasMore: items.length > options.limit,
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
          'requested_by',
          'scheduled_at',
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
        ...scheduleOf(row.status, row.scheduled_at, row.requested_by),
      };
      result.set(releaseId, phases);
    }
    return result;
  }

  async getPipelineState(
    entityRef: string,
    phases: string[],
  ): Promise<StoredPipelineState> {
    const read = () => this.readPipelineState(entityRef, phases);
    return this.cache
      ? this.cache.read(entityRef, `pipeline:${phases.join(',')}`, read)
      : read();
  }

  private async readPipelineState(
    entityRef: string,
    phases: string[],
  ): Promise<StoredPipelineState> {
    const state: StoredPipelineState = {
      current: {},
      active: {},
      pending: {},
      lastOutcome: {},
      locks: {},
    };
    if (phases.length === 0) {
      return state;
    }
    const bindings = [
      entityRef,
      ...phases,
      ...phases.flatMap(phase => [entityRef, phase]),
      entityRef,
      entityRef,
    ];
    const rows = await this.rows<PromotionRow & { section: string }>(
      this.db
        .raw(pipelineSql(phases.length), bindings)
        .options(this.prepared(`pipeline_${phases.length}`)),
    );

    for (const row of rows) {
      switch (row.section) {
        case 'current':
          state.current[row.phase] = {
            version: row.version,
            promotionId: row.id,
            deployedAt: toIso(row.finished_at!),
            deployedBy: row.requested_by,
          };
          break;
        case 'lock':
          state.locks[row.phase] = {
            reason: row.comment ?? '',
            lockedBy: row.requested_by,
            lockedAt: toIso(row.requested_at),
          };
          break;
        case 'last':
          state.lastOutcome[row.phase] = rowToPromotion({
            ...row,
            entity_ref: entityRef,
          });
          break;
        default: {
          // Open, oldest request first.
          const promotion = rowToPromotion({ ...row, entity_ref: entityRef });
          if (isActiveStatus(row.status)) {
            state.active[row.phase] = promotion;
          } else {
            (state.pending[row.phase] ??= []).push(promotion);
          }
        }
      }
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
    // One statement, one row per entity and kind: the current version of
    // each phase ("phase=version ..."), the open promotions by phase and
    // status ("phase=status=count ...") and the phases where a deployment
    // failed since what runs there was deployed ("phase=failed=count ...",
    // through the (entity, phase, status) index). Phase ids (PHASE_ID_PATTERN),
    // versions (semver) and statuses hold neither '=' nor ' '. Aggregated in
    // the database: parsing a row per phase cost more than the query.
    const agg = this.postgres ? 'string_agg' : 'group_concat';
    const refs = this.postgres
      ? 'entity_ref = any(?)'
      : `entity_ref in (${entityRefs.map(() => '?').join(', ')})`;
    const refBindings = this.postgres ? [entityRefs] : entityRefs;
    const rows = await this.rows<{
      entity_ref: string;
      kind: 'current' | 'open' | 'failed';
      data: string;
    }>(
      this.db
        .raw(
          [
            `select entity_ref, 'current' as kind, ${agg}(phase || '=' || version, ' ') as data`,
            `from release_phase_state where ${refs} group by entity_ref`,
            'union all',
            `select entity_ref, 'open' as kind, ${agg}(phase || '=' || status || '=' || n || '=' || s, ' ') as data`,
            'from (select entity_ref, phase, status, count(*) as n,',
            'sum(case when scheduled_at is null then 0 else 1 end) as s from release_promotions',
            `where ${refs} and open_key is not null`,
            'group by entity_ref, phase, status) as open_counts group by entity_ref',
            'union all',
            `select entity_ref, 'failed' as kind, ${agg}(phase || '=failed=' || n, ' ') as data`,
            'from (select p.entity_ref, p.phase, count(*) as n from release_promotions as p',
            'left join release_phase_state as s on s.entity_ref = p.entity_ref and s.phase = p.phase',
            `where p.${refs} and p.status = 'failed'`,
            'and (s.deployed_at is null or p.finished_at > s.deployed_at)',
            'group by p.entity_ref, p.phase) as failed_counts group by entity_ref',
          ].join(' '),
          [...refBindings, ...refBindings, ...refBindings],
        )
        .options(this.postgres ? this.prepared('status_summary') : {}),
    );
    for (const row of rows) {
      let phases = result.get(row.entity_ref);
      if (!phases) {
        phases = {};
        result.set(row.entity_ref, phases);
      }
      for (const part of row.data.split(' ')) {
        const [phase, value, n, scheduled] = part.split('=');
        const summary = (phases[phase] ??= { pending: 0 });
        if (row.kind === 'current') {
          summary.currentVersion = value;
        } else if (row.kind === 'failed') {
          summary.failed = true;
        } else if (isActiveStatus(value as PromotionStatus)) {
          summary.activeStatus = value as PromotionStatus;
        } else {
          if (value === 'pending_approval') summary.pending += Number(n);
          if (
            WAITING_PROMOTION_STATUSES.includes(value as PromotionStatus) &&
            Number(scheduled) > 0
          ) {
            summary.scheduled = (summary.scheduled ?? 0) + Number(scheduled);
          }
        }
      }
    }
    return result;
  }

  async importPromotion(p: PromotionImport): Promise<Promotion> {
    return inTransaction(this.db, this.onCommit, async tx => {
      const release = await tx<ReleaseRow>('release_releases')
        .where({ entity_ref: p.entityRef, version: p.version })
        .first();
      if (!release) {
        throw new ConflictError(
          `Release ${p.version} of ${p.entityRef} does not exist`,
        );
      }
      const id = randomUUID();
      const finished = isFinalStatus(p.status);
      const finishedAt = finished ? p.finishedAt ?? p.requestedAt : null;
      const row = (await insertPromotion(
        tx,
        {
          id,
          entityRef: p.entityRef,
          phase: p.phase,
          version: p.version,
          releaseId: release.id,
          status: p.status,
          actor: p.requestedBy,
          action: 'promotion.import',
          columns: {
            requested_at: p.requestedAt,
            comment: p.comment ?? null,
            kind: p.kind ?? 'promote',
            started_at: finished ? p.requestedAt : null,
          },
          finishedAt: finishedAt ?? undefined,
        },
        p.requestedAt,
      )) as PromotionRow;
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
