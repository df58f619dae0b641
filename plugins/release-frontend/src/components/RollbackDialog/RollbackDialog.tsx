import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { FormEvent, useEffect, useState } from 'react';
import { PromotionDetail, releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import { newIdempotencyKey } from '../../idempotency';
import { SubmitDialogActions } from '../SubmitDialogActions';

/** Props of {@link RollbackDialog}. */
export interface RollbackDialogProps {
  entityRef: string;
  /** The phase to roll back; the dialog is closed while undefined. */
  phase?: PipelinePhaseView;
  onClose: () => void;
  onRequested: (promotion: PromotionDetail) => void;
}

/**
 * Requests a rollback of a phase: to the given version, or (left empty) to
 * the release that ran there successfully before the current one. The
 * rollback goes through the phase's gates like any promotion.
 */
export function RollbackDialog(props: RollbackDialogProps) {
  const { entityRef, phase, onClose, onRequested } = props;
  const api = useApi(releaseApiRef);
  const [version, setVersion] = useState('');
  const [comment, setComment] = useState('');
  const [key, setKey] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  // A new user action each time the dialog opens for a phase; the pipeline
  // reloading meanwhile (polling) must not reset what the user typed.
  const phaseId = phase?.id;
  useEffect(() => {
    if (phaseId) {
      setVersion('');
      setComment('');
      setError(undefined);
      setKey(newIdempotencyKey());
    }
  }, [phaseId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!phase) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const promotion = await api.rollbackPhase(
        entityRef,
        phase.id,
        {
          version: version.trim() || undefined,
          comment: comment.trim() || undefined,
        },
        { idempotencyKey: key },
      );
      onRequested(promotion);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={phase !== undefined}
      onClose={submitting ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="rollback-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="rollback-title">
          Roll back {phase?.title ?? ''}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {phase?.current
              ? `${phase.current.version} runs in ${phase.title} now. `
              : ''}
            The rollback redeploys an earlier release through the same gates
            (approvals, lock, freeze) as a promotion.
          </DialogContentText>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          <TextField
            id="rollback-version"
            label="Version"
            helperText="Optional: leave empty for the release that ran here successfully before the current one"
            value={version}
            onChange={e => setVersion(e.target.value)}
            fullWidth
            margin="normal"
            inputProps={{ maxLength: 128 }}
          />
          <TextField
            id="rollback-comment"
            label="Comment"
            helperText="Optional: why you roll back"
            value={comment}
            onChange={e => setComment(e.target.value)}
            fullWidth
            multiline
            minRows={2}
            margin="normal"
            inputProps={{ maxLength: 2000 }}
          />
        </DialogContent>
        <SubmitDialogActions
          label="Request rollback"
          onClose={onClose}
          submitting={submitting}
        />
      </form>
    </Dialog>
  );
}
