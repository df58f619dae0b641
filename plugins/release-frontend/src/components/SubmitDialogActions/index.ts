export { SubmitDialogActions } from './SubmitDialogActions';
export type { SubmitDialogActionsProps } from './SubmitDialogActions';
