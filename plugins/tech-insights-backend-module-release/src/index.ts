/**
 * The Release Manager's delivery (DORA) metrics as Tech Insights facts: a
 * backend module of the tech-insights plugin with the
 * `release-delivery-metrics` fact retriever.
 *
 * @packageDocumentation
 */

export { techInsightsModuleReleaseDeliveryMetrics as default } from './module';
export { RELEASE_DELIVERY_METRICS_CONFIG_KEY } from './module';
export {
  createReleaseDeliveryMetricsFactRetriever,
  RELEASE_DELIVERY_METRICS_FACT_RETRIEVER_ID,
} from './factRetriever';
export type { ReleaseDeliveryMetricsFactRetrieverOptions } from './factRetriever';
