import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { DeploymentProvider } from './provider';
import { ReleaseCheck } from './checks';

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

/**
 * Lets backend modules add verification check providers to the release
 * plugin.
 * @public
 */
export interface ReleaseChecksExtensionPoint {
  /** Adds check providers; a type may be registered once. */
  addCheck(...checks: ReleaseCheck[]): void;
}

/**
 * The extension point for verification check providers.
 *
 * @example
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'release',
 *   moduleId: 'my-check',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { checks: releaseChecksExtensionPoint },
 *       async init({ checks }) {
 *         checks.addCheck({
 *           type: 'my-check',
 *           async evaluate({ entityRef }) {
 *             return { status: 'passed', summary: `${entityRef} is fine` };
 *           },
 *         });
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const releaseChecksExtensionPoint =
  createExtensionPoint<ReleaseChecksExtensionPoint>({
    id: 'release.checks',
  });
