export { ReleasesContent } from './ReleasesContent';
export type { ReleasesContentProps } from './ReleasesContent';
