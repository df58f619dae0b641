/**
 * The `kubernetes` deployment provider of the Release Manager, as a backend
 * module of the release plugin.
 *
 * @packageDocumentation
 */

export { releaseModuleKubernetes as default } from './module';
export {
  KubernetesProvider,
  PROMOTION_ANNOTATION,
  CONFIG_VERSION_ANNOTATION,
  MANAGED_ENV_ANNOTATION,
} from './KubernetesProvider';
export type { KubernetesProviderOptions } from './KubernetesProvider';
