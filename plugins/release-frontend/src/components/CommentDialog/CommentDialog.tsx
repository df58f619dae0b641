import DialogContentText from '@material-ui/core/DialogContentText';
import { ReactNode, useEffect, useId, useState } from 'react';
import { FormDialog, useSubmission } from '../SubmitDialogActions';
import { CommentField } from '../CommentField';

/** Props of {@link CommentDialog}. */
export interface CommentDialogProps {
  open: boolean;
  title: string;
  /** What happens when confirmed, shown above the field. */
  description?: ReactNode;
  /** Label of the text field, e.g. "Comment" or "Reason"; none without. */
  label?: string;
  /** Whether the text is required (then the confirm button waits for it). */
  required?: boolean;
  helperText?: string;
  confirmLabel: string;
  /** Called with the trimmed text; a rejection is shown in the dialog. */
  onConfirm: (text: string) => Promise<void>;
  onClose: () => void;
}

/**
 * A small confirmation dialog, with one text field when `label` is given, for
 * decisions that take a comment or a reason (reject, cancel, lock, unlock). The server's error message is
 * shown in the dialog when it refuses.
 */
export function CommentDialog(props: CommentDialogProps) {
  const {
    open,
    title,
    description,
    label,
    required = false,
    helperText,
    confirmLabel,
    onConfirm,
    onClose,
  } = props;
  const id = useId();
  const [text, setText] = useState('');
  const { submitting, error, setError, run } = useSubmission();

  useEffect(() => {
    if (open) {
      setText('');
      setError(undefined);
    }
  }, [open, setError]);

  const submit = () => run(() => onConfirm(text.trim()));

  const canSubmit = !submitting && (!required || text.trim() !== '');

  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={title}
      submitting={submitting}
      error={error}
      intro={
        description && <DialogContentText>{description}</DialogContentText>
      }
      onSubmit={submit}
      submitLabel={confirmLabel}
      submitDisabled={!canSubmit}
    >
      {label && (
        <CommentField
          id={`${id}-text`}
          label={label}
          value={text}
          onChange={setText}
          required={required}
          helperText={helperText}
        />
      )}
    </FormDialog>
  );
}
