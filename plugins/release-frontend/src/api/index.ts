export { releaseApiRef } from './ReleaseApi';
export type { ReleaseApi, ListReleasesOptions } from './ReleaseApi';
export { ReleaseClient } from './ReleaseClient';
