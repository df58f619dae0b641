// ******************************************************************
// * THIS IS A GENERATED FILE. DO NOT EDIT IT DIRECTLY.              *
// * Source: plugins/release-backend/src/schema/openapi.yaml
// * Run `yarn openapi:generate` (openapi-typescript) to update it.  *
// ******************************************************************
/* eslint-disable */

export interface paths {
    "/entities/{kind}/{namespace}/{name}/pipeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The entity's phases in order, each with its current release, active and pending promotions, lock and freeze state, gate summary, and what the caller may do there (with the reason when not). */
        get: operations["GetPipeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/releases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Releases newest first, each with its status per phase; cursor pagination. */
        get: operations["ListReleases"];
        put?: never;
        /** Create an immutable release. 409 if the version exists. */
        post: operations["CreateRelease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/releases/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One release with its status per phase. */
        get: operations["GetRelease"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/releases/{version}/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set or clear planned target dates per phase (planned, not enforced; recorded in the history). Allowed to those who may create releases. */
        patch: operations["UpdateReleasePlan"];
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** DORA delivery metrics of the entity over a period, from the plugin's own history, with a trend series. */
        get: operations["GetEntityMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** DORA delivery metrics over all entities with a pipeline that match the filters and that the caller may read in the catalog. At least one filter is required. */
        get: operations["GetGroupMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/promotions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Promotions of the entity, newest first. */
        get: operations["ListPromotions"];
        put?: never;
        /** Request a promotion of a release into a phase. Honours Idempotency-Key. */
        post: operations["CreatePromotion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/promotions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One promotion with its approvals, config snapshot and provider status. */
        get: operations["GetPromotion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/promotions/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a promotion (users only, never the requester unless the phase allows it). */
        post: operations["ApprovePromotion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/promotions/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a promotion; a comment is required. */
        post: operations["RejectPromotion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/promotions/{id}/schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Re-schedule a promotion that has not been queued (deployers of the phase and its requester). */
        put: operations["SchedulePromotion"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/promotions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a promotion that has not started deploying. */
        post: operations["CancelPromotion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The inbox, every promotion waiting for a decision the calling user may make (including those whose approvals were voided and wait for approval again), newest request first, paginated. */
        get: operations["ListApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Redeploy the previous (or the given) good release of a phase through the same gates. */
        post: operations["RollbackPhase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/lock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Lock a phase with a reason. */
        put: operations["LockPhase"];
        post?: never;
        /** Remove a phase lock. */
        delete: operations["UnlockPhase"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The append-only ledger of the entity, newest first. */
        get: operations["GetHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/callbacks/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Signed status callback from a provider (the only route without Backstage credentials). Headers X-Release-Timestamp (unix seconds) and X-Release-Signature (sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>")); body {promotionId, status: running|succeeded|failed, externalId?, url?, message?, progress?}. A signed message is accepted once; replays are refused with 409. */
        post: operations["ProviderCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portfolio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every entity with a release pipeline that the caller may read in the catalog, with its phases (current version, deployment in progress, waiting approvals); filtered by owner, system, lifecycle and text, paginated by the catalog's cursor. As CSV (every matching entity, one row per phase) with `format=csv` or `Accept: text/csv`. */
        get: operations["GetPortfolio"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Phase summary of up to 500 entities in one call; entities the caller may not read are left out. */
        post: operations["GetStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The phase configuration in force; secrets as name and fingerprint only. */
        get: operations["GetPhaseConfig"];
        /** Replace variables, database and sizing; 409 when expectedVersion is stale. Waiting promotions of the phase lose their approvals. */
        put: operations["PutPhaseConfig"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/secrets/{secret}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a secret; the value is encrypted and never returned. */
        put: operations["SetPhaseSecret"];
        post?: never;
        /** Remove a secret. */
        delete: operations["DeletePhaseSecret"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What differs between two phases — versions, releases between, variables, database, sizing and secrets (by fingerprint). */
        get: operations["GetPhaseDiff"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/promotions/{id}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The change set of a promotion: the version move and the releases in between with their notes, the commits, the configuration and secret (fingerprint) changes from what runs in the target phase to the promotion's bound snapshot, the gates as they stand now, and the comparison with the phase where it was tested. */
        get: operations["GetPromotionChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The change set a promotion of a release into a phase would have if it were requested now (the phase's current configuration as the one to deploy). */
        get: operations["PreviewChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The versions of the phase configuration, newest first, with author, time, what changed and comment; version 0 (the template default) ends the list. */
        get: operations["ListPhaseConfigVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config/versions/{configVersion}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One version of the phase configuration; secrets as name and fingerprint only. */
        get: operations["GetPhaseConfigVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What differs between two versions of the phase configuration (secrets by fingerprint). */
        get: operations["DiffPhaseConfigVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Makes an old version the configuration in force again, as a new version (same access, audit and ledger as a replace; 409 when expectedVersion is stale). Secrets keep their current values. */
        post: operations["RestorePhaseConfigVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/train-definitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The trains configured in release.trains. */
        get: operations["ListTrainDefinitions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/train-plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Preview of a train of a System into a phase, members in deploy order with candidates and blockers. */
        get: operations["GetTrainPlan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/trains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Trains with this entity as a member or as the system, newest first. */
        get: operations["ListEntityTrains"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/trains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Trains, newest first. */
        get: operations["ListTrains"];
        put?: never;
        /** Request a train, one promotion per member through the same gates. Honours Idempotency-Key. */
        post: operations["CreateTrain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/trains/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One train with its members in deploy order. */
        get: operations["GetTrain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/trains/{id}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The change set of every member promotion. */
        get: operations["GetTrainChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/trains/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** One approval covering every member (never the requester; the approver must be allowed on the phase for every member). */
        post: operations["ApproveTrain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/trains/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject the train (every member); a comment is required. */
        post: operations["RejectTrain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/trains/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel the members that have not started deploying. */
        post: operations["CancelTrain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/trains/{id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll back the members already deployed, in reverse order, through the normal rollback path. */
        post: operations["RollbackTrain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
/**
 * The components of the release API, generated from its OpenAPI spec.
 *
 * @public
 */
export interface components {
    schemas: {
        Error: {
            error: {
                name: string;
                message: string;
            };
            request?: {
                method: string;
                url: string;
            };
            response: {
                statusCode: number;
            };
        };
        PromotionStatus: "pending_approval" | "approved" | "queued" | "deploying" | "succeeded" | "failed" | "rejected" | "cancelled" | "superseded";
        Release: {
            entityRef: string;
            version: string;
            artifact: string;
            commit?: string;
            notes?: string;
            /**
             * Format: date-time
             * When the release's commit was made, if CI gave it; lead time counts from it
             */
            committedAt?: string;
            plannedAt?: components["schemas"]["ReleasePlan"];
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
        /** Planned target date per phase id (planned, not enforced) */
        ReleasePlan: {
            [key: string]: string;
        };
        UpdateReleasePlanRequest: {
            /** Planned date per phase id; a phase set to null is removed from the plan, phases not named keep their date */
            plannedAt: {
                [key: string]: string | null;
            };
        };
        ReleasePhaseStatus: {
            status: components["schemas"]["PromotionStatus"];
            promotionId: string;
            updatedAt: string;
            current: boolean;
            /**
             * Format: date-time
             * While the promotion waits (pending approval or approved), the time it is scheduled for
             */
            scheduledAt?: string;
            /** Who requested the promotion (with scheduledAt, who scheduled it) */
            requestedBy?: string;
        };
        ReleaseWithStatus: components["schemas"]["Release"] & {
            phases: {
                [key: string]: components["schemas"]["ReleasePhaseStatus"];
            };
        };
        Promotion: {
            id: string;
            entityRef: string;
            phase: string;
            version: string;
            status: components["schemas"]["PromotionStatus"];
            requestedBy: string;
            requestedAt: string;
            comment?: string;
            updatedAt: string;
            startedAt?: string;
            finishedAt?: string;
            externalUrl?: string;
            progressMessage?: string;
            /** The train this promotion is a member of */
            trainId?: string;
        };
        PhaseCurrentRelease: {
            version: string;
            promotionId: string;
            deployedAt: string;
            deployedBy: string;
        };
        PhaseLock: {
            reason: string;
            lockedBy: string;
            lockedAt: string;
        };
        ActiveFreeze: {
            reason?: string;
            startedAt: string;
            endsAt: string;
        };
        GateSummary: {
            requires: string | null;
            approvalsRequired: number;
            allowSelfApproval: boolean;
            freezeWindows: number;
            soakTime?: string;
            autoPromote: boolean;
        };
        /** The last result of a verification check of the phase (before-deploy checks are gates; after-deploy checks verify a deployment). */
        CheckResult: {
            name: string;
            type: string;
            when: "before-deploy" | "after-deploy";
            status: "passed" | "failed" | "pending";
            summary: string;
            url?: string;
            /** The release version it was evaluated for */
            version: string;
            promotionId?: string;
            evaluatedAt: string;
        };
        /** A check configured on the phase, with its last result (null before its first evaluation). */
        PhaseCheckView: {
            name: string;
            type: string;
            when: "before-deploy" | "after-deploy";
            window?: string;
            onFailure?: "rollback";
            last: components["schemas"]["CheckResult"] | null;
        };
        PipelinePhaseView: {
            id: string;
            title: string;
            order: number;
            providerType: string;
            current: components["schemas"]["PhaseCurrentRelease"] | null;
            active: components["schemas"]["Promotion"] | null;
            pending: components["schemas"]["Promotion"][];
            lastOutcome: components["schemas"]["Promotion"] | null;
            lock: components["schemas"]["PhaseLock"] | null;
            freeze: components["schemas"]["ActiveFreeze"] | null;
            gates: components["schemas"]["GateSummary"];
            deploymentWindows?: components["schemas"]["DeploymentWindowState"];
            actions: components["schemas"]["PhaseActions"];
            checks?: components["schemas"]["PhaseCheckView"][];
        };
        /** Whether the caller may take one action, and why not when they may not. */
        PhaseCapability: {
            allowed: boolean;
            /** Said to the person when not allowed; names the phase by its title. */
            reason?: string;
        };
        /** What the caller may do in this phase, from phase access (pipeline config) and the permission framework. */
        PhaseActions: {
            deploy: components["schemas"]["PhaseCapability"];
            approve: components["schemas"]["PhaseCapability"];
            editConfig: components["schemas"]["PhaseCapability"];
            lock: components["schemas"]["PhaseCapability"];
            skip: components["schemas"]["PhaseCapability"];
            rollback: components["schemas"]["PhaseCapability"];
        };
        WindowOccurrence: {
            reason?: string;
            /** Format: date-time */
            startedAt: string;
            /** Format: date-time */
            endsAt: string;
        };
        DeploymentWindow: {
            /** Five-field cron expression for the start of each window */
            cron: string;
            /** ISO 8601 duration of each window */
            duration: string;
            /** IANA time zone the cron is read in (default UTC) */
            timezone?: string;
            reason?: string;
        };
        /** The phase's deployment windows and where it stands now. Without windows the phase is unrestricted and always open. */
        DeploymentWindowState: {
            restricted: boolean;
            /** Whether a window is open now */
            open: boolean;
            windows: components["schemas"]["DeploymentWindow"][];
            current?: components["schemas"]["WindowOccurrence"];
            next?: components["schemas"]["WindowOccurrence"];
        };
        DoraBand: "elite" | "high" | "medium" | "low";
        DurationStats: {
            /** Number of durations measured */
            count: number;
            medianSeconds?: number;
            p90Seconds?: number;
        };
        DoraMetrics: {
            /** Successful change deployments to the production phase in the period */
            deployments: number;
            deploymentsPerDay: number;
            leadTime: components["schemas"]["DurationStats"];
            /** Failed or rolled-back production change deployments divided by finished production change deployments; null when there were none */
            changeFailureRate: number | null;
            failedDeployments: number;
            /** Finished production change deployments (succeeded or failed), the failure rate's denominator */
            changeDeployments?: number;
            timeToRestore: components["schemas"]["DurationStats"];
            /** Failures in the period not yet followed by a production success */
            unrestored: number;
            bands: {
                deploymentFrequency?: components["schemas"]["DoraBand"];
                leadTime?: components["schemas"]["DoraBand"];
                changeFailureRate?: components["schemas"]["DoraBand"];
                timeToRestore?: components["schemas"]["DoraBand"];
                overall?: components["schemas"]["DoraBand"];
            };
        };
        DoraSeriesPoint: {
            /** Format: date-time */
            start: string;
            deployments: number;
            failures: number;
            leadTimeMedianSeconds?: number;
            timeToRestoreMedianSeconds?: number;
        };
        MetricsResponse: {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            bucket: "day" | "week";
            /** The entities measured */
            entityRefs: string[];
            /** The production phase of each pipeline measured */
            productionPhases?: {
                [key: string]: string;
            };
            metrics: components["schemas"]["DoraMetrics"];
            series: components["schemas"]["DoraSeriesPoint"][];
        };
        PipelineView: {
            entityRef: string;
            template: string;
            phases: components["schemas"]["PipelinePhaseView"][];
        };
        ReleasePage: {
            items: components["schemas"]["ReleaseWithStatus"][];
            nextCursor?: string;
        };
        CreateReleaseRequest: {
            /** Semantic version (e.g. 1.4.0, 2.0.0-rc.1, 1.4.0+build.7); versions differing only in build metadata are the same release */
            version: string;
            artifact: string;
            commit?: string;
            notes?: string;
            /**
             * Format: date-time
             * When the commit was made (lead time for changes counts from it)
             */
            committedAt?: string;
            /** Planned target date per phase id (ISO 8601 date, meaning midnight UTC, or date-time) */
            plannedAt?: {
                [key: string]: string;
            };
        };
        /** Lift named gates (a phase lock, a freeze window, the deployment windows, the phase's before-deploy checks) for this promotion, with a reason; needs release.freeze.override; recorded in the history and audited as critical. Without `gates`, the gates blocking the phase at that moment are lifted (and recorded by name); nothing else is. */
        Override: {
            reason: string;
            gates?: ("lock" | "freeze" | "window" | "checks")[];
        };
        CreatePromotionRequest: {
            /** Semantic version (e.g. 1.4.0, 2.0.0-rc.1, 1.4.0+build.7); versions differing only in build metadata are the same release */
            version: string;
            phase: string;
            comment?: string;
            /** Promote although the release has not succeeded in the required phase (needs release.promotion.skip; audited as critical) */
            skipRequires?: boolean;
            override?: components["schemas"]["Override"];
            /**
             * Format: date-time
             * Deploy no earlier than this time (ISO 8601, in the future, at most 90 days ahead). Approvals may be given before; at that time the gates are evaluated again and the promotion deploys or ends with the reason.
             */
            deployAt?: string;
            /** Schedule the promotion for the opening of the phase's next deployment window (or now, when one is open); 400 when the phase has no deployment windows. Not together with deployAt. */
            deployInNextWindow?: boolean;
        };
        /** The same choices as the request - a time (deployAt), the phase's next deployment window (deployInNextWindow), or neither (deploy as soon as approved). 400 when both are given, the time is not in the next 90 days, or the phase has no deployment windows; 403 for who may not request on the phase; 409 when the promotion is already queued or finished. */
        ScheduleRequest: {
            /**
             * Format: date-time
             * The new time (in the future, at most 90 days ahead); null or absent (without deployInNextWindow) to deploy as soon as approved
             */
            deployAt?: string | null;
            /** Deploy when the phase's next deployment window opens (or as soon as approved, when one is open now). Not together with deployAt. */
            deployInNextWindow?: boolean;
        };
        DecisionRequest: {
            comment?: string;
            override?: components["schemas"]["Override"];
        };
        CommentRequest: {
            comment?: string;
        };
        RollbackRequest: {
            /** Semantic version (e.g. 1.4.0, 2.0.0-rc.1, 1.4.0+build.7); versions differing only in build metadata are the same release */
            version?: string;
            comment?: string;
        };
        LockRequest: {
            reason: string;
        };
        Approval: {
            userRef: string;
            decision: "approve" | "reject";
            comment?: string;
            decidedAt: string;
            /** False when the release artifact or phase configuration changed after the decision */
            valid: boolean;
        };
        PromotionDetail: components["schemas"]["Promotion"] & {
            kind: "promote" | "rollback";
            approvals: components["schemas"]["Approval"][];
            approvalsRequired: number;
            configVersion?: number;
            configHash?: string;
            overrideReason?: string;
            /** Deploy no earlier than this time (a scheduled promotion) */
            scheduledAt?: string;
            /** The gates the recorded override lifts */
            overrideGates?: ("lock" | "freeze" | "window" | "checks")[];
            skippedRequires: boolean;
            release: components["schemas"]["Release"];
            /** The deployment provider of the phase when it was requested */
            providerType?: string;
            /** When a deployment still running fails */
            deadlineAt?: string;
            /** Progress messages reported by the provider, oldest first */
            progress?: {
                at: string;
                message: string;
                percent?: number;
            }[];
        };
        PromotionList: {
            items: components["schemas"]["PromotionDetail"][];
            /** Cursor of the next page, when there is one */
            nextCursor?: string;
        };
        HistoryEntry: {
            id: string;
            entityRef: string;
            phase?: string;
            version?: string;
            promotionId?: string;
            action: string;
            actor: string;
            before?: unknown;
            after?: unknown;
            reason?: string;
            createdAt: string;
        };
        HistoryPage: {
            items: components["schemas"]["HistoryEntry"][];
            nextCursor?: string;
        };
        StatusRequest: {
            entityRefs: string[];
        };
        EntityStatus: {
            entityRef: string;
            phases: {
                id: string;
                title: string;
                currentVersion?: string;
                activeStatus?: components["schemas"]["PromotionStatus"];
                pending: number;
                /** A deployment failed in the phase since what runs there now was deployed */
                failed?: boolean;
                /** Waiting promotions (pending approval or approved) scheduled for a time; absent when none */
                scheduled?: number;
            }[];
        };
        PortfolioPhase: {
            id: string;
            title: string;
            /** The version running in the phase, if any */
            currentVersion?: string;
            activeStatus?: components["schemas"]["PromotionStatus"];
            /** Promotions waiting for approval */
            pending: number;
            /** A deployment failed in the phase since what runs there now was deployed */
            failed?: boolean;
            /** Waiting promotions (pending approval or approved) scheduled for a time; absent when none */
            scheduled?: number;
        };
        PortfolioEntry: {
            entityRef: string;
            kind: string;
            namespace: string;
            name: string;
            title?: string;
            /** The owner as the entity states it (spec.owner) */
            owner?: string;
            system?: string;
            lifecycle?: string;
            /** The pipeline template named by the annotation */
            pipeline: string;
            /** Why the entity shows no phases (its pipeline template is not defined) */
            problem?: string;
            phases: components["schemas"]["PortfolioPhase"][];
        };
        PortfolioPage: {
            items: components["schemas"]["PortfolioEntry"][];
            nextCursor?: string;
            /** Entities with a pipeline that match the filters and the caller may read in the catalog */
            totalItems?: number;
        };
        StatusResponse: {
            items: components["schemas"]["EntityStatus"][];
        };
        SecretMetadata: {
            name: string;
            /** Keyed fingerprint to compare values between phases; never the value */
            fingerprint: string;
            updatedBy: string;
            updatedAt: string;
        };
        PhaseDatabase: {
            engine?: string;
            host?: string;
            port?: number;
            name?: string;
            user?: string;
            passwordSecret?: string;
        };
        PhaseSizing: {
            replicas?: number;
            cpu?: string;
            memory?: string;
        };
        PhaseConfigView: {
            version: number;
            hash: string;
            createdBy: string;
            createdAt: string;
            variables: {
                [key: string]: string;
            };
            database?: components["schemas"]["PhaseDatabase"];
            sizing?: components["schemas"]["PhaseSizing"];
            secrets: components["schemas"]["SecretMetadata"][];
        };
        PutPhaseConfigRequest: {
            variables: {
                [key: string]: string;
            };
            database?: components["schemas"]["PhaseDatabase"];
            sizing?: components["schemas"]["PhaseSizing"];
            expectedVersion: number;
            /** Why, shown in the configuration history */
            comment?: string;
        };
        PhaseConfigVersion: {
            version: number;
            hash: string;
            createdBy: string;
            createdAt: string;
            /** What changed, e.g. "3 variables changed, sizing changed" */
            change?: string;
            /** Why, as the author wrote it */
            comment?: string;
        };
        SetSecretRequest: {
            value: string;
        };
        ValueChange: {
            key: string;
            from?: unknown;
            to?: unknown;
        };
        MapDiff: {
            added: components["schemas"]["ValueChange"][];
            removed: components["schemas"]["ValueChange"][];
            changed: components["schemas"]["ValueChange"][];
        };
        PhaseDiff: {
            from: components["schemas"]["DiffSide"];
            to: components["schemas"]["DiffSide"];
            /** Versions the target phase would move past, oldest first */
            releases: string[];
            variables: components["schemas"]["MapDiff"];
            database: components["schemas"]["MapDiff"];
            sizing: components["schemas"]["MapDiff"];
            secrets: components["schemas"]["MapDiff"];
        };
        DiffSide: {
            phase: string;
            version: string | null;
            configVersion: number;
        };
        ChangeSetRelease: {
            version: string;
            commit?: string;
            notes?: string;
            createdBy: string;
            createdAt: string;
        };
        ChangeSetCommit: {
            sha: string;
            /** The first line of the commit message */
            message: string;
            author?: string;
            date?: string;
            url?: string;
        };
        ChangeSetCommits: {
            fromCommit?: string;
            toCommit?: string;
            host?: "github" | "gitlab" | "bitbucket" | "bitbucket-server";
            /** The source host's comparison of the two commits */
            compareUrl?: string;
            /** The commits, where a GitHub integration covers the repository */
            list?: components["schemas"]["ChangeSetCommit"][];
            total?: number;
            /** Why there is no link or list */
            unavailable?: string;
        };
        /**
         * Where a side's configuration was read from: the promotion's bound snapshot, the configuration version it recorded, the version in force when it was deployed (history without a snapshot), the phase's current configuration (a preview), or none (nothing runs).
         */
        ConfigSource: "promotion-snapshot" | "config-version" | "in-force-at-deploy" | "current-config" | "none";
        ChangeSetSide: {
            version: string | null;
            commit?: string;
            artifact?: string;
            configVersion: number | null;
            configSource: components["schemas"]["ConfigSource"];
            promotionId?: string;
            deployedAt?: string;
            deployedBy?: string;
        };
        ChangeSetConfig: {
            /** False when one side's configuration is not known */
            known: boolean;
            /** True when the caller may not read the configuration of a phase compared here (release.config.read); the lists are empty, the summary still counts the changes */
            hidden?: boolean;
            variables: components["schemas"]["MapDiff"];
            database: components["schemas"]["MapDiff"];
            sizing: components["schemas"]["MapDiff"];
            secrets: components["schemas"]["MapDiff"];
        };
        DecidedBy: {
            userRef: string;
            decidedAt: string;
            comment?: string;
        };
        UpcomingFreeze: {
            reason?: string;
            startsAt: string;
            endsAt: string;
        };
        ChangeSetCheck: {
            name: string;
            type: string;
            status: "passed" | "failed" | "pending";
            summary: string;
            url?: string;
            evaluatedAt: string;
        };
        /** When the promotion would deploy by the time rules (schedule, freeze windows, deployment windows, soak time), as release-common's wouldDeployAt computes it */
        WouldDeploy: {
            /**
             * now - nothing in time holds it; at - at `at` (because a freeze ends, a window opens, a soak time is over); scheduled - at its scheduled time; ends - scheduled for a time the gates will not pass, it would end then with `reason`; never - no deployment window opens outside the freezes within a year
             */
            kind: "now" | "at" | "scheduled" | "ends" | "never";
            /** Format: date-time */
            at?: string;
            because?: "freeze" | "window" | "soak" | "schedule";
            reason?: string;
            /** What holds it that time does not lift (lock, failed checks, a busy phase); the time applies once those are resolved */
            blockedBy: string[];
        };
        ChangeSetGates: {
            approvals: {
                required: number;
                count: number;
                approvedBy: components["schemas"]["DecidedBy"][];
                rejectedBy: components["schemas"]["DecidedBy"][];
                /** Users whose decision a later change voided */
                voided: string[];
            };
            requires: {
                phase: string | null;
                met: boolean;
                succeededAt?: string;
                soakTime?: string;
                readyAt?: string;
                message?: string;
            };
            lock: components["schemas"]["PhaseLock"] | null;
            freeze: {
                active: components["schemas"]["ActiveFreeze"] | null;
                next: components["schemas"]["UpcomingFreeze"] | null;
            };
            /** The phase's before-deploy checks for this release, as last evaluated (evaluated again when older than 30 s) */
            checks: components["schemas"]["ChangeSetCheck"][];
            busyWith?: {
                promotionId: string;
                version: string;
                status: components["schemas"]["PromotionStatus"];
            };
            /** Whether one more approval, given now, starts the deployment now */
            approvingDeploysNow: boolean;
            deployAt?: components["schemas"]["WouldDeploy"];
            /** Why it would not, in words */
            waitingFor: string[];
        };
        PhaseRef: {
            id: string;
            title: string;
        };
        /** What a promotion changes, computed from what runs in the target phase (version and the configuration snapshot it was deployed with) and what the promotion deploys (its release and its bound snapshot). */
        ChangeSet: {
            entityRef: string;
            phase: components["schemas"]["PhaseRef"];
            promotion?: {
                id: string;
                status: components["schemas"]["PromotionStatus"];
                kind: "promote" | "rollback";
                requestedBy: string;
                requestedAt: string;
                comment?: string;
            };
            direction: "upgrade" | "rollback" | "first_deploy" | "same";
            from: components["schemas"]["ChangeSetSide"];
            to: components["schemas"]["ChangeSetSide"];
            /** Releases the phase moves past, in semver order */
            releases: components["schemas"]["ChangeSetRelease"][];
            commits: components["schemas"]["ChangeSetCommits"];
            config: components["schemas"]["ChangeSetConfig"];
            gates: components["schemas"]["ChangeSetGates"];
            /** The release's configuration where it was tested (the phase the target requires) against the one to deploy */
            comparedWithSource: {
                phase: components["schemas"]["PhaseRef"];
                version: string | null;
                configVersion: number | null;
                configSource: components["schemas"]["ConfigSource"];
                config: components["schemas"]["ChangeSetConfig"];
            } | null;
            summary: {
                configChanges: number;
                secretChanges: number;
                /** The line an approver confirms, e.g. "Deploy 1.2.0 to Live, 3 config changes, 1 secret changed" */
                text: string;
            };
        };
        ConfigVersionPage: {
            items: components["schemas"]["PhaseConfigVersion"][];
            nextCursor?: string;
        };
        ConfigVersionView: {
            version: number;
            hash: string;
            createdBy: string;
            createdAt: string;
            change?: string;
            comment?: string;
            variables: {
                [key: string]: string;
            };
            database?: components["schemas"]["PhaseDatabase"];
            sizing?: components["schemas"]["PhaseSizing"];
            secrets: {
                name: string;
                fingerprint: string;
            }[];
        };
        ConfigVersionDiff: {
            from: components["schemas"]["PhaseConfigVersion"];
            to: components["schemas"]["PhaseConfigVersion"];
            variables: components["schemas"]["MapDiff"];
            database: components["schemas"]["MapDiff"];
            sizing: components["schemas"]["MapDiff"];
            secrets: components["schemas"]["MapDiff"];
            summary: string;
        };
        RestoreConfigRequest: {
            /** The version to restore (0 is the template default) */
            version: number;
            /** The version in force the restore is based on; 409 when stale */
            expectedVersion: number;
            comment?: string;
        };
        TrainStatus: "pending_approval" | "approved" | "deploying" | "succeeded" | "failed" | "rejected" | "cancelled" | "rolled_back";
        TrainMember: {
            entityRef: string;
            /** Position in the deploy order (1-based) */
            order: number;
            version: string;
            /** The version running in the phase when the train was requested */
            fromVersion?: string;
            promotionId: string;
            status: components["schemas"]["PromotionStatus"];
            progress?: {
                percent?: number;
                message?: string;
            };
            /** The other members this member depends on (catalog dependsOn) */
            dependsOn: string[];
            failureReason?: string;
        };
        TrainApproval: {
            by: string;
            at: string;
            comment?: string;
        };
        Train: {
            id: string;
            /** Entity ref of the catalog System */
            system: string;
            title: string;
            phase: string;
            phaseTitle: string;
            status: components["schemas"]["TrainStatus"];
            requestedBy: string;
            requestedAt: string;
            comment?: string;
            approvals: {
                required: number;
                given: components["schemas"]["TrainApproval"][];
            };
            /** Whether the caller may approve or reject the train now */
            canDecide: boolean;
            /** Why the caller may not decide, in words (e.g. "You requested this train") */
            cannotDecideReason?: string;
            canCancel: boolean;
            /** The members in deploy order */
            members: components["schemas"]["TrainMember"][];
            /** The member whose failure stopped the train */
            stoppedBy?: {
                entityRef: string;
                reason: string;
            };
            /** Members already deployed can be rolled back */
            rollbackAvailable: boolean;
        };
        TrainList: {
            items: components["schemas"]["Train"][];
            /** Cursor of the next page, when there is one */
            nextCursor?: string;
        };
        TrainPlanMember: {
            entityRef: string;
            order: number;
            /** The candidate, the newest version succeeded in the previous phase and not running in this one */
            version?: string;
            fromVersion?: string;
            dependsOn: string[];
            /** Why this member cannot be requested now, in words (e.g. "Stage is locked by bob") */
            blockers: string[];
        };
        TrainPlan: {
            system: string;
            phase: string;
            phaseTitle: string;
            /** Members in deploy order */
            members: components["schemas"]["TrainPlanMember"][];
            canRequest: boolean;
            reasons: string[];
        };
        TrainDefinition: {
            system: string;
            title: string;
            phases: components["schemas"]["PhaseRef"][];
            members: string[];
        };
        TrainDefinitionList: {
            items: components["schemas"]["TrainDefinition"][];
        };
        CreateTrainRequest: {
            /** Entity ref of the catalog System */
            system: string;
            phase: string;
            /** Members and versions; default the plan's candidates */
            members?: {
                entityRef: string;
                version: string;
            }[];
            comment?: string;
        };
        TrainDecisionRequest: {
            comment?: string;
        };
        TrainChanges: {
            members: {
                entityRef: string;
                changes: components["schemas"]["ChangeSet"];
            }[];
        };
    };
    responses: {
        /** An error response from the backend. */
        ErrorResponse: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json; charset=utf-8": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** Entity kind, e.g. component */
        kind: string;
        /** Entity namespace, e.g. default */
        namespace: string;
        /** Entity name */
        name: string;
        /** Semantic version of a release, exactly as semver.org writes it (no leading v); the server checks it is one and answers 400 if not */
        version: string;
        /** Page size (1 to 100, default 20) */
        limit: number;
        /** Opaque cursor from the previous page's nextCursor */
        cursor: string;
        /** Phase id */
        phase: string;
        /** Secret name */
        secret: string;
        /** Promotion id (UUID) */
        promotionId: string;
        /** Train id (UUID) */
        trainId: string;
        /** Opaque cursor from the previous page's nextCursor */
        portfolioCursor: string;
        /** Repeating a request with the same key returns the first result */
        idempotencyKey: string;
        /** Start of the period (inclusive, ISO 8601 date-time); default 30 days before `to` */
        from: string;
        /** End of the period (exclusive, ISO 8601 date-time); default now */
        to: string;
        /** Width of the trend series' buckets (UTC days or ISO weeks starting Monday); default day for periods up to 31 days, else week */
        bucket: "day" | "week";
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    GetPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The pipeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PipelineView"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListReleases: {
        parameters: {
            query?: {
                /** Page size (1 to 100, default 20) */
                limit?: components["parameters"]["limit"];
                /** Opaque cursor from the previous page's nextCursor */
                cursor?: components["parameters"]["cursor"];
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** A page of releases */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReleasePage"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    CreateRelease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateReleaseRequest"];
            };
        };
        responses: {
            /** The release was created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Release"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetRelease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Semantic version of a release, exactly as semver.org writes it (no leading v); the server checks it is one and answers 400 if not */
                version: components["parameters"]["version"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The release */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReleaseWithStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    UpdateReleasePlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Semantic version of a release, exactly as semver.org writes it (no leading v); the server checks it is one and answers 400 if not */
                version: components["parameters"]["version"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateReleasePlanRequest"];
            };
        };
        responses: {
            /** The release with its new plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReleaseWithStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetEntityMetrics: {
        parameters: {
            query?: {
                /** Start of the period (inclusive, ISO 8601 date-time); default 30 days before `to` */
                from?: components["parameters"]["from"];
                /** End of the period (exclusive, ISO 8601 date-time); default now */
                to?: components["parameters"]["to"];
                /** Width of the trend series' buckets (UTC days or ISO weeks starting Monday); default day for periods up to 31 days, else week */
                bucket?: components["parameters"]["bucket"];
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetricsResponse"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetGroupMetrics: {
        parameters: {
            query?: {
                /** Owner entity ref (e.g. group:default/payments) as in spec.owner */
                owner?: string;
                /** System entity ref or name as in spec.system */
                system?: string;
                /** Pipeline template name (the entity annotation's value) */
                pipeline?: string;
                /** Start of the period (inclusive, ISO 8601 date-time); default 30 days before `to` */
                from?: components["parameters"]["from"];
                /** End of the period (exclusive, ISO 8601 date-time); default now */
                to?: components["parameters"]["to"];
                /** Width of the trend series' buckets (UTC days or ISO weeks starting Monday); default day for periods up to 31 days, else week */
                bucket?: components["parameters"]["bucket"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetricsResponse"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListPromotions: {
        parameters: {
            query?: {
                phase?: string;
                status?: components["schemas"]["PromotionStatus"];
                /** Page size (1 to 100, default 20) */
                limit?: components["parameters"]["limit"];
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Promotions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    CreatePromotion: {
        parameters: {
            query?: never;
            header?: {
                /** Repeating a request with the same key returns the first result */
                "Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePromotionRequest"];
            };
        };
        responses: {
            /** The promotion, as requested or as first requested with the same Idempotency-Key */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionDetail"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetPromotion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Promotion id (UUID) */
                id: components["parameters"]["promotionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The promotion */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionDetail"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ApprovePromotion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Promotion id (UUID) */
                id: components["parameters"]["promotionId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["DecisionRequest"];
            };
        };
        responses: {
            /** The promotion after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionDetail"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    RejectPromotion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Promotion id (UUID) */
                id: components["parameters"]["promotionId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DecisionRequest"];
            };
        };
        responses: {
            /** The promotion after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionDetail"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    SchedulePromotion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Promotion id (UUID) */
                id: components["parameters"]["promotionId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScheduleRequest"];
            };
        };
        responses: {
            /** The re-scheduled promotion */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionDetail"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    CancelPromotion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Promotion id (UUID) */
                id: components["parameters"]["promotionId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CommentRequest"];
            };
        };
        responses: {
            /** The cancelled promotion */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionDetail"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListApprovals: {
        parameters: {
            query?: {
                status?: "pending";
                /** Page size (1 to 100, default 20) */
                limit?: components["parameters"]["limit"];
                /** Opaque cursor from the previous page's nextCursor */
                cursor?: components["parameters"]["cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Promotions waiting for the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    RollbackPhase: {
        parameters: {
            query?: never;
            header?: {
                /** Repeating a request with the same key returns the first result */
                "Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RollbackRequest"];
            };
        };
        responses: {
            /** The rollback promotion */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromotionDetail"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    LockPhase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LockRequest"];
            };
        };
        responses: {
            /** The lock */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhaseLock"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    UnlockPhase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Unlocked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetHistory: {
        parameters: {
            query?: {
                phase?: string;
                /** Page size (1 to 100, default 20) */
                limit?: components["parameters"]["limit"];
                /** Opaque cursor from the previous page's nextCursor */
                cursor?: components["parameters"]["cursor"];
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** A page of history */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryPage"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ProviderCallback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: "webhook";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    promotionId: string;
                    status?: "pending" | "running" | "succeeded" | "failed";
                    externalId?: string;
                    url?: string;
                    message?: string;
                    progress?: number;
                };
            };
        };
        responses: {
            /** Accepted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetPortfolio: {
        parameters: {
            query?: {
                /** Owner entity ref (a bare name means a group in the default namespace) */
                owner?: string;
                /** System entity ref (a bare name means a system in the default namespace) */
                system?: string;
                /** The entity's spec.lifecycle, e.g. production */
                lifecycle?: string;
                /** Text in the entity's name, title, owner or system */
                q?: string;
                /** Page size (1 to 200, default 50) */
                limit?: number;
                /** Opaque cursor from the previous page's nextCursor */
                cursor?: components["parameters"]["portfolioCursor"];
                /** csv for a CSV file of every matching entity (one row per phase) */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** A page of entities with their phases */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortfolioPage"];
                    "text/csv": string;
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusRequest"];
            };
        };
        responses: {
            /** Per-entity phase summaries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusResponse"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetPhaseConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The configuration */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhaseConfigView"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    PutPhaseConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutPhaseConfigRequest"];
            };
        };
        responses: {
            /** The new version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhaseConfigVersion"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    SetPhaseSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
                /** Secret name */
                secret: components["parameters"]["secret"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetSecretRequest"];
            };
        };
        responses: {
            /** Set */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    DeletePhaseSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
                /** Secret name */
                secret: components["parameters"]["secret"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetPhaseDiff: {
        parameters: {
            query: {
                from: string;
                to: string;
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The differences */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhaseDiff"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetPromotionChanges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Promotion id (UUID) */
                id: components["parameters"]["promotionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The change set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeSet"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    PreviewChanges: {
        parameters: {
            query: {
                version: string;
                phase: string;
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The change set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeSet"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListPhaseConfigVersions: {
        parameters: {
            query?: {
                /** Page size (1 to 100, default 20) */
                limit?: components["parameters"]["limit"];
                /** The nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** A page of versions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigVersionPage"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetPhaseConfigVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
                configVersion: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigVersionView"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    DiffPhaseConfigVersions: {
        parameters: {
            query: {
                from: number;
                to: number;
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The differences */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigVersionDiff"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    RestorePhaseConfigVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
                /** Phase id */
                phase: components["parameters"]["phase"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RestoreConfigRequest"];
            };
        };
        responses: {
            /** The new version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhaseConfigVersion"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListTrainDefinitions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Train definitions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainDefinitionList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetTrainPlan: {
        parameters: {
            query: {
                phase: string;
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainPlan"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListEntityTrains: {
        parameters: {
            query?: {
                status?: "open" | "all";
                /** Page size (1 to 100, default 20) */
                limit?: components["parameters"]["limit"];
                /** Opaque cursor from the previous page's nextCursor */
                cursor?: components["parameters"]["cursor"];
            };
            header?: never;
            path: {
                /** Entity kind, e.g. component */
                kind: components["parameters"]["kind"];
                /** Entity namespace, e.g. default */
                namespace: components["parameters"]["namespace"];
                /** Entity name */
                name: components["parameters"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Trains */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListTrains: {
        parameters: {
            query?: {
                system?: string;
                entity?: string;
                status?: "open" | "all";
                /** Page size (1 to 100, default 20) */
                limit?: components["parameters"]["limit"];
                /** Opaque cursor from the previous page's nextCursor */
                cursor?: components["parameters"]["cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Trains */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    CreateTrain: {
        parameters: {
            query?: never;
            header?: {
                /** Repeating a request with the same key returns the first result */
                "Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTrainRequest"];
            };
        };
        responses: {
            /** The train, as requested or as first requested with the same Idempotency-Key */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Train"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetTrain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Train id (UUID) */
                id: components["parameters"]["trainId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The train */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Train"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetTrainChanges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Train id (UUID) */
                id: components["parameters"]["trainId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The change sets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainChanges"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ApproveTrain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Train id (UUID) */
                id: components["parameters"]["trainId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TrainDecisionRequest"];
            };
        };
        responses: {
            /** The train after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Train"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    RejectTrain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Train id (UUID) */
                id: components["parameters"]["trainId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TrainDecisionRequest"];
            };
        };
        responses: {
            /** The train after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Train"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    CancelTrain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Train id (UUID) */
                id: components["parameters"]["trainId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TrainDecisionRequest"];
            };
        };
        responses: {
            /** The cancelled train */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Train"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    RollbackTrain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** Train id (UUID) */
                id: components["parameters"]["trainId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TrainDecisionRequest"];
            };
        };
        responses: {
            /** The train with its rollback promotions requested */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Train"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
}
