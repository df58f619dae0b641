import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  RELEASE_PHASE_RESOURCE_TYPE,
  releasePermissions,
} from '@release-manager/backstage-plugin-release-common';
import {
  DeploymentProvider,
  ReleaseCheck,
  releaseChecksExtensionPoint,
  ReleaseSeed,
  releaseProvidersExtensionPoint,
  releaseSeedExtensionPoint,
} from '@release-manager/backstage-plugin-release-node';
import {
  getReleasePhaseResources,
  releasePhaseResourceRef,
  releasePhaseRules,
} from './permissions/rules';
import { registerReleaseActions } from './actions/actions';
import { createReleaseEngine } from './engine/createReleaseEngine';
import { createCallbackRouter } from './http/callbacks';
import { createRouter } from './http/router';

/**
 * The Release Manager backend plugin.
 *
 * @public
 */
export const releasePlugin = createBackendPlugin({
  pluginId: 'release',
  register(env) {
    const extraProviders: DeploymentProvider[] = [];
    env.registerExtensionPoint(releaseProvidersExtensionPoint, {
      addProvider(...providers) {
        extraProviders.push(...providers);
      },
    });
    const extraChecks: ReleaseCheck[] = [];
    env.registerExtensionPoint(releaseChecksExtensionPoint, {
      addCheck(...checks) {
        extraChecks.push(...checks);
      },
    });
    const seeds: ReleaseSeed[] = [];
    env.registerExtensionPoint(releaseSeedExtensionPoint, {
      addSeed(...added) {
        for (const seed of added) {
          if (seeds.some(s => s.id === seed.id)) {
            throw new Error(`Release seed '${seed.id}' was added twice`);
          }
          seeds.push(seed);
        }
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        events: eventsServiceRef,
        notifications: notificationService,
        // Without the signals backend installed, the default implementation
        // publishes on the events service, where nobody listens: the plugin
        // starts all the same and pages fall back to polling.
        signals: signalsServiceRef,
      },
      async init(deps) {
        const engine = await createReleaseEngine({
          ...deps,
          providers: extraProviders,
          checks: extraChecks,
          seeds,
        });
        deps.lifecycle.addShutdownHook(() => engine.changes?.stop());

        deps.permissionsRegistry.addResourceType({
          resourceRef: releasePhaseResourceRef,
          permissions: releasePermissions.filter(
            p =>
              p.type === 'resource' &&
              p.resourceType === RELEASE_PHASE_RESOURCE_TYPE,
          ),
          rules: Object.values(releasePhaseRules),
          getResources: getReleasePhaseResources,
        });
        deps.permissionsRegistry.addPermissions(releasePermissions);

        deps.httpRouter.addAuthPolicy({
          path: '/callbacks',
          allow: 'unauthenticated',
        });
        deps.httpRouter.use(
          createCallbackRouter({
            dispatch: engine.dispatch,
            promotions: engine.promotions,
            webhook: engine.webhook,
            clock: engine.clock,
            onFinished: engine.onFinished,
            startVerification: (p, report) =>
              engine.dispatcher.startVerification(p, {
                status: 'succeeded',
                ...report,
              }),
            logger: deps.logger,
          }),
        );
        deps.httpRouter.use(
          await createRouter({
            releases: engine.releases,
            promotions: engine.promotions,
            metrics: engine.metrics,
            service: engine.service,
            configs: engine.configs,
            changes: engine.changeSets,
            configVersions: engine.configVersions,
            entities: engine.entities,
            access: engine.access,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            clock: engine.clock,
            readCache: engine.readCache,
            checks: engine.checks,
            logger: deps.logger,
            trains: engine.trains,
          }),
        );
        registerReleaseActions(deps.actionsRegistry, {
          readCache: engine.readCache,
          releases: engine.releases,
          promotions: engine.promotions,
          service: engine.service,
          changes: engine.changeSets,
          entities: engine.entities,
          access: engine.access,
          auditor: deps.auditor,
          trains: engine.trains,
        });

        await deps.scheduler.scheduleTask({
          id: 'release-reconciler',
          frequency: { seconds: 30 },
          timeout: { minutes: 2 },
          scope: 'global',
          fn: () => engine.reconciler.run(),
        });
        // Scheduled promotions whose time has come, within seconds of it
        // (the reconciler's 30 s would make them up to 30 s late); the
        // lifecycle's compare-and-set runs each exactly once.
        await deps.scheduler.scheduleTask({
          id: 'release-scheduled-promotions',
          frequency: { seconds: 5 },
          timeout: { minutes: 2 },
          scope: 'global',
          fn: () => engine.reconciler.runScheduled(),
        });
        // After a key rotation, every stored secret is re-encrypted under the
        // new first key; values and fingerprints do not change.
        await deps.scheduler.scheduleTask({
          id: 'release-secrets-reencrypt',
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
          scope: 'global',
          fn: async () => {
            const n = await engine.reencryptSecrets();
            if (n) deps.logger.info(`Re-encrypted ${n} stored secret values`);
          },
        });
        deps.lifecycle.addStartupHook(() => engine.dispatcher.start());
        deps.lifecycle.addShutdownHook(async () => {
          await engine.dispatcher.stop();
          await engine.lifecycle.drain();
        });
      },
    });
  },
});
