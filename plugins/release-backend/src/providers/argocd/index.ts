export { ArgoCdProvider, PROMOTION_ANNOTATION } from './ArgoCdProvider';
export type { ArgoCdProviderOptions } from './ArgoCdProvider';
