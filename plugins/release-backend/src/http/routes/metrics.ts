import { InputError } from '@backstage/errors';
import {
  computeDoraMetrics,
  productionPhaseOf,
  releaseReadPermission,
  resolveMetricsPeriod,
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
  const deployments = await ctx.metrics.productionDeployments(
    [...scopes.values()],
    { from, to, now: ctx.clock() },
  );
  const { metrics, series } = computeDoraMetrics(deployments, {
    from,
    to,
    bucket,
  });
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
