export interface Config {
  techInsights?: {
    factRetrievers?: {
      /**
       * The Release Manager's delivery (DORA) metrics fact retriever
       * (`release-delivery-metrics`). The tech-insights plugin schedules it
       * only when this block exists, and requires `cadence` in it; it also
       * reads `lifecycle`, `timeout` and `initialDelay` here (see its
       * configuration schema).
       */
      releaseDeliveryMetrics?: {
        /** Cron expression of the runs, e.g. `0 4 * * *` (daily). */
        cadence: string;
        /**
         * The period measured: the days up to each run. Default 30, at most
         * 366.
         */
        days?: number;
      };
    };
  };
}
