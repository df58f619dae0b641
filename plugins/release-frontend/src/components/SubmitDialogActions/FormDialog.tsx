import Dialog, { DialogProps } from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, ReactNode, useId } from 'react';
import { SubmitDialogActions } from './SubmitDialogActions';

/** @internal */
export interface FormDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** The widest the dialog grows; `sm` by default. */
  maxWidth?: DialogProps['maxWidth'];
  /** While true the dialog cannot be dismissed and the actions are disabled. */
  submitting: boolean;
  /**
   * Shown in an alert at the top of the content, below `intro`; leave it out
   * when the dialog shows the error elsewhere.
   */
  error?: string;
  /** Content above the error alert, e.g. a description of what happens. */
  intro?: ReactNode;
  /** Called when the form is submitted; the browser's submit is prevented. */
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** The submit button's label. */
  submitLabel: ReactNode;
  /** The submit button is disabled (the form is not ready). */
  submitDisabled?: boolean;
  closeLabel?: string;
  /** The form's `autoComplete` attribute, e.g. `off`. */
  autoComplete?: string;
  /** The form's fields, below the error alert. */
  children?: ReactNode;
}

/**
 * The shell of the plugin's form dialogs: a dialog holding a form with a
 * title, the content with the error alert at its top, and the actions row.
 *
 * @internal
 */
export function FormDialog(props: FormDialogProps) {
  const {
    open,
    onClose,
    title,
    maxWidth = 'sm',
    submitting,
    error,
    intro,
    onSubmit,
    submitLabel,
    submitDisabled,
    closeLabel,
    autoComplete,
    children,
  } = props;
  const titleId = `${useId()}-title`;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit(event);
  };
  return (
    <Dialog
      open={open}
      onClose={submitting ? undefined : onClose}
      fullWidth
      maxWidth={maxWidth}
      aria-labelledby={titleId}
    >
      <form onSubmit={submit} noValidate autoComplete={autoComplete}>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          {intro}
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          {children}
        </DialogContent>
        <SubmitDialogActions
          label={submitLabel}
          onClose={onClose}
          submitting={submitting}
          disabled={submitDisabled}
          closeLabel={closeLabel}
        />
      </form>
    </Dialog>
  );
}
