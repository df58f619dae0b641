export interface Config {
  /** Configuration of the Release Manager plugins. */
  release?: {
    /**
     * Pipeline templates, keyed by the name an entity names in its
     * `release.backstage.io/pipeline` annotation. A built-in `default`
     * template (Dev → QA/Demo → Stage → Live) exists unless one is defined here.
     */
    pipelines?: {
      [name: string]: {
        /** Display title of the pipeline. */
        title?: string;
        /** Phases in promotion order. */
        phases: Array<{
          /** Phase id: lower-case letters, digits and dashes, starting with a letter. */
          id: string;
          /** Display title, e.g. "QA/Demo". Default: the id. */
          title?: string;
          /** Deployment provider of the phase. Default: `{ type: simulated }`. */
          provider?: {
            /** Provider type: simulated, webhook, github-actions, argocd or one added by a module. */
            type: string;
            /** Provider-specific settings. */
            [key: string]: unknown;
          };
          /** Promote automatically once the required phase succeeded and gates pass. Default false. */
          autoPromote?: boolean;
          /**
           * The phase a release must have succeeded in before it may be
           * promoted here. Default: the previous phase; `false` for none.
           */
          requires?: string | false;
          /** Approval gate. */
          approvals?: {
            /** Number of distinct eligible approvals needed. Default 0. */
            required?: number;
            /** User or group refs allowed to approve; default: `access.approvers`. */
            approvers?: string[];
            /** Whether the requester may approve their own promotion. Default false. */
            allowSelfApproval?: boolean;
          };
          /** Recurring freeze windows during which nothing is deployed. */
          freezeWindows?: Array<{
            /** Cron expression (5 fields) for the start of each window. */
            cron: string;
            /** ISO 8601 duration of each window, e.g. PT12H. */
            duration: string;
            /** IANA time zone of the cron expression. Default UTC. */
            timezone?: string;
            /** Shown to users while the window is active. */
            reason?: string;
          }>;
          /** ISO 8601 duration a release must have run in the required phase first. */
          soakTime?: string;
          /** Who may act in the phase (user or group refs). Default: the entity's owners. */
          access?: {
            /** May request promotions and rollbacks into the phase. */
            deployers?: string[];
            /** May approve or reject promotions into the phase. */
            approvers?: string[];
            /** May change the phase's configuration and secrets. */
            configEditors?: string[];
          };
          /** Default phase configuration for every entity using the template. */
          config?: {
            /** Environment variables. */
            variables?: { [name: string]: string };
            /** Database binding. */
            database?: {
              /** Database engine, e.g. postgres. */
              engine?: string;
              /** Host name. */
              host?: string;
              /** Port. */
              port?: number;
              /** Database name. */
              name?: string;
              /** User name. */
              user?: string;
              /** Name of the phase secret that holds the password. */
              passwordSecret?: string;
            };
            /** Runtime sizing. */
            sizing?: {
              /** Number of replicas. */
              replicas?: number;
              /** CPU request, e.g. 500m. */
              cpu?: string;
              /** Memory request, e.g. 512Mi. */
              memory?: string;
            };
          };
        }>;
      };
    };
  };
}
