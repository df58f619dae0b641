export { RescheduleDialog } from './RescheduleDialog';
export type { RescheduleDialogProps } from './RescheduleDialog';
