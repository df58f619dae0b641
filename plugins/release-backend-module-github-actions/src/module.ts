import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { releaseProvidersExtensionPoint } from '@release-manager/backstage-plugin-release-node';
import { GithubActionsProvider } from './GithubActionsProvider';

/**
 * Adds the `github-actions` deployment provider to the release plugin: it
 * syncs the phase configuration and secrets to the phase's GitHub
 * Environment and dispatches a workflow. Hosts and credentials come from
 * `integrations.github`.
 *
 * @public
 */
export const releaseModuleGithubActions = createBackendModule({
  pluginId: 'release',
  moduleId: 'github-actions',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: releaseProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        GithubActionsProvider.validatePipelines(config);
        providers.addProvider(GithubActionsProvider.fromConfig(config));
      },
    });
  },
});
