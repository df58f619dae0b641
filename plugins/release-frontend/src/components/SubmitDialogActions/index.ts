export { SubmitDialogActions } from './SubmitDialogActions';
export type { SubmitDialogActionsProps } from './SubmitDialogActions';
export { FormDialog } from './FormDialog';
export type { FormDialogProps } from './FormDialog';
export { useSubmission } from './useSubmission';
export type { Submission } from './useSubmission';
