export interface Config {
  release?: {
    providers?: {
      /**
       * The `kubernetes` deployment provider. Phases name a cluster with
       * `provider.cluster`, found here first, then in the Kubernetes
       * plugin's `kubernetes.clusterLocatorMethods` (type `config`, service
       * account auth). Phase settings: `cluster`, `namespace`, `deployment`,
       * and optionally `container`, `image`, `secretName`, `naming` (see the README).
       */
      kubernetes?: {
        /** Deadline of one call to an API server, in milliseconds. Default 10000. */
        timeoutMs?: number;
        /** Clusters phases may deploy to. */
        clusters?: Array<{
          /** Name phases refer to. */
          name: string;
          /** URL of the API server; plain http needs skipTLSVerify. */
          url: string;
          /**
           * Bearer token of a service account allowed to get and update the
           * Deployments and to get, create and update Secrets in the phases' namespaces.
           * @visibility secret
           */
          serviceAccountToken: string;
          /** Base64-encoded PEM of the API server's certificate authority. */
          caData?: string;
          /** Skip TLS verification (development only). Default false. */
          skipTLSVerify?: boolean;
        }>;
      };
    };
  };
}
