import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { Release } from '@release-manager/backstage-plugin-release-common';
import { FormEvent, useState } from 'react';
import { releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import { SubmitDialogActions } from '../SubmitDialogActions';

/** Props of {@link CreateReleaseDialog}. */
export interface CreateReleaseDialogProps {
  entityRef: string;
  open: boolean;
  onClose: () => void;
  onCreated: (release: Release) => void;
}

const EMPTY = { version: '', artifact: '', commit: '', notes: '' };

/**
 * A form for a new release (version, artifact, commit, notes). The server
 * validates the request; its error message is shown when it refuses.
 */
export function CreateReleaseDialog(props: CreateReleaseDialogProps) {
  const { entityRef, open, onClose, onCreated } = props;
  const api = useApi(releaseApiRef);
  const [form, setForm] = useState(EMPTY);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const field =
    (name: keyof typeof EMPTY) => (event: { target: { value: string } }) =>
      setForm(f => ({ ...f, [name]: event.target.value }));

  const close = () => {
    setForm(EMPTY);
    setError(undefined);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await api.createRelease(entityRef, {
        version: form.version.trim(),
        artifact: form.artifact.trim(),
        commit: form.commit.trim() || undefined,
        notes: form.notes.trim() || undefined,
      });
      setForm(EMPTY);
      onCreated(created);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  const canSubmit =
    !submitting && form.version.trim() !== '' && form.artifact.trim() !== '';

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="create-release-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="create-release-title">Create release</DialogTitle>
        <DialogContent>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          <TextField
            id="release-version"
            label="Version"
            helperText="Semantic version, e.g. 1.4.0"
            value={form.version}
            onChange={field('version')}
            required
            fullWidth
            margin="normal"
          />
          <TextField
            id="release-artifact"
            label="Artifact"
            helperText="Image digest, package coordinate or commit to deploy"
            value={form.artifact}
            onChange={field('artifact')}
            required
            fullWidth
            margin="normal"
          />
          <TextField
            id="release-commit"
            label="Commit"
            value={form.commit}
            onChange={field('commit')}
            fullWidth
            margin="normal"
          />
          <TextField
            id="release-notes"
            label="Notes"
            value={form.notes}
            onChange={field('notes')}
            fullWidth
            multiline
            minRows={3}
            margin="normal"
          />
        </DialogContent>
        <SubmitDialogActions
          label="Create"
          closeLabel="Cancel"
          onClose={close}
          submitting={submitting}
          disabled={!canSubmit}
        />
      </form>
    </Dialog>
  );
}
