import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { releasePermissions } from '@release-manager/backstage-plugin-release-common';
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
        const store = await DatabaseReleaseStore.create({
          database: deps.database,
        });
        deps.permissionsRegistry.addPermissions(releasePermissions);
        deps.httpRouter.use(
          await createRouter({
            store,
            entities: new EntityResolver(deps.catalog, templates),
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            auditor: deps.auditor,
          }),
        );
      },
    });
  },
});
