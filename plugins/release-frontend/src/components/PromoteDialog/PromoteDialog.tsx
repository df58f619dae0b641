import { useApi } from '@backstage/core-plugin-api';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import {
  PipelinePhaseView,
  ReleaseWithStatus,
} from '@release-manager/backstage-plugin-release-common';
import { useEffect, useState } from 'react';
import { PromotionDetail, releaseApiRef } from '../../api';
import { newIdempotencyKey } from '../../idempotency';
import { ChangeSetView } from '../ChangeSetView';
import { phaseAction, phaseActionBlocker } from '../PipelineDrawing';
import { FormDialog, useSubmission } from '../SubmitDialogActions';
import { CommentField } from '../CommentField';
import {
  ScheduleChoice,
  scheduleChoiceComplete,
  ScheduleFields,
  scheduleRequestOf,
} from '../ScheduledMarker';

const NOW: ScheduleChoice = { when: 'now', deployAt: '' };

/** Props of {@link PromoteDialog}. */
export interface PromoteDialogProps {
  entityRef: string;
  /** The release to promote; the dialog is closed while undefined. */
  release?: ReleaseWithStatus;
  /** The pipeline's phases in order. */
  phases: PipelinePhaseView[];
  /** Phases the user may promote to; undefined while unknown. */
  allowedPhases?: Set<string>;
  onClose: () => void;
  onPromoted: (promotion: PromotionDetail) => void;
}

/** The phase after the last one the release succeeded in. */
function suggestedPhase(
  release: ReleaseWithStatus,
  phases: PipelinePhaseView[],
  allowed?: Set<string>,
): string {
  let next = 0;
  phases.forEach((phase, i) => {
    if (release.phases[phase.id]?.status === 'succeeded') {
      next = i + 1;
    }
  });
  const candidates = phases.slice(Math.min(next, phases.length - 1));
  const pick =
    candidates.find(p => !allowed || allowed.has(p.id)) ?? candidates[0];
  return pick?.id ?? '';
}

/** What the gates of a phase will ask of this promotion, as plain text. */
function gateNotes(
  phase: PipelinePhaseView,
): Array<{ severity: 'info' | 'warning'; text: string }> {
  const notes: Array<{ severity: 'info' | 'warning'; text: string }> = [];
  const { gates, lock, freeze } = phase;
  if (lock) {
    notes.push({
      severity: 'warning',
      text: `${phase.title} is locked: ${lock.reason}`,
    });
  }
  if (freeze) {
    notes.push({
      severity: 'warning',
      text: `${phase.title} is frozen until ${new Date(
        freeze.endsAt,
      ).toLocaleString()}${freeze.reason ? `: ${freeze.reason}` : ''}`,
    });
  }
  if (gates.approvalsRequired > 0) {
    notes.push({
      severity: 'info',
      text: `Needs ${gates.approvalsRequired} approval${
        gates.approvalsRequired === 1 ? '' : 's'
      }${gates.allowSelfApproval ? '' : ' by someone other than you'}.`,
    });
  }
  return notes;
}

/**
 * The phase the release must have succeeded in before `phase` and has not;
 * undefined when the `requires` gate is met.
 */
function unmetRequirement(
  release: ReleaseWithStatus,
  phase: PipelinePhaseView,
  phases: PipelinePhaseView[],
): PipelinePhaseView | undefined {
  const { requires } = phase.gates;
  if (!requires || release.phases[requires]?.status === 'succeeded') {
    return undefined;
  }
  return (
    phases.find(p => p.id === requires) ?? {
      ...phase,
      id: requires,
      title: requires,
    }
  );
}

/**
 * Requests a promotion of a release into a phase chosen by the user, with an
 * optional comment. Each opening is one user action with its own
 * Idempotency-Key, so a double submit creates one promotion. The server's
 * message is shown when it refuses (409 gate or conflict, 403 access).
 */
