export interface Config {
  release?: {
    providers?: {
      /**
       * Argo CD instances of the `argocd` deployment provider; phases select
       * one with `provider.instance`. Phase settings (in
       * `release.pipelines.<name>.phases[].provider`): `instance`,
       * `application`, `image` or `helmParameter`, and optionally
       * `helmValues`, `workload`, `secretRef`, `naming` (see the README).
       */
      argocd?: {
        instances?: Array<{
          /** Name phases refer to. */
          name: string;
          /** Base URL of the Argo CD server (http or https, no credentials, query or fragment). */
          url: string;
          /**
           * API token of an Argo CD account with get, update and sync on the applications.
           * @visibility secret
           */
          token: string;
        }>;
      };
    };
  };
}
