import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { DeploymentProvider } from './provider';

/**
 * Lets backend modules add deployment providers to the release plugin.
 * @public
 */
export interface ReleaseProvidersExtensionPoint {
  /** Adds providers; a type may be registered once. */
  addProvider(...providers: DeploymentProvider[]): void;
}

/**
 * The extension point for deployment providers.
 *
 * @example
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'release',
 *   moduleId: 'my-provider',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { providers: releaseProvidersExtensionPoint },
 *       async init({ providers }) {
 *         providers.addProvider(new MyProvider());
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const releaseProvidersExtensionPoint =
  createExtensionPoint<ReleaseProvidersExtensionPoint>({
    id: 'release.providers',
  });
