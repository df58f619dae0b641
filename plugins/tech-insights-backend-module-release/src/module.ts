import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createReleaseDeliveryMetricsFactRetriever } from './factRetriever';

/**
 * The key of the fact retriever under `techInsights.factRetrievers` in
 * app-config: the tech-insights plugin reads `cadence`, `lifecycle`,
 * `timeout` and `initialDelay` there, this module `days`.
 * @public
 */
export const RELEASE_DELIVERY_METRICS_CONFIG_KEY = 'releaseDeliveryMetrics';

/**
 * Adds the `release-delivery-metrics` fact retriever to the tech-insights
 * plugin: the Release Manager's delivery (DORA) metrics of each entity with
 * a release pipeline, as facts for scorecards. The tech-insights plugin
 * schedules it from `techInsights.factRetrievers.releaseDeliveryMetrics`
 * (`cadence` is required there; without that block it does not run); this
 * module reads `days` (default 30) from the same block.
 *
 * @public
 */
export const techInsightsModuleReleaseDeliveryMetrics = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'release-delivery-metrics',
  register(reg) {
    reg.registerInit({
      deps: {
        factRetrievers: techInsightsFactRetrieversExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({ factRetrievers, config, logger, catalog }) {
        const key = `techInsights.factRetrievers.${RELEASE_DELIVERY_METRICS_CONFIG_KEY}`;
        if (!config.has(key)) {
          logger.warn(
            `The release delivery metrics fact retriever is not scheduled: add ${key}.cadence (e.g. '0 4 * * *' for daily) to app-config`,
          );
        }
        factRetrievers.addFactRetrievers({
          [RELEASE_DELIVERY_METRICS_CONFIG_KEY]:
            createReleaseDeliveryMetricsFactRetriever({
              catalog,
              days: config.getOptionalNumber(`${key}.days`),
            }),
        });
      },
    });
  },
});
