import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { releaseProvidersExtensionPoint } from '@release-manager/backstage-plugin-release-node';
import { KubernetesProvider } from './KubernetesProvider';

/**
 * Adds the `kubernetes` deployment provider to the release plugin: it
 * updates a Deployment with the release and the phase configuration, writes
 * the phase's secrets into a Secret the Deployment reads, and follows the
 * rollout. Clusters come from `release.providers.kubernetes.clusters` or
 * the Kubernetes plugin's `kubernetes.clusterLocatorMethods`; every
 * `kubernetes` phase in `release.pipelines` is checked at startup.
 *
 * @public
 */
export const releaseModuleKubernetes = createBackendModule({
  pluginId: 'release',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: releaseProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        providers.addProvider(KubernetesProvider.fromConfig(config));
      },
    });
  },
});
