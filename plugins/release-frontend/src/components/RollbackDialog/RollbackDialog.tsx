import { useApi } from '@backstage/core-plugin-api';
import DialogContentText from '@material-ui/core/DialogContentText';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { PromotionDetail, releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import { newIdempotencyKey } from '../../idempotency';
import { FormDialog, useSubmission } from '../SubmitDialogActions';
import { CommentField } from '../CommentField';

/** Props of {@link RollbackDialog}. */
export interface RollbackDialogProps {
  entityRef: string;
  /** The phase to roll back; the dialog is closed while undefined. */
  phase?: PipelinePhaseView;
  onClose: () => void;
  onRequested: (promotion: PromotionDetail) => void;
}

/**
 * Requests a rollback of a phase: to a version picked from those that
 * succeeded in the phase, or by default to the release that ran there
 * successfully before the current one. The
 * rollback goes through the phase's gates like any promotion.
 */
export function RollbackDialog(props: RollbackDialogProps) {
  const { entityRef, phase, onClose, onRequested } = props;
  const api = useApi(releaseApiRef);
  const [version, setVersion] = useState('');
  const [comment, setComment] = useState('');
  const [key, setKey] = useState('');
  const { submitting, error, setError, run } = useSubmission();

  // A new user action each time the dialog opens for a phase; the pipeline
  // reloading meanwhile (polling) must not reset what the user typed.
  const phaseId = phase?.id;
  // The versions that ran successfully in the phase, newest first, other
  // than the one running now: the only sensible rollback targets.
  const candidates = useAsync(async () => {
    if (!phaseId) return [];
    const succeeded = await api.listPromotions(entityRef, {
      phase: phaseId,
      status: 'succeeded',
      limit: 100,
    });
    const seen = new Set<string>();
    const result: Array<{ version: string; at: string }> = [];
    for (const p of succeeded) {
      if (seen.has(p.version)) continue;
      seen.add(p.version);
      result.push({ version: p.version, at: p.finishedAt ?? p.updatedAt });
    }
    return result;
  }, [api, entityRef, phaseId]);
  const current = phase?.current?.version;
  const options = (candidates.value ?? []).filter(c => c.version !== current);
  useEffect(() => {
    if (phaseId) {
      setVersion('');
      setComment('');
      setError(undefined);
      setKey(newIdempotencyKey());
    }
  }, [phaseId, setError]);

  const submit = () => {
    if (!phase) return;
    run(async () => {
      const promotion = await api.rollbackPhase(
        entityRef,
        phase.id,
        {
          version: version || undefined,
          comment: comment.trim() || undefined,
        },
        { idempotencyKey: key },
      );
      onRequested(promotion);
    });
  };

  return (
    <FormDialog
      open={phase !== undefined}
      onClose={onClose}
      title={`Roll back ${phase?.title ?? ''}`}
      submitting={submitting}
      error={error}
      intro={
        <DialogContentText>
          {phase?.current
            ? `${phase.current.version} runs in ${phase.title} now. `
            : ''}
          The rollback redeploys an earlier release through the same gates
          (approvals, lock, freeze) as a promotion.
        </DialogContentText>
      }
      onSubmit={submit}
      submitLabel="Request rollback"
    >
      {candidates.error && (
        <Alert severity="warning" role="alert">
          Could not load the versions that succeeded in {phase?.title} (
          {errorMessage(candidates.error)}); the default is the release that ran
          there before the current one.
        </Alert>
      )}
      <TextField
        id="rollback-version"
        select
        label="Version"
        helperText={
          !candidates.loading && options.length === 0
            ? `No earlier version succeeded in ${phase?.title ?? 'this phase'}`
            : `A version that succeeded in ${phase?.title ?? 'this phase'}`
        }
        value={version}
        onChange={e => setVersion(e.target.value)}
        SelectProps={{ native: true }}
        fullWidth
        margin="normal"
        disabled={candidates.loading}
      >
        <option value="">The previous good release (default)</option>
        {options.map(c => (
          <option key={c.version} value={c.version}>
            {c.version} (succeeded {new Date(c.at).toLocaleDateString()})
          </option>
        ))}
      </TextField>
      <CommentField
        id="rollback-comment"
        helperText="Optional: why you roll back"
        value={comment}
        onChange={setComment}
      />
    </FormDialog>
  );
}
