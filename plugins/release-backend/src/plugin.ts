import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  findPhase,
  RELEASE_PHASE_RESOURCE_TYPE,
  releasePermissions,
} from '@release-manager/backstage-plugin-release-common';
import {
  DeploymentProvider,
  releaseProvidersExtensionPoint,
} from '@release-manager/backstage-plugin-release-node';
import { EntityReadCache } from './cache/EntityReadCache';
import { PostgresChangeListener } from './cache/PostgresChangeListener';
import { readDispatcherOptions } from './config/readDispatcherOptions';
import { readPipelineTemplates } from './config/readPipelineTemplates';
import { DatabaseConfigStore } from './database/DatabaseConfigStore';
import { DatabaseDispatchStore } from './database/DatabaseDispatchStore';
import { DatabasePromotionStore } from './database/DatabasePromotionStore';
import { DatabaseReleaseStore } from './database/DatabaseReleaseStore';
import { StoredPromotion } from './database/PromotionStore';
import { EventsPublisher } from './lifecycle/EventsPublisher';
import { LifecycleHub } from './lifecycle/LifecycleHub';
import { ReleaseNotifier } from './lifecycle/ReleaseNotifier';
import {
  getReleasePhaseResources,
  releasePhaseResourceRef,
  releasePhaseRules,
} from './permissions/rules';
import { ArgoCdProvider } from './providers/argocd';
import { GithubActionsProvider } from './providers/github';
import { ProviderRegistry } from './providers/ProviderRegistry';
import { SimulatedProvider } from './providers/SimulatedProvider';
import { WebhookProvider } from './providers/WebhookProvider';
import { SecretCipher } from './secrets/SecretCipher';
import { AccessGuard } from './access/AccessGuard';
import { ConfigService } from './engine/ConfigService';
import { ChangeSetService } from './changes/ChangeSetService';
import { ConfigVersions } from './changes/ConfigVersions';
import { SourceCommits } from './changes/SourceCommits';
import { registerReleaseActions } from './actions/actions';
import { createCallbackRouter } from './http/callbacks';
import { Dispatcher } from './engine/Dispatcher';
import { EntityResolver } from './access/EntityResolver';
import { PromotionService } from './engine/PromotionService';
import { Reconciler } from './engine/Reconciler';
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

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
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
      },
      async init(deps) {
        const clock = () => new Date();
        const templates = readPipelineTemplates(deps.config);
        const entities = new EntityResolver(deps.catalog, templates, deps.auth);
        const knex = await deps.database.getClient();
        // On PostgreSQL, hot reads are cached and kept in step with the
        // database through its change feed; elsewhere nothing is cached.
        const readCache = new EntityReadCache();
        const changes = PostgresChangeListener.supports(knex)
          ? new PostgresChangeListener(knex, readCache, deps.logger)
          : undefined;
        // Every committed change reaches the events service and notifications
        // through this one hook, which the stores call after each commit.
        const reader = new DatabasePromotionStore(knex, clock);
        const lifecycle = new LifecycleHub({
          promotionOf: id => reader.getPromotion(id),
          logger: deps.logger,
        });
        const releases = await DatabaseReleaseStore.create({
          database: deps.database,
          onCommit: lifecycle.onCommit,
          cache: changes ? readCache : undefined,
        });
        await changes?.start();
        deps.lifecycle.addShutdownHook(() => changes?.stop());
        const promotions = new DatabasePromotionStore(
          knex,
          clock,
          lifecycle.onCommit,
        );
        const dispatch = new DatabaseDispatchStore(
          knex,
          clock,
          lifecycle.onCommit,
        );
        lifecycle.add(new EventsPublisher(deps.events));
        if (
          deps.config.getOptionalBoolean('release.notifications.enabled') ??
          true
        ) {
          lifecycle.add(
            new ReleaseNotifier({
              notifications: deps.notifications,
              entityOf: async ref =>
                entities.resolve(
                  ref,
                  await deps.auth.getOwnServiceCredentials(),
                ),
              logger: deps.logger,
            }),
          );
        }

        const webhook = WebhookProvider.fromConfig(deps.config);
        const providers = new ProviderRegistry();
        providers.add(
          SimulatedProvider.fromConfig(deps.config),
          webhook,
          GithubActionsProvider.fromConfig(deps.config),
          ArgoCdProvider.fromConfig(deps.config),
          ...extraProviders,
        );

        const access = new AccessGuard(deps.permissions, deps.userInfo);
        const cipher = SecretCipher.fromConfig(deps.config, {
          warn: m => deps.logger.warn(m),
        });
        const configStore = new DatabaseConfigStore(
          knex,
          clock,
          lifecycle.onCommit,
        );
        const configs = new ConfigService(
          configStore,
          releases,
          cipher,
          access,
        );
        const changeSets = new ChangeSetService({
          releases,
          promotions,
          configStore,
          configs,
          commits: SourceCommits.fromConfig(deps.config, deps.logger),
          clock,
        });
        // Created below; the service needs to wake it.
        // eslint-disable-next-line prefer-const
        let dispatcher: Dispatcher | undefined;
        const service = new PromotionService(
          releases,
          promotions,
          access,
          clock,
          {
            onQueued: () => dispatcher?.wake(),
            configOf: (entityRef, phase) => configs.effective(entityRef, phase),
          },
        );
        const onFinished = async (p: StoredPromotion) => {
          const template = templates.get(p.snapshot?.template ?? '');
          if (template) await service.afterFinished(p, template);
        };
        dispatcher = new Dispatcher(
          {
            store: dispatch,
            releases,
            providers,
            logger: deps.logger,
            auditor: deps.auditor,
            clock,
            gate: async p => {
              const phase = findPhase(
                templates.get(p.snapshot?.template ?? '') ?? {
                  name: '',
                  phases: [],
                },
                p.phase,
              );
              return phase ? service.deployBlocker(p, phase) : undefined;
            },
            secretsFor: p => configs.secretsFor(p),
            onFinished,
          },
          readDispatcherOptions(deps.config),
        );
        const reconciler = new Reconciler({
          dispatch,
          service,
          templates,
          auditor: deps.auditor,
          logger: deps.logger,
          clock,
          onFinished,
          wake: () => dispatcher?.wake(),
        });

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
            dispatch,
            promotions,
            webhook,
            clock,
            onFinished,
          }),
        );
        deps.httpRouter.use(
          await createRouter({
            releases,
            promotions,
            service,
            configs,
            changes: changeSets,
            configVersions: new ConfigVersions(configStore, configs, access),
            entities,
            access,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            clock,
            readCache,
          }),
        );
        registerReleaseActions(deps.actionsRegistry, {
          readCache,
          releases,
          promotions,
          service,
          changes: changeSets,
          entities,
          access,
          auditor: deps.auditor,
        });

        await deps.scheduler.scheduleTask({
          id: 'release-reconciler',
          frequency: { seconds: 30 },
          timeout: { minutes: 2 },
          scope: 'global',
          fn: () => reconciler.run(),
        });
        deps.lifecycle.addStartupHook(() => dispatcher!.start());
        deps.lifecycle.addShutdownHook(async () => {
          await dispatcher!.stop();
          await lifecycle.drain();
        });
      },
    });
  },
});
