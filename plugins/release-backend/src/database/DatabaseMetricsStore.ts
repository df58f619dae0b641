import { ProductionDeployment } from '@release-manager/backstage-plugin-release-common';
import { Knex } from 'knex';
import { DbTime, toIso } from './rows';

/** The entities of one production phase, for a metrics query. */
export interface ProductionScope {
  /** The production phase id of these entities' pipeline. */
  phase: string;
  entityRefs: string[];
}

/** Reads the deployments delivery metrics are computed from. */
export interface MetricsStore {
  /**
   * The finished production deployments of the scoped entities that
   * finished in [from, to), and the first success of each entity at or
   * after `to` (to find restores and rollbacks after the period); each
   * entity's rows in the order they finished.
   */
  productionDeployments(
    scopes: ProductionScope[],
    period: { from: Date; to: Date; now?: Date },
  ): Promise<ProductionDeployment[]>;

  /**
   * Every finished production deployment of the scoped entities since
   * `since`, up to now: per entity ref, in the order they finished.
   */
  productionHistory(
    scope: ProductionScope,
    since: Date,
  ): Promise<Map<string, ProductionDeployment[]>>;
}

/**
 * A period that ends this close to `now` (or later) has next to nothing
 * after it: its successes after the end are read with one plain range read
 * instead of one `limit 1` read per entity.
 */
const RECENT_MS = 5 * 60_000;

type DeploymentRow = {
  entity_ref: string;
  kind: 'promote' | 'rollback';
  status: 'succeeded' | 'failed';
  finished_at: DbTime;
  release_created_at: DbTime;
  committed_at: DbTime | null;
};

/** Each entity's earliest finished row of `rows`. */
function firstPerEntity(rows: DeploymentRow[]): DeploymentRow[] {
  const first = new Map<string, DeploymentRow>();
  for (const row of rows) {
    const seen = first.get(row.entity_ref);
    if (!seen || toIso(row.finished_at) < toIso(seen.finished_at)) {
      first.set(row.entity_ref, row);
    }
  }
  return [...first.values()];
}

/** Entity refs per statement: well below every database's bind limit. */
const CHUNK = 200;

/**
 * The knex implementation of {@link MetricsStore}, on SQLite or PostgreSQL.
 * Both statements are range reads of the index release_promotions
 * (entity_ref, phase, finished_at) per entity; see the README for their
 * exact semantics.
 */
export class DatabaseMetricsStore implements MetricsStore {
  constructor(private readonly db: Knex) {}

  private base() {
    return this.db('release_promotions as p')
      .join('release_releases as r', 'r.id', 'p.release_id')
      .select(
        'p.entity_ref',
        'p.kind',
        'p.status',
        'p.finished_at',
        'r.created_at as release_created_at',
        'r.committed_at',
      );
  }

  async productionDeployments(
    scopes: ProductionScope[],
    period: { from: Date; to: Date; now?: Date },
  ): Promise<ProductionDeployment[]> {
    const rows: DeploymentRow[] = [];
    const recent =
      period.now !== undefined &&
      period.to.getTime() >= period.now.getTime() - RECENT_MS;
    for (const scope of scopes) {
      for (let i = 0; i < scope.entityRefs.length; i += CHUNK) {
        const refs = scope.entityRefs.slice(i, i + CHUNK);
        // The deployments that finished in the period.
        const inPeriod = this.base()
          .where('p.phase', scope.phase)
          .whereIn('p.entity_ref', refs)
          .whereIn('p.status', ['succeeded', 'failed'])
          .where('p.finished_at', '>=', period.from)
          .where('p.finished_at', '<', period.to);
        if (recent) {
          // The period ends about now: the few successes after it (those
          // of the last minutes, or none), in one read; each entity's
          // first of them is kept below.
          const [a, after] = await Promise.all([
            inPeriod,
            this.base()
              .where('p.phase', scope.phase)
              .whereIn('p.entity_ref', refs)
              .where('p.status', 'succeeded')
              .where('p.finished_at', '>=', period.to),
          ]);
          rows.push(...(a as DeploymentRow[]), ...firstPerEntity(after));
          continue;
        }
        // Each entity's first success at or after the end of the period:
        // one index range read per entity that stops at its first row
        // (a correlated min() would visit every success in the history).
        const firstAfter = refs.map((ref, j) =>
          this.db
            .select('*')
            .from(
              this.base()
                .where('p.entity_ref', ref)
                .where('p.phase', scope.phase)
                .where('p.status', 'succeeded')
                .where('p.finished_at', '>=', period.to)
                .orderBy('p.finished_at', 'asc')
                .limit(1)
                .as(`first_${j}`),
            ),
        );
        const firstAfterAll =
          firstAfter.length > 1
            ? firstAfter[0].unionAll(firstAfter.slice(1))
            : firstAfter[0];
        const [a, b] = await Promise.all([inPeriod, firstAfterAll]);
        rows.push(...(a as DeploymentRow[]), ...(b as DeploymentRow[]));
      }
    }
    return inFinishOrder(rows.map(toDeployment));
  }

  async productionHistory(
    scope: ProductionScope,
    since: Date,
  ): Promise<Map<string, ProductionDeployment[]>> {
    const history = new Map<string, ProductionDeployment[]>(
      scope.entityRefs.map(ref => [ref, []]),
    );
    for (let i = 0; i < scope.entityRefs.length; i += CHUNK) {
      const rows: DeploymentRow[] = await this.base()
        .where('p.phase', scope.phase)
        .whereIn('p.entity_ref', scope.entityRefs.slice(i, i + CHUNK))
        .whereIn('p.status', ['succeeded', 'failed'])
        .where('p.finished_at', '>=', since);
      for (const d of inFinishOrder(rows.map(toDeployment))) {
        history.get(d.entityRef)?.push(d);
      }
    }
    return history;
  }
}

function toDeployment(row: DeploymentRow): ProductionDeployment {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    status: row.status,
    finishedAt: toIso(row.finished_at),
    releaseCreatedAt: toIso(row.release_created_at),
    committedAt: row.committed_at ? toIso(row.committed_at) : undefined,
  };
}

/**
 * Each entity's rows in finish order (ties: successes last, so a failure
 * and its fix at the same instant read as failed, then fixed).
 */
function inFinishOrder(deployments: ProductionDeployment[]) {
  return deployments.sort(
    (x, y) =>
      x.entityRef.localeCompare(y.entityRef) ||
      x.finishedAt.localeCompare(y.finishedAt) ||
      x.status.localeCompare(y.status),
  );
}
