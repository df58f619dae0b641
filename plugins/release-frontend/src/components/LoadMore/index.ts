export { LoadMore } from './LoadMore';
export type { PagedList } from './LoadMore';
