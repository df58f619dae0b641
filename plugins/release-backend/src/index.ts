/**
 * Release Manager backend plugin for Backstage.
 *
 * The stores are internal: seed data reaches the database through
 * `releaseSeedExtensionPoint` (release-node), deployments through
 * `releaseProvidersExtensionPoint`, everything else through the HTTP API
 * and the actions.
 *
 * @packageDocumentation
 */

export { releasePlugin as default } from './plugin';

export { EntityReadCache } from './cache/EntityReadCache';

export {
  releasePhaseConditions,
  createReleasePhaseConditionalDecision,
} from './permissions/conditions';
export {
  releasePhaseResourceRef,
  releasePhaseRules,
  type ReleasePhaseResource,
  type ReleasePhaseQuery,
} from './permissions/rules';
