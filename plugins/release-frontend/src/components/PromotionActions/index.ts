export { PromotionActions } from './PromotionActions';
export type { PromotionActionsProps } from './PromotionActions';
