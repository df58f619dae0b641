export interface Config {
  /** Configuration of the Release Manager plugins. */
  release?: {
    /** Settings of the built-in deployment providers. */
    providers?: {
      /** The demo provider: waits, reports progress steps, then succeeds or fails. */
      simulated?: {
        /** How long a simulated deployment takes, in milliseconds. Default 20000. */
        durationMs?: number;
        /** Progress messages shown in turn. */
        steps?: string[];
        /** Share of deployments that fail, 0 to 1 (repeatable per promotion). Default 0. */
        failureRate?: number;
      };
      /** The webhook provider; phases set `provider.url` and optionally `provider.statusUrl`. */
      webhook?: {
        /**
         * Shared secret for HMAC-SHA256 signatures of outgoing deployments and
         * incoming callbacks (`POST /api/release/callbacks/webhook`).
         * @visibility secret
         */
        secret?: string;
        /** Deadline of one webhook call in milliseconds. Default 10000. */
        timeoutMs?: number;
      };
    };
    /** Backstage notifications of approval requests and outcomes. */
    notifications?: {
      /**
       * Whether to send notifications through the notifications service
       * (needs `@backstage/plugin-notifications-backend`). Default true; when
       * the notifications backend is missing, one warning is logged.
       */
      enabled?: boolean;
    };
    /** Seed data contributed by modules through `releaseSeedExtensionPoint`. */
    seed?: {
      /**
       * Whether to write the seeds into the database at startup: each seed
       * once per database (claimed by its id in the table `release_seeds`
       * in the same transaction, so replicas starting together seed once).
       * Default false: seeds from modules are then ignored.
       */
      enabled?: boolean;
    };
    /** Encryption of phase secrets (AES-256-GCM). */
    secrets?: {
      /**
       * Encryption keys. The first key encrypts new values; every listed key
       * decrypts, so rotate by adding a new key in front and keeping the old
       * one until nothing uses it. Required outside development.
       */
      keys?: Array<{
        /** Key id stored with each value: 1-32 letters, digits, '_' or '-'. */
        id: string;
        /**
         * 32 random bytes, base64 encoded.
         * @visibility secret
         */
        key: string;
      }>;
    };
    /** The in-process read cache (pipeline view, release pages, status). */
    readCache?: {
      /**
       * How a SQLite database *file* is used (an in-memory database is always
       * owned by one process). `shared` (default): other processes may write
       * the file, so each cached read first checks `PRAGMA data_version`
       * (one statement) and drops the cache when another process committed.
       * `exclusive`: only this process opens the file; cached reads cost no
       * statement, and a write by another process, noticed within 2 s,
       * switches the cache to `shared` with a warning.
       */
      sqliteFile?: 'exclusive' | 'shared';
      /**
       * How long a read reuses a permission decision for the same caller and
       * resource, ms: a list (the approvals inbox, the portfolio, the bulk
       * status, a group's metrics, a change set's config diff) reuses allowed
       * and denied ones, a single read only allowed ones. Default 5000; 0 asks
       * the permission framework on every request. Actions always ask, and
       * every write checks again inside its transaction.
       */
      listDecisionsMs?: number;
    };
    /** Timing of durable dispatch (all optional). */
    dispatcher?: {
      /** Whether this backend instance dispatches deployments. Default true. */
      enabled?: boolean;
      /** How often each instance looks for due work, ms. Default 2000. */
      pollIntervalMs?: number;
      /** How long a claim lasts before another instance may take over, ms. Default 60000. */
      leaseMs?: number;
      /** Deadline of one provider call, ms. Default 15000. */
      callTimeoutMs?: number;
      /** Unknown answers before a promotion fails. Default 5. */
      maxUnknown?: number;
      /** First retry delay after an unknown answer, doubling each time, ms. Default 2000. */
      backoffMs?: number;
      /** How long a deployment may take before it fails, ms. Default 1800000. */
      deploymentTimeoutMs?: number;
      /** How often a running deployment is asked for its status, ms. Default 2000. */
      followIntervalMs?: number;
      /** How long a promotion blocked at deploy time (lock, freeze, a failed or pending check) waits before the gates are evaluated again, ms. Default 30000. */
      gateRetryMs?: number;
      /** How often the after-deploy checks of a deployment being verified run, ms. Default 15000. */
      verifyIntervalMs?: number;
    };
    /**
     * Release trains: catalog Systems whose services ship together, one
     * release per member, requested, approved once and promoted in the
     * catalog's `dependsOn` order. A System not listed can still get a train
     * through the API with explicit members.
     */
    trains?: Array<{
      /** The catalog System, e.g. `system:default/shop`. Members: its Components with a release pipeline. */
      system: string;
      /** Title shown; default the System's title or name. */
      title?: string;
      /** Explicit members (a subset of the System's components). */
      members?: string[];
      /** Phases a train may target; default every phase but the first. */
      phases?: string[];
    }>;
    /** Verification checks (see `pipelines.*.phases[].checks`). */
    checks?: {
      /** Deadline of one check evaluation, ms. Default 10000. */
      timeoutMs?: number;
    };
    /**
     * Pipeline templates, keyed by the name an entity names in its
     * `release.backstage.io/pipeline` annotation. A built-in `default`
     * template (Dev → QA/Demo → Stage → Live) exists unless one is defined here.
     */
    pipelines?: {
      [name: string]: {
        /** Display title of the pipeline. */
        title?: string;
        /**
         * The phase whose deployments count as production in the delivery
         * (DORA) metrics. Default: the last phase.
         */
        productionPhase?: string;
        /** Phases in promotion order. */
        phases: Array<{
          /** Phase id: lower-case letters, digits and dashes, starting with a letter. */
          id: string;
          /** Display title, e.g. "QA/Demo". Default: the id. */
          title?: string;
          /** Deployment provider of the phase. Default: `{ type: simulated }`. */
          provider?: {
            /** Provider type: simulated, webhook, or one added by a module (github-actions, argocd, kubernetes …). */
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
          /**
           * Recurring windows the phase may deploy in (the inverse of freeze
           * windows), e.g. Tue–Thu 09:00–16:00 Europe/Berlin is
           * `{ cron: '0 9 * * 2-4', duration: PT7H, timezone: Europe/Berlin }`.
           * Without any, the phase may deploy at any time.
           */
          deploymentWindows?: Array<{
            /** Cron expression (5 fields) for the start of each window. */
            cron: string;
            /** ISO 8601 duration of each window (up to P7D), e.g. PT7H. */
            duration: string;
            /** IANA time zone of the cron expression. Default UTC. */
            timezone?: string;
            /** Shown to users, e.g. "office hours". */
            reason?: string;
          }>;
          /** ISO 8601 duration a release must have run in the required phase first. */
          soakTime?: string;
          /**
           * Verification checks. `before-deploy` checks are gates: a failed
           * one refuses approvals and holds the deployment; a pending one
           * holds the deployment until it passes (both overridable with a
           * reason, gate `checks`). `after-deploy` checks verify a
           * deployment the provider reports done: it stays deploying until
           * they pass, and fails when one fails or the window ends.
           */
          checks?: Array<{
            /** Check type: http, catalog, tech-insights, or one a module adds. */
            type: string;
            /** Unique within the phase; shown to users. */
            name: string;
            /** When the check runs. */
            when: 'before-deploy' | 'after-deploy';
            /** After-deploy only: ISO 8601 duration the check may take to pass. Default PT10M (the longest window of the phase applies). */
            window?: string;
            /** After-deploy only: `rollback` requests a rollback of the phase to its previous successful release when verification fails. */
            onFailure?: 'rollback';
            /**
             * http: URL to call, or a path starting with `/` on this
             * backend (resolved against backend.baseUrl); may use {{ entityRef }}, {{ entity.kind }},
             * {{ entity.namespace }}, {{ entity.name }}, {{ phase }} and
             * {{ version }}. Redirects are not followed.
             */
            url?: string;
            /** http: GET (default) or POST. */
            method?: 'GET' | 'POST';
            /** http: deadline of the call, ms. */
            timeoutMs?: number;
            /** http: require a field of the JSON answer to have a value; values in pendingValues mean "not decided yet". */
            json?: {
              path: string;
              equals: string | number | boolean;
              pendingValues?: Array<string | number | boolean>;
            };
            /** tech-insights: ids of the Tech Insights checks that must pass. */
            checks?: string[];
            /** catalog: lifecycles the entity may have. */
            lifecycles?: string[];
            /** catalog: require an owner. Default true. */
            requireOwner?: boolean;
            /** Settings of other check types. */
            [key: string]: unknown;
          }>;
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
