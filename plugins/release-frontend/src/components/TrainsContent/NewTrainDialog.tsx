import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useId, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { releaseApiRef, Train, TrainDefinition, TrainPlan } from '../../api';
import { errorMessage } from '../../errors';
import { newIdempotencyKey } from '../../idempotency';
import { CommentField } from '../CommentField';
import { FormDialog, useSubmission } from '../SubmitDialogActions';
import { EntityName } from './EntityName';

/** Props of {@link NewTrainDialog}. */
export interface NewTrainDialogProps {
  open: boolean;
  systemRef: string;
  definition: TrainDefinition;
  /** The phase chosen first. */
  initialPhase?: string;
  onClose: () => void;
  onCreated: (train: Train) => void;
}

/** Whether the plan can be requested, and why not. */
export function planBlockers(plan: TrainPlan): string[] {
  const reasons = [...plan.reasons];
  for (const m of plan.members) {
    if (!m.version) {
      reasons.push(
        `${m.entityRef.replace(/^.*\//, '')}: no release to promote`,
      );
    }
  }
  return [...new Set(reasons)];
}

function PlanTable(props: { plan: TrainPlan }) {
  const { plan } = props;
  return (
    <TableContainer style={{ position: 'relative' }}>
      <Table size="small" aria-label="Members in deploy order">
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>Service</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Blockers</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {plan.members.map(m => (
            <TableRow key={m.entityRef} data-testid="plan-member">
              <TableCell>{m.order}</TableCell>
              <TableCell>
                <EntityName entityRef={m.entityRef} />
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {m.fromVersion ?? 'nothing'} →{' '}
                <strong>{m.version ?? '—'}</strong>
              </TableCell>
              <TableCell>
                {m.blockers.length === 0 ? (
                  <Typography variant="body2" color="textSecondary">
                    None
                  </Typography>
                ) : (
                  m.blockers.map(b => (
                    <Typography
                      key={b}
                      variant="body2"
                      color="error"
                      component="div"
                    >
                      {b}
                    </Typography>
                  ))
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/**
 * Requests a release train: pick the phase, see the plan (the members in
 * deploy order with what runs now, what deploys and what blocks them), add
 * a comment and request it. The server's refusal is shown in the dialog.
 */
export function NewTrainDialog(props: NewTrainDialogProps) {
  const { open, systemRef, definition, initialPhase, onClose, onCreated } =
    props;
  const api = useApi(releaseApiRef);
  const id = useId();
  const firstPhase = initialPhase ?? definition.phases[0]?.id ?? '';
  const [phase, setPhase] = useState(firstPhase);
  const [comment, setComment] = useState('');
  const { submitting, error, setError, run } = useSubmission();
  const [key, setKey] = useState(newIdempotencyKey);

  useEffect(() => {
    if (open) {
      setPhase(firstPhase);
      setComment('');
      setError(undefined);
      setKey(newIdempotencyKey());
    }
  }, [open, firstPhase, setError]);

  const plan = useAsync(
    async () =>
      open && phase ? api.getTrainPlan(systemRef, phase) : undefined,
    [api, systemRef, phase, open],
  );
  const blockers = plan.value ? planBlockers(plan.value) : [];
  const ready = Boolean(plan.value?.canRequest) && blockers.length === 0;

  const submit = () => {
    if (!plan.value) return;
    const { members } = plan.value;
    run(async () => {
      const created = await api.createTrain(
        {
          system: systemRef,
          phase,
          members: members.map(m => ({
            entityRef: m.entityRef,
            version: m.version!,
          })),
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        },
        { idempotencyKey: key },
      );
      onCreated(created);
    });
  };

  // The error stands below the plan, next to what it is about, so the dialog
  // shows it itself rather than through FormDialog's `error`.
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={`New train of ${definition.title}`}
      maxWidth="md"
      submitting={submitting}
      onSubmit={submit}
      submitLabel="Request train"
      submitDisabled={!ready}
    >
      <TextField
        select
        id={`${id}-phase`}
        label="Phase"
        value={phase}
        onChange={e => {
          setPhase(e.target.value);
          setKey(newIdempotencyKey());
        }}
        SelectProps={{ native: true }}
        margin="normal"
      >
        {definition.phases.map(p => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </TextField>
      {plan.loading && <Progress />}
      {plan.error && (
        <Alert severity="error" role="alert">
          Could not load the plan: {errorMessage(plan.error)}
        </Alert>
      )}
      {plan.value && !plan.loading && (
        <>
          <Typography variant="body2" paragraph>
            The members deploy to {plan.value.phaseTitle} in this order, each
            after the one before it succeeded. One approval covers the train.
          </Typography>
          <PlanTable plan={plan.value} />
          {blockers.length > 0 && (
            <Box mt={2}>
              <Alert severity="warning" data-testid="plan-reasons">
                The train cannot be requested now:
                <ul style={{ margin: 0 }}>
                  {blockers.map(r => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </Alert>
            </Box>
          )}
        </>
      )}
      {error && (
        <Box mt={2}>
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        </Box>
      )}
      <CommentField
        id={`${id}-comment`}
        value={comment}
        onChange={setComment}
        label="Comment (optional)"
      />
    </FormDialog>
  );
}
