/**
 * DORA delivery metrics from the plugin's own history, as pure functions.
 * The backend selects the finished production deployments (see the
 * release-backend README for the exact SQL); everything from there on is
 * computed here, the same way for one entity and for a group.
 */

/** A finished deployment in an entity's production phase. @public */
export interface ProductionDeployment {
  entityRef: string;
  /** `promote` is a change; `rollback` redeploys an earlier release. */
  kind: 'promote' | 'rollback';
  status: 'succeeded' | 'failed';
  /** When the deployment finished (ISO). */
  finishedAt: string;
  /** When the release was created (ISO). */
  releaseCreatedAt: string;
  /** When the release's commit was made (ISO), where known. */
  committedAt?: string;
}

/** DORA performance band. @public */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/** Median and 90th percentile of a set of durations. @public */
export interface DurationStats {
  count: number;
  medianSeconds?: number;
  p90Seconds?: number;
}

/** The four DORA figures over a period. @public */
export interface DoraMetrics {
  /** Successful change deployments to production in the period. */
  deployments: number;
  deploymentsPerDay: number;
  /** Commit (or release creation) to production success. */
  leadTime: DurationStats;
  /** Failed or rolled-back ÷ finished change deployments; null when none. */
  changeFailureRate: number | null;
  failedDeployments: number;
  changeDeployments: number;
  /** A failed or rolled-back deployment to the next production success. */
  timeToRestore: DurationStats;
  /** Failures in the period with no production success after them yet. */
  unrestored: number;
  bands: {
    deploymentFrequency?: DoraBand;
    leadTime?: DoraBand;
    changeFailureRate?: DoraBand;
    timeToRestore?: DoraBand;
    overall?: DoraBand;
  };
}

/** One bucket of the trend series. @public */
export interface DoraSeriesPoint {
  /** Start of the bucket (ISO, UTC midnight; weeks start on Monday). */
  start: string;
  deployments: number;
  failures: number;
  leadTimeMedianSeconds?: number;
  timeToRestoreMedianSeconds?: number;
}

/** Width of a trend bucket. @public */
export type DoraBucket = 'day' | 'week';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The percentile `q` (0…1) of `values` by linear interpolation between the
 * closest ranks, as PostgreSQL's `percentile_cont` computes it.
 * @public
 */
export function percentile(values: number[], q: number): number | undefined {
  return ofSorted(Float64Array.from(values).sort(), q);
}

