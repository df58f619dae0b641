/**
 * The `argocd` deployment provider of the Release Manager, as a backend
 * module of the release plugin.
 *
 * @packageDocumentation
 */

export { releaseModuleArgoCd as default } from './module';
export {
  ArgoCdProvider,
  PROMOTION_ANNOTATION,
  CONFIG_VERSION_ANNOTATION,
} from './ArgoCdProvider';
export type { ArgoCdProviderOptions } from './ArgoCdProvider';