export function PromoteDialog(props: PromoteDialogProps) {
  const { entityRef, release, phases, allowedPhases, onClose, onPromoted } =
    props;
  const api = useApi(releaseApiRef);
  const [phaseId, setPhaseId] = useState('');
  const [comment, setComment] = useState('');
  const [skip, setSkip] = useState(false);
  const [schedule, setSchedule] = useState<ScheduleChoice>(NOW);
  const [key, setKey] = useState('');
  const { submitting, error, setError, run } = useSubmission();
  const open = release !== undefined;

  // A new user action each time the dialog opens for a release.
  const version = release?.version;
  useEffect(() => {
    if (release) {
      setPhaseId(suggestedPhase(release, phases, allowedPhases));
      setComment('');
      setSkip(false);
      setSchedule(NOW);
      setError(undefined);
      setKey(newIdempotencyKey());
    }
    // Reset only when the dialog opens for a release.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  const phase = phases.find(p => p.id === phaseId);
  const deployBlocker = (p: PipelinePhaseView) =>
    phaseActionBlocker(p, 'deploy', `You may not deploy to ${p.title}`) ??
    (allowedPhases !== undefined && !allowedPhases.has(p.id)
      ? `You may not promote to ${p.title}`
      : undefined);
  const blocker = phase ? deployBlocker(phase) : undefined;
  const notAllowed = phaseId !== '' && blocker !== undefined;
  const unmet =
    release && phase ? unmetRequirement(release, phase, phases) : undefined;
  const skipAllowance = phase ? phaseAction(phase, 'skip') : undefined;
  const needsSkip = unmet !== undefined && !skip;

  const submit = () => {
    if (!release) return;
    run(async () => {
      const promotion = await api.createPromotion(
        entityRef,
        {
          version: release.version,
          phase: phaseId,
          comment: comment.trim() || undefined,
          ...(unmet && skip ? { skipRequires: true } : {}),
          ...scheduleRequestOf(schedule),
        },
        { idempotencyKey: key },
      );
      onPromoted(promotion);
    });
  };

  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={`Promote ${release?.version ?? ''}`}
      maxWidth="md"
      submitting={submitting}
      error={error}
      onSubmit={submit}
      submitLabel="Request promotion"
      submitDisabled={
        phaseId === '' ||
        notAllowed ||
        needsSkip ||
        !scheduleChoiceComplete(schedule)
      }
    >
      <TextField
        id="promote-phase"
        select
        label="Phase"
        value={phaseId}
        onChange={e => setPhaseId(e.target.value)}
        SelectProps={{ native: true }}
        fullWidth
        margin="normal"
        required
        error={notAllowed}
        helperText={notAllowed ? blocker : undefined}
      >
        {phases.map(p => (
          <option key={p.id} value={p.id}>
            {p.title}
            {deployBlocker(p) ? ' (not allowed)' : ''}
          </option>
        ))}
      </TextField>
      {release && phase && unmet && (
        <Alert severity="warning" role="note" style={{ marginTop: 8 }}>
          {phase.title} requires {release.version} to have succeeded in{' '}
          {unmet.title} first; it has not.
          {skipAllowance?.allowed ? (
            <FormControlLabel
              style={{ display: 'flex', marginTop: 4 }}
              control={
                <Checkbox
                  checked={skip}
                  onChange={e => setSkip(e.target.checked)}
                  color="primary"
                />
              }
              label={`Skip ${unmet.title}: promote to ${phase.title} without it`}
            />
          ) : (
            <Typography variant="body2" component="p">
              {skipAllowance?.reason ?? `You may not skip ${unmet.title}.`}
            </Typography>
          )}
        </Alert>
      )}
      {release &&
        phase &&
        gateNotes(phase).map(note => (
          <Alert
            key={note.text}
            severity={note.severity}
            role="note"
            style={{ marginTop: 8 }}
          >
            {note.text}
          </Alert>
        ))}
      {release && phase && (
        <Box mt={2}>
          <ChangeSetView
            entityRef={entityRef}
            version={release.version}
            phase={phase.id}
          />
        </Box>
      )}
      <ScheduleFields
        id="promote"
        phase={phase}
        value={schedule}
        onChange={setSchedule}
      />
      <CommentField
        id="promote-comment"
        helperText="Optional: what approvers should know"
        value={comment}
        onChange={setComment}
      />
    </FormDialog>
  );
}
