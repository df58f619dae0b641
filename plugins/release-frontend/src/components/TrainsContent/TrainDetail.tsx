import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import BlockIcon from '@material-ui/icons/Block';
import CheckIcon from '@material-ui/icons/Check';
import CloseIcon from '@material-ui/icons/Close';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import UndoIcon from '@material-ui/icons/Undo';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseApiRef, Train, TrainMember } from '../../api';
import { useLiveUpdates } from '../../hooks/useLiveUpdates';
import { ChangeSetView } from '../ChangeSetView';
import { CommentDialog } from '../CommentDialog';
import { DetailList } from '../DetailList';
import { GatedButton } from '../GatedButton';
import { Person } from '../Person';
import { RelativeTime } from '../RelativeTime';
import { ReleaseStatusChip } from '../ReleaseStatusChip';
import { EntityName } from './EntityName';
import { TrainStatusChip } from './TrainStatusChip';
import {
  deployedCount,
  isOpenTrain,
  refName,
  trainLabel,
  trainSummary,
} from './trainText';

const useStyles = makeStyles((theme: Theme) => ({
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  stepper: { padding: theme.spacing(2, 1), overflowX: 'auto' },
  member: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    minWidth: 0,
  },
  // Under the step's centred label when the steps stand side by side.
  centred: { alignItems: 'center', textAlign: 'center' },
  reason: { color: theme.palette.error.dark, overflowWrap: 'anywhere' },
  progress: { width: '100%', minWidth: 120 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

function MemberStep(props: { member: TrainMember; centred: boolean }) {
  const { member, centred } = props;
  const classes = useStyles();
  const running = member.status === 'queued' || member.status === 'deploying';
  const percent = member.progress?.percent;
  return (
    <div
      className={
        centred ? `${classes.member} ${classes.centred}` : classes.member
      }
    >
      <Typography variant="body2">
        {member.fromVersion ?? 'nothing'} → <strong>{member.version}</strong>
      </Typography>
      <ReleaseStatusChip status={member.status} />
      {running && (
        <div className={classes.progress}>
          <LinearProgress
            variant={percent !== undefined ? 'determinate' : 'indeterminate'}
            value={percent}
            aria-label={`Progress of ${refName(member.entityRef)}`}
          />
        </div>
      )}
      {member.progress?.message && (
        <Typography variant="caption" color="textSecondary">
          {member.progress.message}
          {percent !== undefined && ` (${Math.round(percent)}%)`}
        </Typography>
      )}
      {member.failureReason && (
        <Typography variant="caption" className={classes.reason}>
          {member.failureReason}
        </Typography>
      )}
    </div>
  );
}

/** The members in deploy order, as a step list. */
export function TrainSteps(props: { train: Train }) {
  const { train } = props;
  const classes = useStyles();
  const theme = useTheme();
  // Side by side when there is room, one under the other otherwise.
  const wide = useMediaQuery(theme.breakpoints.up('lg'), { noSsr: true });
  const active = train.members.findIndex(m => m.status !== 'succeeded');
  return (
    <Stepper
      className={classes.stepper}
      orientation={wide ? 'horizontal' : 'vertical'}
      alternativeLabel={wide}
      activeStep={active === -1 ? train.members.length : active}
      aria-label="Members in deploy order"
      role="list"
    >
      {train.members.map(m => (
        <Step
          key={m.entityRef}
          completed={m.status === 'succeeded'}
          role="listitem"
          data-testid="train-member"
          aria-label={`${m.order}. ${refName(m.entityRef)}`}
        >
          <StepLabel
            icon={m.order}
            error={m.status === 'failed'}
            optional={<MemberStep member={m} centred={wide} />}
          >
            <EntityName entityRef={m.entityRef} />
          </StepLabel>
        </Step>
      ))}
    </Stepper>
  );
}

/** One change set per member, the first expanded. */
function MemberChanges(props: { train: Train }) {
  const { train } = props;
  const [expanded, setExpanded] = useState<string | undefined>(
    train.members[0]?.entityRef,
  );
  return (
    <section aria-label="What changes">
      <Typography variant="h6" component="h3" gutterBottom>
        What changes
      </Typography>
      {train.members.map(m => (
        <Accordion
          key={m.entityRef}
          expanded={expanded === m.entityRef}
          onChange={(_, open) => setExpanded(open ? m.entityRef : undefined)}
          TransitionProps={{ unmountOnExit: true }}
        >
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-label={`Changes of ${refName(m.entityRef)}`}
          >
            <Typography>
              {m.order}. {refName(m.entityRef)}: {m.fromVersion ?? 'nothing'} →{' '}
              {m.version}
            </Typography>
          </AccordionSummary>
          <AccordionDetails style={{ display: 'block' }}>
            {/* Loaded again when the member moves on (approvals, gates). */}
            <ChangeSetView
              key={`${m.promotionId}-${m.status}-${train.approvals.given.length}`}
              promotionId={m.promotionId}
            />
          </AccordionDetails>
        </Accordion>
      ))}
    </section>
  );
}

function TrainActions(props: { train: Train; onChanged: () => void }) {
  const { train, onChanged } = props;
  const api = useApi(releaseApiRef);
  const classes = useStyles();
  const [dialog, setDialog] = useState<
    'approve' | 'reject' | 'cancel' | 'rollback'
  >();
  const label = trainLabel(train);
  const pending = train.status === 'pending_approval';
  const decideReason = train.canDecide
    ? undefined
    : train.cannotDecideReason ?? 'You may not decide on this train';
  const cancellable = train.canCancel && isOpenTrain(train);
  if (!pending && !cancellable && !train.rollbackAvailable) {
    return null;
  }
  const summary = (
    <strong data-testid="decision-summary">{trainSummary(train)}</strong>
  );
  const done = async (action: Promise<Train>) => {
    await action;
    setDialog(undefined);
    onChanged();
  };
  return (
    <>
      <div className={classes.actions}>
        {pending && (
          <>
            <GatedButton
              variant="contained"
              color="primary"
              startIcon={<CheckIcon />}
              aria-label={`Approve train ${label}`}
              disabledReason={decideReason}
              onClick={() => setDialog('approve')}
            >
              Approve
            </GatedButton>
            <GatedButton
              variant="outlined"
              startIcon={<CloseIcon />}
              aria-label={`Reject train ${label}`}
              disabledReason={decideReason}
              onClick={() => setDialog('reject')}
            >
              Reject
            </GatedButton>
          </>
        )}
        {cancellable && (
          <GatedButton
            variant="text"
            startIcon={<BlockIcon />}
            aria-label={`Cancel train ${label}`}
            onClick={() => setDialog('cancel')}
          >
            Cancel
          </GatedButton>
        )}
        {train.rollbackAvailable && (
          <GatedButton
            variant="outlined"
            startIcon={<UndoIcon />}
            aria-label={`Roll back train ${label}`}
            onClick={() => setDialog('rollback')}
          >
            Roll back deployed members
          </GatedButton>
        )}
      </div>
      <CommentDialog
        open={dialog === 'approve'}
        title={`Approve train ${label}`}
        description={
          <>
            {summary}
            <br />
            One approval covers every member; they deploy in this order, each
            after the one before it succeeded.
          </>
        }
        label="Comment (optional)"
        confirmLabel="Approve"
        onClose={() => setDialog(undefined)}
        onConfirm={comment =>
          done(api.approveTrain(train.id, comment ? { comment } : {}))
        }
      />
      <CommentDialog
        open={dialog === 'reject'}
        title={`Reject train ${label}`}
        description={
          <>
            {summary}
            <br />
            No member deploys. The requester sees your comment; say what has to
            change.
          </>
        }
        label="Comment"
        required
        helperText="Required: why the train is rejected"
        confirmLabel="Reject"
        onClose={() => setDialog(undefined)}
        onConfirm={comment => done(api.rejectTrain(train.id, { comment }))}
      />
      <CommentDialog
        open={dialog === 'cancel'}
        title={`Cancel train ${label}`}
        description="Members that have not started deploying will not deploy. This cannot be undone."
        label="Comment (optional)"
        confirmLabel="Cancel train"
        onClose={() => setDialog(undefined)}
        onConfirm={comment =>
          done(api.cancelTrain(train.id, comment ? { comment } : {}))
        }
      />
      <CommentDialog
        open={dialog === 'rollback'}
        title={`Roll back train ${label}`}
        description={`The members already deployed (${train.members
          .filter(m => m.status === 'succeeded')
          .map(m => refName(m.entityRef))
          .join(', ')}) go back to what ran before, in reverse order.`}
        label="Comment (optional)"
        confirmLabel="Roll back"
        onClose={() => setDialog(undefined)}
        onConfirm={comment =>
          done(api.rollbackTrain(train.id, comment ? { comment } : {}))
        }
      />
    </>
  );
}

function TrainView(props: { train: Train; onChanged: () => void }) {
  const { train, onChanged } = props;
  const classes = useStyles();
  const given = train.approvals.given;
  return (
    <>
      <DetailList>
        <dt>Status</dt>
        <dd>
          <TrainStatusChip status={train.status} /> {deployedCount(train)}
        </dd>
        <dt>System</dt>
        <dd>
          <EntityName entityRef={train.system} defaultKind="system" />
        </dd>
        <dt>Requested by</dt>
        <dd>
          <Person entityRef={train.requestedBy} />{' '}
          <RelativeTime value={train.requestedAt} />
        </dd>
        <dt>Comment</dt>
        <dd className={classes.text}>{train.comment || '—'}</dd>
        <dt>Approvals</dt>
        <dd>
          {given.length} of {train.approvals.required} required
          {given.map(a => (
            <div key={`${a.by}-${a.at}`}>
              Approved by <Person entityRef={a.by} />{' '}
              <RelativeTime value={a.at} />
              {a.comment && <span className={classes.text}>: {a.comment}</span>}
            </div>
          ))}
        </dd>
      </DetailList>
      {train.stoppedBy && (
        <Box mt={2}>
          <Alert severity="error" data-testid="train-stopped">
            Stopped: {refName(train.stoppedBy.entityRef)} failed:{' '}
            {train.stoppedBy.reason}
          </Alert>
        </Box>
      )}
      <TrainSteps train={train} />
      <Box mb={2}>
        <TrainActions train={train} onChanged={onChanged} />
      </Box>
      <MemberChanges train={train} />
    </>
  );
}

/** Props of {@link TrainDetail}. */
export interface TrainDetailProps {
  trainId: string;
  onBack: () => void;
  /** Called after an action changed the train. */
  onChanged?: () => void;
}

/**
 * One train: its state, requester and approvals, the members in deploy
 * order with their status, progress and failure reason, one Approve and
 * Reject for the whole train, Cancel, Roll back of the deployed members, and
 * each member's change set. Kept current through signals about the train's
 * System and members, with polling as the fallback.
 */
export function TrainDetail(props: TrainDetailProps) {
  const { trainId, onBack, onChanged } = props;
  const api = useApi(releaseApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getTrain(trainId),
    [api, trainId],
  );
  useLiveUpdates({
    entityRefs: value
      ? [value.system, ...value.members.map(m => m.entityRef)]
      : [],
    refresh: retry,
    active: value
      ? isOpenTrain(value) && value.status !== 'pending_approval'
      : false,
  });
  return (
    <Paper variant="outlined">
      <Box p={2}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          mb={1}
          style={{ gap: 8 }}
        >
          <Button startIcon={<ArrowBackIcon />} onClick={onBack} size="small">
            All trains
          </Button>
          <Typography variant="h5" component="h2">
            {value ? `Train ${trainLabel(value)}` : 'Train'}
          </Typography>
        </Box>
        {!value && loading && <Progress />}
        {error && !value && <ResponseErrorPanel error={error} />}
        {value && (
          <TrainView
            train={value}
            onChanged={() => {
              retry();
              onChanged?.();
            }}
          />
        )}
      </Box>
    </Paper>
  );
}
