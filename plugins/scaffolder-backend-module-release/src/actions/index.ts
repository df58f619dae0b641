export { createReleaseCreateAction } from './createRelease';
export { createReleasePromoteAction } from './promote';
