import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, ReactNode, useEffect, useId, useState } from 'react';
import { errorMessage } from '../../errors';
import { SubmitDialogActions } from '../SubmitDialogActions';
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
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (open) {
      setText('');
      setError(undefined);
    }
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      await onConfirm(text.trim());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  const canSubmit = !submitting && (!required || text.trim() !== '');

  return (
    <Dialog
      open={open}
      onClose={submitting ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby={`${id}-title`}
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={`${id}-title`}>{title}</DialogTitle>
        <DialogContent>
          {description && <DialogContentText>{description}</DialogContentText>}
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
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
        </DialogContent>
        <SubmitDialogActions
          label={confirmLabel}
          onClose={onClose}
          submitting={submitting}
          disabled={!canSubmit}
        />
      </form>
    </Dialog>
  );
}