/** The percentile `q` of values sorted in ascending order. */
function ofSorted(sorted: Float64Array, q: number): number | undefined {
  if (sorted.length === 0) {
    return undefined;
  }
  const rank = q * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

function stats(millis: number[]): DurationStats {
  // A typed array sorts numbers natively, without a compare callback.
  const sorted = Float64Array.from(millis).sort();
  const median = ofSorted(sorted, 0.5);
  const p90 = ofSorted(sorted, 0.9);
  return {
    count: millis.length,
    medianSeconds: median === undefined ? undefined : median / 1000,
    p90Seconds: p90 === undefined ? undefined : p90 / 1000,
  };
}

/**
 * The DORA band of each figure, by the thresholds of the Accelerate State
 * of DevOps report (2023): deployment frequency elite at least daily, high
 * at least weekly, medium at least monthly; lead time elite under a day,
 * high up to a week, medium up to a month; change failure rate elite up to
 * 5 %, high up to 10 %, medium up to 15 %; time to restore elite under an
 * hour, high under a day, medium up to a week. Else low. Overall is the
 * lowest band of the figures that have data.
 * @public
 */
export function doraBands(m: Omit<DoraMetrics, 'bands'>): DoraMetrics['bands'] {
  const bands: DoraMetrics['bands'] = {};
  if (m.changeDeployments === 0 && m.deployments === 0) {
    return bands;
  }
  const perDay = m.deploymentsPerDay;
  if (perDay >= 1) bands.deploymentFrequency = 'elite';
  else if (perDay >= 1 / 7) bands.deploymentFrequency = 'high';
  else if (perDay >= 1 / 30) bands.deploymentFrequency = 'medium';
  else bands.deploymentFrequency = 'low';

  const lead = m.leadTime.medianSeconds;
  if (lead !== undefined) {
    const ms = lead * 1000;
    if (ms < DAY) bands.leadTime = 'elite';
    else if (ms <= 7 * DAY) bands.leadTime = 'high';
    else if (ms <= 30 * DAY) bands.leadTime = 'medium';
    else bands.leadTime = 'low';
  }
  if (m.changeFailureRate !== null) {
    const r = m.changeFailureRate;
    if (r <= 0.05) bands.changeFailureRate = 'elite';
    else if (r <= 0.1) bands.changeFailureRate = 'high';
    else if (r <= 0.15) bands.changeFailureRate = 'medium';
    else bands.changeFailureRate = 'low';
  }
  const restore = m.timeToRestore.medianSeconds;
  if (restore !== undefined) {
    const ms = restore * 1000;
    if (ms < HOUR) bands.timeToRestore = 'elite';
    else if (ms < DAY) bands.timeToRestore = 'high';
    else if (ms <= 7 * DAY) bands.timeToRestore = 'medium';
    else bands.timeToRestore = 'low';
  }
  const order: DoraBand[] = ['elite', 'high', 'medium', 'low'];
  const present = [
    bands.deploymentFrequency,
    bands.leadTime,
    bands.changeFailureRate,
    bands.timeToRestore,
  ].filter((b): b is DoraBand => b !== undefined);
  if (present.length) {
    bands.overall = order[Math.max(...present.map(b => order.indexOf(b)))];
  }
  return bands;
}

/** The bucket a time falls in (UTC day, or ISO week from Monday). */
function bucketStart(time: number, bucket: DoraBucket): number {
  const day = Math.floor(time / DAY) * DAY;
  if (bucket === 'day') {
    return day;
  }
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * DAY;
}

/**
 * What one change deployment contributed: whether it succeeded or failed
 * (or was rolled back), its lead time and its time to restore.
 * @public
 */
export interface ChangeOutcome {
  finishedAt: number;
  succeeded: boolean;
  failed: boolean;
  leadTimeMs?: number;
  restoreMs?: number;
  unrestored: boolean;
}

/**
 * The DORA figures and a trend series over [from, to) from the finished
 * production deployments of one or more entities (each entity's in finish
 * order; entities may be interleaved).
 * @public
 */
export function computeDoraMetrics(
  deployments: ProductionDeployment[],
  period: { from: Date; to: Date; bucket: DoraBucket },
): { metrics: DoraMetrics; series: DoraSeriesPoint[] } {
  const byEntity = new Map<string, ProductionDeployment[]>();
  for (const d of deployments) {
    const list = byEntity.get(d.entityRef) ?? [];
    list.push(d);
    byEntity.set(d.entityRef, list);
  }
  return summarizeDoraOutcomes(
    [...byEntity.values()].flatMap(doraOutcomes),
    period,
  );
}

/**
 * The outcomes of every change deployment of one entity's finished
 * production deployments (in the order they finished). An outcome depends
 * only on the deployments after it, so when `deployments` runs up to now the
 * outcomes hold for any period: {@link summarizeDoraOutcomes} picks a
 * period's without classifying again.
 * @public
 */
export function doraOutcomes(
  deployments: ProductionDeployment[],
): ChangeOutcome[] {
  const times = deployments.map(d => Date.parse(d.finishedAt));
  // Index of the next successful deployment after each position.
  const nextSuccess: number[] = new Array(deployments.length).fill(-1);
  let next = -1;
  for (let i = deployments.length - 1; i >= 0; i--) {
    nextSuccess[i] = next;
    if (deployments[i].status === 'succeeded') {
      next = i;
    }
  }
  const outcomes: ChangeOutcome[] = [];
  deployments.forEach((d, i) => {
    const at = times[i];
    if (d.kind !== 'promote') {
      return;
    }
    const n = nextSuccess[i];
    const succeeded = d.status === 'succeeded';
    // A success is rolled back when the next success after it is a rollback.
    const rolledBack =
      succeeded && n >= 0 && deployments[n].kind === 'rollback';
    const failed = !succeeded || rolledBack;
    const start = Date.parse(d.committedAt ?? d.releaseCreatedAt);
    outcomes.push({
      finishedAt: at,
      succeeded,
      failed,
      leadTimeMs: succeeded ? Math.max(0, at - start) : undefined,
      restoreMs: failed && n >= 0 ? times[n] - at : undefined,
      unrestored: failed && n < 0,
    });
  });
  return outcomes;
}

/**
 * The DORA figures and trend series of the outcomes finishing in
 * [from, to) (of one or more entities, in any order); outcomes outside the
 * period are ignored.
 * @public
 */
export function summarizeDoraOutcomes(
  all: ChangeOutcome[],
  period: { from: Date; to: Date; bucket: DoraBucket },
): { metrics: DoraMetrics; series: DoraSeriesPoint[] } {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const outcomes = all.filter(o => o.finishedAt >= from && o.finishedAt < to);

  const successes = outcomes.filter(o => o.succeeded);
  const failures = outcomes.filter(o => o.failed);
  const leadTimes = successes.map(o => o.leadTimeMs!);
  const restores = failures
    .filter(o => o.restoreMs !== undefined)
    .map(o => o.restoreMs!);
  const days = Math.max(to - from, 1) / DAY;
  const base = {
    deployments: successes.length,
    deploymentsPerDay: successes.length / days,
    leadTime: stats(leadTimes),
    changeFailureRate: outcomes.length
      ? failures.length / outcomes.length
      : null,
    failedDeployments: failures.length,
    changeDeployments: outcomes.length,
    timeToRestore: stats(restores),
    unrestored: failures.filter(o => o.unrestored).length,
  };

  // One pass over the outcomes into their buckets.
  const buckets = new Map<
    number,
    {
      deployments: number;
      failures: number;
      leads: number[];
      restores: number[];
    }
  >();
  for (let b = bucketStart(from, period.bucket); b < to; ) {
    buckets.set(b, { deployments: 0, failures: 0, leads: [], restores: [] });
    b += period.bucket === 'day' ? DAY : 7 * DAY;
  }
  for (const o of outcomes) {
    const bucket = buckets.get(bucketStart(o.finishedAt, period.bucket));
    if (!bucket) continue;
    if (o.succeeded) {
      bucket.deployments++;
      bucket.leads.push(o.leadTimeMs!);
    }
    if (o.failed) bucket.failures++;
    if (o.restoreMs !== undefined) bucket.restores.push(o.restoreMs);
  }
  const series: DoraSeriesPoint[] = [];
  for (const [start, bucket] of buckets) {
    const lead = percentile(bucket.leads, 0.5);
    const restore = percentile(bucket.restores, 0.5);
    series.push({
      start: new Date(start).toISOString(),
      deployments: bucket.deployments,
      failures: bucket.failures,
      leadTimeMedianSeconds: lead === undefined ? undefined : lead / 1000,
      timeToRestoreMedianSeconds:
        restore === undefined ? undefined : restore / 1000,
    });
  }
  return { metrics: { ...base, bands: doraBands(base) }, series };
}

/**
 * Until when a summary stays the same as the period slides forward: for
 * every `to'` in [`period.to`, result) the figures and series of
 * {@link summarizeDoraOutcomes} over [`to'` − length, `to'`) equal those over
 * `period`, as long as the outcomes do not change. The first of: the oldest
 * outcome in the period leaving it, a later outcome entering it, and the
 * bucket grid moving (the period's start or end crossing a bucket boundary).
 * `outcomes` must be in finish order.
 * @public
 */
export function doraSummaryValidUntil(
  outcomes: ChangeOutcome[],
  period: { from: Date; to: Date; bucket: DoraBucket },
): number {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const length = to - from;
  const step = period.bucket === 'day' ? DAY : 7 * DAY;
  const first = bisect(outcomes, from);
  const next = bisect(outcomes, to);
  // The last grid point before `to`; the grid starts at the bucket of `from`.
  const start = bucketStart(from, period.bucket);
  const last = start + Math.floor((to - 1 - start) / step) * step;
  return Math.min(
    // The oldest outcome in the period leaves once `from` passes it.
    first < next ? outcomes[first].finishedAt + length + 1 : Infinity,
    // An outcome finishing at or after `to` enters once `to` passes it.
    next < outcomes.length ? outcomes[next].finishedAt + 1 : Infinity,
    // The grid starts at the next bucket once `from` reaches it …
    start + step + length,
    // … and gains a bucket once `to` passes the next grid point.
    last + step + 1,
  );
}

/** The index of the first outcome finishing at or after `time`. */
function bisect(outcomes: ChangeOutcome[], time: number): number {
  let lo = 0;
  let hi = outcomes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (outcomes[mid].finishedAt < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The longest period metrics are computed over. @public */
export const MAX_METRICS_PERIOD_DAYS = 366;

/**
 * Resolves a metrics period from optional query values: `to` defaults to
 * now, `from` to 30 days before `to`; the bucket to days up to 31 days,
 * else weeks. Throws with a message saying what is wrong.
 * @public
 */
export function resolveMetricsPeriod(
  query: { from?: string; to?: string; bucket?: DoraBucket },
  now: Date,
): { from: Date; to: Date; bucket: DoraBucket } {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from
    ? new Date(query.from)
    : new Date(to.getTime() - 30 * DAY);
  if (Number.isNaN(to.getTime()) || Number.isNaN(from.getTime())) {
    throw new Error('from and to must be ISO 8601 date-times');
  }
  if (from.getTime() >= to.getTime()) {
    throw new Error('from must be before to');
  }
  if (to.getTime() - from.getTime() > MAX_METRICS_PERIOD_DAYS * DAY) {
    throw new Error(
      `the period may span at most ${MAX_METRICS_PERIOD_DAYS} days`,
    );
  }
  const bucket =
    query.bucket ??
    (to.getTime() - from.getTime() <= 31 * DAY ? 'day' : 'week');
  return { from, to, bucket };
}

/** Body of `GET …/metrics` and `GET /metrics`. @public */
export interface MetricsResponse {
  from: string;
  to: string;
  bucket: DoraBucket;
  /** The entities measured. */
  entityRefs: string[];
  /** The production phase of each pipeline measured. */
  productionPhases?: Record<string, string>;
  metrics: DoraMetrics;
  series: DoraSeriesPoint[];
}

/** Query of the metrics routes. @public */
export interface MetricsQuery {
  /** ISO date-time; default 30 days before `to`. */
  from?: string;
  /** ISO date-time; default now. */
  to?: string;
  bucket?: DoraBucket;
}
