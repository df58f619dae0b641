import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  RELEASE_PHASE_RESOURCE_TYPE,
  releasePermissions,
} from '@release-manager/backstage-plugin-release-common';
import { DatabasePromotionStore } from './database/DatabasePromotionStore';
import {
  getReleasePhaseResources,
  releasePhaseResourceRef,
  releasePhaseRules,
} from './permissions/rules';
import { AccessGuard } from './service/AccessGuard';
import { PromotionService } from './service/PromotionService';
import { readPipelineTemplates } from './config/readPipelineTemplates';
import { DatabaseReleaseStore } from './database/DatabaseReleaseStore';
import { EntityResolver } from './service/EntityResolver';
import { createRouter } from './service/router';

/**
 * The Release Manager backend plugin.
 *
 * @public
 */
export const releasePlugin = createBackendPlugin({
  pluginId: 'release',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const templates = readPipelineTemplates(deps.config);
        const clock = () => new Date();
        const releases = await DatabaseReleaseStore.create({
          database: deps.database,
        });
        const promotions = new DatabasePromotionStore(
          await deps.database.getClient(),
          clock,
        );
        const access = new AccessGuard(deps.permissions, deps.userInfo);
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
        deps.httpRouter.use(
          await createRouter({
            releases,
            promotions,
            service: new PromotionService(releases, promotions, access, clock),
            entities: new EntityResolver(deps.catalog, templates),
            access,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            clock,
          }),
        );
      },
    });
  },
});
