/**
 * Scaffolder actions of the Release Manager: `release:create` and
 * `release:promote`.
 *
 * @packageDocumentation
 */

export { scaffolderModuleRelease as default } from './module';
export {
  createReleaseCreateAction,
  createReleasePromoteAction,
} from './actions';
