import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { releaseProvidersExtensionPoint } from '@release-manager/backstage-plugin-release-node';
import { ArgoCdProvider } from './ArgoCdProvider';

/**
 * Adds the `argocd` deployment provider to the release plugin: it sets the
 * release and the phase configuration in an Argo CD Application, syncs it
 * and follows its health. Instances come from
 * `release.providers.argocd.instances`; every `argocd` phase in
 * `release.pipelines` is checked at startup.
 *
 * @public
 */
export const releaseModuleArgoCd = createBackendModule({
  pluginId: 'release',
  moduleId: 'argocd',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: releaseProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        providers.addProvider(ArgoCdProvider.fromConfig(config));
      },
    });
  },
});
