export { ReleaseStatusChip, promotionStatusLabel } from './ReleaseStatusChip';
export type { ReleaseStatusChipProps } from './ReleaseStatusChip';
