import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createReleaseCreateAction,
  createReleasePromoteAction,
  createReleaseTrainPromotionAction,
} from './actions';

/**
 * Adds the Release Manager actions `release:create`, `release:promote` and
 * `release:request-train-promotion` to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleRelease = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'release',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(
          createReleaseCreateAction({ discovery, auth }),
          createReleasePromoteAction({ discovery, auth }),
          createReleaseTrainPromotionAction({ discovery, auth }),
        );
      },
    });
  },
});
