/**
 * Scaffolder actions of the Release Manager: `release:create`,
 * `release:promote` and `release:request-train-promotion`.
 *
 * @packageDocumentation
 */

export { scaffolderModuleRelease as default } from './module';
export {
  createReleaseCreateAction,
  createReleasePromoteAction,
  createReleaseTrainPromotionAction,
} from './actions';
