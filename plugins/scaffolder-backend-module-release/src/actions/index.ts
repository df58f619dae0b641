export { createReleaseCreateAction } from './createRelease';
export { createReleasePromoteAction } from './promote';
export { createReleaseTrainPromotionAction } from './requestTrainPromotion';
