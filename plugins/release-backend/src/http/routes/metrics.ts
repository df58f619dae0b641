import { InputError } from '@backstage/errors';
import {
  ChangeOutcome,
  computeDoraMetrics,
  doraOutcomes,
  doraSummaryValidUntil,
  DoraMetrics,
  DoraSeriesPoint,
  MAX_METRICS_PERIOD_DAYS,
  productionPhaseOf,
  releaseReadPermission,
  resolveMetricsPeriod,
  summarizeDoraOutcomes,
} from '@release-manager/backstage-plugin-release-common';
import { ReleaseEntity } from '../../access/EntityResolver';
import { ProductionScope } from '../../database/DatabaseMetricsStore';
import {
  callerCredentials,
  readableEntity,
  ReleaseApiRouter,
  RouteContext,
} from '../context';

/** The period of a metrics request; a bad one is a 400 saying why. */
function period(
  ctx: RouteContext,
  query: { from?: string; to?: string; bucket?: 'day' | 'week' },
) {
  try {
    return resolveMetricsPeriod(query, ctx.clock());
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

const DAY = 86_400_000;
/** A period ending this close to now (or later) is read from the cache. */
const RECENT_MS = 5 * 60_000;

/** One entity's outcomes as cached, with the summaries made of them. */
interface CachedOutcomes {
  since: number;
  outcomes: ChangeOutcome[];
  /**
   * Summaries of a period ending about now, by period length and bucket,
   * each with the span of period ends it holds for. Dropped with the entry
   * when the entity changes.
   */
  summaries: Map<
    string,
    {
      to: number;
      validUntil: number;
      summary: { metrics: DoraMetrics; series: DoraSeriesPoint[] };
    }
  >;
}

/**
 * The change outcomes of each scoped entity's production deployments of
 * the last {@link MAX_METRICS_PERIOD_DAYS} days and one more, through the
 * read cache: each entity's are classified once and kept until the entity
 * changes (a deployment finishing changes it), so a period ending now is
 * summed up from memory. Undefined when there is no read cache, or when an
 * entry does not reach back to `from`.
 */
async function cachedOutcomes(
  ctx: RouteContext,
  scopes: ProductionScope[],
  from: Date,
): Promise<CachedOutcomes[] | undefined> {
  const cache = ctx.readCache;
  if (!cache) return undefined;
  const found: CachedOutcomes[] = [];
  for (const scope of scopes) {
    const since = ctx.clock().getTime() - (MAX_METRICS_PERIOD_DAYS + 1) * DAY;
    const entries = await cache.readMany(
      scope.entityRefs,
      () => `dora:${scope.phase}`,
      async refs => {
        const history = await ctx.metrics.productionHistory(
          { phase: scope.phase, entityRefs: refs },
          new Date(since),
        );
        return new Map(
          [...history].map(([ref, list]) => [
            ref,
            {
              since,
              outcomes: doraOutcomes(list),
              summaries: new Map(),
            } as CachedOutcomes,
          ]),
        );
      },
    );
    for (const ref of scope.entityRefs) {
      const entry = entries.get(ref);
      if (!entry || entry.since > from.getTime()) return undefined;
      found.push(entry);
    }
  }
  return found;
}

/**
 * The summary of the cached outcomes over the period. One entity's summary
 * is kept on its cache entry for as long as sliding the period forward
 * cannot change it ({@link doraSummaryValidUntil}).
 */
function summarize(
  entries: CachedOutcomes[],
  span: { from: Date; to: Date; bucket: 'day' | 'week' },
) {
  if (entries.length !== 1) {
    return summarizeDoraOutcomes(
      entries.flatMap(e => e.outcomes),
      span,
    );
  }
  const [entry] = entries;
  const to = span.to.getTime();
  const key = `${to - span.from.getTime()}|${span.bucket}`;
  const kept = entry.summaries.get(key);
  if (kept && kept.to <= to && to < kept.validUntil) {
    return kept.summary;
  }
  const summary = summarizeDoraOutcomes(entry.outcomes, span);
  if (entry.summaries.size >= 20) entry.summaries.clear();
  entry.summaries.set(key, {
    to,
    validUntil: doraSummaryValidUntil(entry.outcomes, span),
    summary,
  });
  return summary;
}

/** DORA metrics over the given entities, each in its production phase. */
async function metricsOf(
  ctx: RouteContext,
  targets: ReleaseEntity[],
  query: { from?: string; to?: string; bucket?: 'day' | 'week' },
) {
  const { from, to, bucket } = period(ctx, query);
  const scopes = new Map<string, ProductionScope>();
  const productionPhases: Record<string, string> = {};
  for (const target of targets) {
    const phase = productionPhaseOf(target.template);
    productionPhases[target.template.name] = phase;
    const scope = scopes.get(phase) ?? { phase, entityRefs: [] };
    scope.entityRefs.push(target.entityRef);
    scopes.set(phase, scope);
  }
  const now = ctx.clock();
  const cached =
    to.getTime() >= now.getTime() - RECENT_MS
      ? await cachedOutcomes(ctx, [...scopes.values()], from)
      : undefined;
  const { metrics, series } = cached
    ? summarize(cached, { from, to, bucket })
    : computeDoraMetrics(
        await ctx.metrics.productionDeployments([...scopes.values()], {
          from,
          to,
          now,
        }),
        { from, to, bucket },
      );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket,
    entityRefs: targets.map(t => t.entityRef),
    productionPhases,
    metrics,
    series,
  };
}

/** Delivery (DORA) metrics per entity and per group of entities. */
export function registerMetricsRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.get('/entities/:kind/:namespace/:name/metrics', async (req, res) => {
    const { target } = await readableEntity(ctx, req, req.params);
    res.json(await metricsOf(ctx, [target], req.query));
  });

  router.get('/metrics', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const { owner, system, pipeline } = req.query;
    if (!owner && !system && !pipeline) {
      throw new InputError(
        'Name at least one of owner, system or pipeline to measure a group of entities',
      );
    }
    // Entities the caller may see in the catalog, then those whose release
    // read permission allows it (a list filters, it does not fail).
    const refs = await ctx.entities.findRefs(
      { owner, system, pipeline },
      credentials,
    );
    const targets = await ctx.entities.resolveMany(refs, credentials);
    const readable = await ctx.access.filter(
      credentials,
      releaseReadPermission,
      [...targets.keys()],
    );
    res.json(
      await metricsOf(
        ctx,
        [...targets.values()].filter(t => readable.has(t.entityRef)),
        req.query,
      ),
    );
  });
}
