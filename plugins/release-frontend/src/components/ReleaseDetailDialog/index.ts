export { ReleaseDetailDialog } from './ReleaseDetailDialog';
export type { ReleaseDetailDialogProps } from './ReleaseDetailDialog';
