export { PromotionDetailDialog } from './PromotionDetailDialog';
export type { PromotionDetailDialogProps } from './PromotionDetailDialog';
