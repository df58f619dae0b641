import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import DialogActions from '@material-ui/core/DialogActions';
import { ReactNode } from 'react';

/** @internal */
export interface SubmitDialogActionsProps {
  /** The submit button's label. */
  label: ReactNode;
  onClose: () => void;
  /** While true the submit button shows progress and both are disabled. */
  submitting: boolean;
  /** The submit button is disabled (the form is not ready). */
  disabled?: boolean;
  closeLabel?: string;
}

/**
 * The actions row of the plugin's form dialogs: close, and a submit button
 * that shows progress while the request runs.
 */
export function SubmitDialogActions(props: SubmitDialogActionsProps) {
  const { label, onClose, submitting, disabled, closeLabel = 'Close' } = props;
  return (
    <DialogActions>
      <Button onClick={onClose} disabled={submitting}>
        {closeLabel}
      </Button>
      <Button
        type="submit"
        color="primary"
        variant="contained"
        disabled={submitting || disabled}
        startIcon={submitting ? <CircularProgress size={16} /> : undefined}
      >
        {label}
      </Button>
    </DialogActions>
  );
}
