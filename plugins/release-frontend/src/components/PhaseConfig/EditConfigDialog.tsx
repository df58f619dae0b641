import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import {
  PhaseDatabase,
  PhaseSizing,
} from '@release-manager/backstage-plugin-release-common';
import { useEffect, useState } from 'react';
import {
  PhaseConfigView,
  PutPhaseConfigRequest,
  releaseApiRef,
} from '../../api';
import { errorMessage } from '../../errors';
import { FormDialog, useSubmission } from '../SubmitDialogActions';
import { CommentField } from '../CommentField';

/** Props of {@link EditConfigDialog}. */
export interface EditConfigDialogProps {
  open: boolean;
  entityRef: string;
  phaseId: string;
  phaseTitle: string;
  /** The configuration the change is based on. */
  config: PhaseConfigView;
  onClose: () => void;
  /** Called after a change was saved. */
  onSaved: () => void;
  /** Loads the configuration again; the form restarts from what it gets. */
  onReload: () => void;
}

const DATABASE_FIELDS: Array<{
  key: keyof PhaseDatabase;
  label: string;
  numeric?: boolean;
}> = [
  { key: 'engine', label: 'Engine' },
  { key: 'host', label: 'Host' },
  { key: 'port', label: 'Port', numeric: true },
  { key: 'name', label: 'Database name' },
  { key: 'user', label: 'User' },
  { key: 'passwordSecret', label: 'Password secret' },
];

const SIZING_FIELDS: Array<{
  key: keyof PhaseSizing;
  label: string;
  numeric?: boolean;
}> = [
  { key: 'replicas', label: 'Replicas', numeric: true },
  { key: 'cpu', label: 'CPU' },
  { key: 'memory', label: 'Memory' },
];

type Row = { key: string; value: string };

function toStrings(o: object | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o ?? {})
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, String(v)]),
  );
}

/**
 * The fields of `values` that are filled in, numbers parsed; undefined when
 * none is. Throws a message for a number field that is not a whole number.
 */
function fromStrings<T>(
  values: Record<string, string>,
  fields: Array<{ key: keyof T; label: string; numeric?: boolean }>,
): T | undefined {
  const out: Record<string, string | number> = {};
  for (const field of fields) {
    const raw = (values[field.key as string] ?? '').trim();
    if (!raw) continue;
    if (field.numeric) {
      if (!/^\d+$/.test(raw)) {
        throw new Error(`${field.label} must be a whole number`);
      }
      out[field.key as string] = Number(raw);
    } else {
      out[field.key as string] = raw;
    }
  }
  return Object.keys(out).length ? (out as T) : undefined;
}

/** The current version named in a 409 message, e.g. "…at version 5…". */
function conflictVersion(error: ResponseError): string | undefined {
  const match = /version (\d+)/i.exec(errorMessage(error));
  return match?.[1];
}

/**
 * Edits the variables (key / value rows), database and sizing of a phase and
 * saves them with the version they are based on. When someone else saved in
 * between, the backend refuses (409) and the dialog explains it and offers to
 * reload.
 */
