import { useApi } from '@backstage/core-plugin-api';
import DialogContentText from '@material-ui/core/DialogContentText';
import TextField from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';
import { releaseApiRef } from '../../api';
import { FormDialog, useSubmission } from '../SubmitDialogActions';

const SECRET_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

/** Props of {@link SecretDialog}. */
export interface SecretDialogProps {
  open: boolean;
  entityRef: string;
  phaseId: string;
  phaseTitle: string;
  /** The secret to replace; a new one is named by the user when undefined. */
  name?: string;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * Sets a secret of a phase. The value is typed into a password field, sent
 * once, and never shown again: the dialog forgets it when it closes.
 */
export function SecretDialog(props: SecretDialogProps) {
  const { open, entityRef, phaseId, phaseTitle, onClose, onSaved } = props;
  const api = useApi(releaseApiRef);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const { submitting, error, setError, run } = useSubmission();

  useEffect(() => {
    setName(props.name ?? '');
    setValue('');
    setError(undefined);
  }, [open, props.name, setError]);

  const nameInvalid = name !== '' && !SECRET_NAME.test(name);

  const submit = () =>
    run(async () => {
      await api.setPhaseSecret(entityRef, phaseId, name, value);
      setValue('');
      onSaved();
    });

  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={
        props.name
          ? `Replace secret ${props.name} of ${phaseTitle}`
          : `Set a secret of ${phaseTitle}`
      }
      submitting={submitting}
      error={error}
      intro={
        <DialogContentText>
          The value is encrypted and never shown again; only its fingerprint is.
        </DialogContentText>
      }
      onSubmit={submit}
      submitLabel="Save secret"
      submitDisabled={!name || nameInvalid || !value}
      autoComplete="off"
    >
      <TextField
        id={`secret-${phaseId}-name`}
        label="Name"
        value={name}
        onChange={e => setName(e.target.value)}
        disabled={props.name !== undefined}
        required
        error={nameInvalid}
        helperText={
          nameInvalid
            ? 'Upper-case letters, digits and _, not starting with a digit'
            : undefined
        }
        fullWidth
        margin="normal"
      />
      <TextField
        id={`secret-${phaseId}-value`}
        label="Value"
        type="password"
        value={value}
        onChange={e => setValue(e.target.value)}
        required
        fullWidth
        margin="normal"
        inputProps={{ maxLength: 16384, autoComplete: 'new-password' }}
      />
    </FormDialog>
  );
}
