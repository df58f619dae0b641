import type {
  FactRetriever,
  FactRetrieverContext,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  MAX_METRICS_PERIOD_DAYS,
  RELEASE_PIPELINE_ANNOTATION,
} from '@release-manager/backstage-plugin-release-common';
import type { MetricsResponse } from '@release-manager/backstage-plugin-release-common';

/**
 * The id of the fact retriever; Tech Insights checks name it in `factIds`.
 * @public
 */
export const RELEASE_DELIVERY_METRICS_FACT_RETRIEVER_ID =
  'release-delivery-metrics';

/** The default period measured, in days (the release plugin's default too). */
export const DEFAULT_METRICS_DAYS = 30;

/** Metrics requests to the release backend at a time. */
const CONCURRENCY = 5;

const DAY = 86_400_000;

/**
 * Options of {@link createReleaseDeliveryMetricsFactRetriever}.
 * @public
 */
export interface ReleaseDeliveryMetricsFactRetrieverOptions {
  /** The catalog, to list the entities with a release pipeline. */
  catalog: CatalogService;
  /**
   * The period measured: the `days` days up to the retrieval (default 30,
   * at most 366).
   */
  days?: number;
}

/** The facts of one entity from the release plugin's metrics response. */
export function factsOf(
  body: MetricsResponse,
): Record<string, number | string> {
  const m = body.metrics;
  const facts: Record<string, number | string> = {
    deployments: m.deployments,
    deploymentsPerWeek: m.deploymentsPerDay * 7,
  };
  if (m.leadTime.medianSeconds !== undefined) {
    facts.leadTimeMedianHours = m.leadTime.medianSeconds / 3600;
  }
  if (m.changeFailureRate !== null && m.changeFailureRate !== undefined) {
    facts.changeFailureRate = m.changeFailureRate;
  }
  if (m.timeToRestore.medianSeconds !== undefined) {
    facts.timeToRestoreMedianHours = m.timeToRestore.medianSeconds / 3600;
  }
  if (m.bands.overall) {
    facts.doraBand = m.bands.overall;
  }
  return facts;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
}

/**
 * A Tech Insights fact retriever with the delivery (DORA) metrics of each
 * entity that has a release pipeline (the `release.backstage.io/pipeline`
 * annotation), read from the release backend's
 * `GET /entities/:kind/:namespace/:name/metrics` over the last `days` days
 * with the tech-insights plugin's own service credentials.
 *
 * Facts: `deployments` and `deploymentsPerWeek` for every entity measured
 * (0 when nothing was deployed); `leadTimeMedianHours`, `changeFailureRate`
 * (a fraction 0…1), `timeToRestoreMedianHours` and `doraBand` (overall band)
 * only where the period has the data. An entity the release backend cannot
 * measure (e.g. its pipeline is not configured) gets no facts; it is logged.
 *
 * @public
 */
export function createReleaseDeliveryMetricsFactRetriever(
  options: ReleaseDeliveryMetricsFactRetrieverOptions,
): FactRetriever {
  const days = options.days ?? DEFAULT_METRICS_DAYS;
  if (!(days > 0 && days <= MAX_METRICS_PERIOD_DAYS)) {
    throw new Error(
      `The period of the release delivery metrics must be more than 0 and at most ${MAX_METRICS_PERIOD_DAYS} days, not ${days}`,
    );
  }
  const { catalog } = options;
  return {
    id: RELEASE_DELIVERY_METRICS_FACT_RETRIEVER_ID,
    version: '0.1.0',
    title: 'Release delivery metrics',
    description: `Delivery (DORA) metrics of the last ${days} days from the Release Manager, for entities with a release pipeline`,
    entityFilter: [
      {
        [`metadata.annotations.${RELEASE_PIPELINE_ANNOTATION}`]:
          CATALOG_FILTER_EXISTS,
      },
    ],
    schema: {
      deployments: {
        type: 'integer',
        description:
          'Successful change deployments to the production phase in the period',
      },
      deploymentsPerWeek: {
        type: 'float',
        description:
          'Deployment frequency: successful production change deployments per week over the period',
      },
      leadTimeMedianHours: {
        type: 'float',
        description:
          'Median lead time for changes (commit, or release creation, to production success), hours; missing without a successful deployment',
      },
      changeFailureRate: {
        type: 'float',
        description:
          'Failed or rolled-back production change deployments divided by finished ones, a fraction from 0 to 1; missing without a finished change deployment',
      },
      timeToRestoreMedianHours: {
        type: 'float',
        description:
          'Median time from a failed production change deployment to the next production success, hours; missing without a restored failure',
      },
      doraBand: {
        type: 'string',
        description:
          'Overall DORA band (elite, high, medium or low): the lowest band of the figures that have data; missing without change deployments',
      },
    },
    async handler(ctx: FactRetrieverContext): Promise<TechInsightFact[]> {
      const { auth, discovery, logger, entityFilter } = ctx;
      const { items } = await catalog.getEntities(
        {
          filter: entityFilter,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const baseUrl = await discovery.getBaseUrl('release');
      const to = new Date();
      const from = new Date(to.getTime() - days * DAY);
      const query = new URLSearchParams({
        from: from.toISOString(),
        to: to.toISOString(),
      });
      const facts: TechInsightFact[] = [];
      await eachLimited(items, CONCURRENCY, async entity => {
        const ref = {
          kind: entity.kind,
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        };
        const path = [
          ref.kind.toLocaleLowerCase('en-US'),
          ref.namespace,
          ref.name,
        ]
          .map(encodeURIComponent)
          .join('/');
        try {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'release',
          });
          const res = await fetch(
            `${baseUrl}/entities/${path}/metrics?${query}`,
            { headers: { Authorization: `Bearer ${token}` } },
          );
          if (!res.ok) {
            const text = await res.text();
            logger.warn(
              `No delivery metrics for ${ref.kind}:${ref.namespace}/${
                ref.name
              }: the release backend answered ${res.status} ${text.slice(
                0,
                300,
              )}`,
            );
            return;
          }
          const body = (await res.json()) as MetricsResponse;
          facts.push({ entity: ref, facts: factsOf(body) });
        } catch (e) {
          logger.warn(
            `No delivery metrics for ${ref.kind}:${ref.namespace}/${
              ref.name
            }: ${(e as Error).message}`,
          );
        }
      });
      return facts;
    },
  };
}