export function EditConfigDialog(props: EditConfigDialogProps) {
  const {
    open,
    entityRef,
    phaseId,
    phaseTitle,
    config,
    onClose,
    onSaved,
    onReload,
  } = props;
  const api = useApi(releaseApiRef);
  const [rows, setRows] = useState<Row[]>([]);
  const [database, setDatabase] = useState<Record<string, string>>({});
  const [sizing, setSizing] = useState<Record<string, string>>({});
  const { submitting, error, setError, run } = useSubmission();
  const [conflict, setConflict] = useState<{ version?: string }>();
  const [comment, setComment] = useState('');

  // Start from the configuration each time the dialog opens or reloads.
  useEffect(() => {
    if (open) {
      setRows(
        Object.entries(config.variables).map(([key, value]) => ({
          key,
          value,
        })),
      );
      setDatabase(toStrings(config.database));
      setSizing(toStrings(config.sizing));
      setError(undefined);
      setConflict(undefined);
      setComment('');
    }
  }, [open, config, setError]);

  const setRow = (index: number, change: Partial<Row>) =>
    setRows(rs => rs.map((r, i) => (i === index ? { ...r, ...change } : r)));

  const build = (): PutPhaseConfigRequest => {
    const variables: Record<string, string> = {};
    for (const row of rows) {
      const key = row.key.trim();
      if (!key && !row.value) continue;
      if (!key) throw new Error('Every variable needs a name');
      if (key in variables) throw new Error(`Variable ${key} appears twice`);
      variables[key] = row.value;
    }
    return {
      variables,
      database: fromStrings<PhaseDatabase>(database, DATABASE_FIELDS),
      sizing: fromStrings<PhaseSizing>(sizing, SIZING_FIELDS),
      expectedVersion: config.version,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    };
  };

  const submit = () => {
    setError(undefined);
    setConflict(undefined);
    let request: PutPhaseConfigRequest;
    try {
      request = build();
    } catch (e) {
      setError(errorMessage(e));
      return;
    }
    run(async () => {
      try {
        await api.putPhaseConfig(entityRef, phaseId, request);
        onSaved();
      } catch (e) {
        if (ResponseError.is(e) && e.statusCode === 409) {
          setConflict({ version: conflictVersion(e) });
        } else {
          throw e;
        }
      }
    });
  };

  const field = (
    group: 'database' | 'sizing',
    f: { key: string; label: string; numeric?: boolean },
  ) => {
    const values = group === 'database' ? database : sizing;
    const set = group === 'database' ? setDatabase : setSizing;
    return (
      <TextField
        key={f.key}
        id={`config-${phaseId}-${group}-${f.key}`}
        label={f.label}
        value={values[f.key] ?? ''}
        onChange={e => set(v => ({ ...v, [f.key]: e.target.value }))}
        inputProps={f.numeric ? { inputMode: 'numeric' } : undefined}
        size="small"
        margin="dense"
        style={{ marginRight: 8 }}
      />
    );
  };

  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={`Edit configuration of ${phaseTitle}`}
      maxWidth="md"
      submitting={submitting}
      error={error}
      intro={
        <>
          <Typography variant="body2" color="textSecondary" paragraph>
            Based on version {config.version}. Saving creates a new version;
            promotions waiting for approval in {phaseTitle} lose their
            approvals.
          </Typography>
          {conflict && (
            <Alert
              severity="warning"
              role="alert"
              action={
                <Button color="inherit" size="small" onClick={onReload}>
                  Reload
                </Button>
              }
            >
              Someone changed this configuration meanwhile
              {conflict.version ? ` (now version ${conflict.version})` : ''}.
              Reload and apply your change again.
            </Alert>
          )}
        </>
      }
      onSubmit={submit}
      submitLabel="Save"
      submitDisabled={conflict !== undefined}
    >
      <Typography variant="subtitle2" component="h3">
        Variables
      </Typography>
      {rows.map((row, i) => (
        <Box
          key={i}
          display="flex"
          alignItems="center"
          role="group"
          aria-label={`Variable ${i + 1}`}
        >
          <TextField
            id={`config-${phaseId}-variable-${i}-name`}
            label="Name"
            value={row.key}
            onChange={e => setRow(i, { key: e.target.value })}
            size="small"
            margin="dense"
            style={{ marginRight: 8 }}
          />
          <TextField
            id={`config-${phaseId}-variable-${i}-value`}
            label="Value"
            value={row.value}
            onChange={e => setRow(i, { value: e.target.value })}
            size="small"
            margin="dense"
            style={{ flex: 1 }}
          />
          <IconButton
            aria-label={`Remove variable ${row.key || i + 1}`}
            onClick={() => setRows(rs => rs.filter((_, j) => j !== i))}
            size="small"
          >
            <DeleteIcon fontSize="small" />
          </IconButton>
        </Box>
      ))}
      <Button
        size="small"
        startIcon={<AddIcon />}
        onClick={() => setRows(rs => [...rs, { key: '', value: '' }])}
      >
        Add variable
      </Button>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          Database
        </Typography>
        {DATABASE_FIELDS.map(f => field('database', f))}
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          Sizing
        </Typography>
        {SIZING_FIELDS.map(f => field('sizing', f))}
      </Box>
      <CommentField
        id={`config-${phaseId}-comment`}
        helperText="Optional: why, shown in the configuration history"
        value={comment}
        onChange={setComment}
        singleLine
      />
    </FormDialog>
  );
}
