import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import AcUnitIcon from '@material-ui/icons/AcUnit';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import ScheduleIcon from '@material-ui/icons/Schedule';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import LockIcon from '@material-ui/icons/Lock';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import SyncIcon from '@material-ui/icons/Sync';
import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { ReactNode } from 'react';
import { PromotionDetail } from '../../api';
import { RelativeTime } from '../RelativeTime';
import { describeWindows, ScheduledMarker } from '../ScheduledMarker';
import { RetryButton } from '../RetryButton';
import { failureReason, PhaseHealth, phaseHealth } from './phaseState';

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    // 4–6 phases side by side at 1280 px; fewer per row on narrow screens
    // (the drawing wraps, the page never scrolls sideways).
    gridTemplateColumns: 'repeat(auto-fit, minmax(118px, 1fr))',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  item: {
    position: 'relative',
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1, 1.25),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    borderTopWidth: 4,
    background: theme.palette.background.paper,
    '& + &::before': {
      content: '"›"',
      position: 'absolute',
      left: -theme.spacing(1.5),
      top: '50%',
      transform: 'translateY(-50%)',
      color: theme.palette.text.secondary,
      fontSize: 18,
      lineHeight: 1,
    },
  },
  succeeded: { borderTopColor: theme.palette.success.main },
  failed: { borderTopColor: theme.palette.error.main },
  deploying: { borderTopColor: theme.palette.info.main },
  queued: { borderTopColor: theme.palette.info.light },
  idle: { borderTopColor: theme.palette.divider },
  title: {
    fontWeight: theme.typography.fontWeightBold as number,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  version: {
    fontFamily: 'monospace',
    fontSize: '1rem',
    fontWeight: theme.typography.fontWeightMedium as number,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  line: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    minWidth: 0,
    '& > svg': { fontSize: 16, marginTop: 2, flexShrink: 0 },
  },
  lineText: { minWidth: 0, overflowWrap: 'break-word' },
  ok: { color: theme.palette.success.dark },
  error: { color: theme.palette.error.dark },
  info: { color: theme.palette.info.dark },
  warn: { color: theme.palette.warning.dark },
  muted: { color: theme.palette.text.secondary },
  reason: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'break-word',
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: 'auto',
    paddingTop: theme.spacing(0.5),
    '& button': { whiteSpace: 'nowrap' },
  },
}));

const HEALTH_LABEL: Record<PhaseHealth, string> = {
  deploying: 'Deploying',
  queued: 'Queued',
  failed: 'Failed',
  succeeded: 'Healthy',
  idle: 'Nothing deployed',
};

/** Props of {@link PipelineDrawing}. */
export interface PipelineDrawingProps {
  entityRef: string;
  /** The phases in pipeline order. */
  phases: PipelinePhaseView[];
  /** Opens the detail of a phase (its configuration and gates); no button when absent. */
  onOpenPhase?: (phase: PipelinePhaseView) => void;
  /** Called after a retry was requested. */
  onChanged: (promotion?: PromotionDetail) => void;
}

function Line(props: {
  icon: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const classes = useStyles();
  return (
    <div className={`${classes.line} ${props.className ?? ''}`}>
      {props.icon}
      <Typography variant="body2" component="span" className={classes.lineText}>
        {props.children}
      </Typography>
    </div>
  );
}

function gatesText(phase: PipelinePhaseView, titles: Map<string, string>) {
  const { gates } = phase;
  const parts: string[] = [];
  if (gates.requires) {
    parts.push(`after ${titles.get(gates.requires) ?? gates.requires}`);
  }
  if (gates.approvalsRequired > 0) {
    parts.push(
      `${gates.approvalsRequired} approval${
        gates.approvalsRequired === 1 ? '' : 's'
      }`,
    );
  }
  if (gates.autoPromote) parts.push('auto-promote');
  if (gates.soakTime) parts.push(`soak ${gates.soakTime}`);
  if (gates.freezeWindows > 0) {
    parts.push(
      `${gates.freezeWindows} freeze window${
        gates.freezeWindows === 1 ? '' : 's'
      }`,
    );
  }
  return parts.length ? parts.join(' · ') : 'no gates';
}

const SHORT_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
};

function ShortTime(props: { value: string }) {
  return (
    <time dateTime={props.value} title={new Date(props.value).toLocaleString()}>
      {new Date(props.value).toLocaleString(undefined, SHORT_TIME)}
    </time>
  );
}

/** The earliest scheduled promotion waiting in the phase, and how many more are. */
function ScheduledLine(props: { phase: PipelinePhaseView }) {
  const scheduled = props.phase.pending
    .filter(p => p.scheduledAt)
    .sort((a, b) => a.scheduledAt!.localeCompare(b.scheduledAt!));
  if (scheduled.length === 0) return null;
  const [first] = scheduled;
  return (
    <div data-testid={`scheduled-${props.phase.id}`}>
      <ScheduledMarker
        scheduledAt={first.scheduledAt!}
        scheduledBy={first.requestedBy}
        phase={props.phase}
        suffix={`(${first.version}${
          scheduled.length > 1 ? `, +${scheduled.length - 1} more` : ''
        })`}
      />
    </div>
  );
}

/** The phase's deployment window: open until…, or closed until… */
function WindowLine(props: { phase: PipelinePhaseView; className: string }) {
  const state = props.phase.deploymentWindows;
  if (!state?.restricted) return null;
  const configured = describeWindows(state.windows);
  return (
    <div title={`Deployment windows: ${configured}`}>
      <Line icon={<ScheduleIcon />} className={props.className}>
        {state.open && state.current ? (
          <>
            Window open until <ShortTime value={state.current.endsAt} />
          </>
        ) : (
          <>
            Window closed
            {state.next && (
              <>
                {' '}
                until <ShortTime value={state.next.startedAt} />
              </>
            )}
          </>
        )}
      </Line>
    </div>
  );
}

const CHECK_WORD: Record<string, string> = {
  passed: 'passed',
  failed: 'failed',
  pending: 'pending',
};

/** Each check of the phase with its last result ("not run yet" before one). */
function CheckLines(props: {
  phase: PipelinePhaseView;
  classes: Record<'ok' | 'error' | 'warn' | 'muted', string>;
}) {
  const checks = props.phase.checks ?? [];
  if (checks.length === 0) return null;
  return (
    <div role="group" aria-label={`Checks of ${props.phase.title}`}>
      {checks.map(check => {
        const last = check.last;
        let tone = props.classes.muted;
        if (last?.status === 'passed') tone = props.classes.ok;
        else if (last?.status === 'failed') tone = props.classes.error;
        else if (last) tone = props.classes.warn;
        const kind = check.when === 'before-deploy' ? 'Check' : 'Verify';
        return (
          <div
            key={check.name}
            title={
              last
                ? `${last.summary} (${last.version}, ${new Date(
                    last.evaluatedAt,
                  ).toLocaleString()})`
                : `${check.type} check, ${check.when}`
            }
          >
            <Line icon={<AssignmentTurnedInIcon />} className={tone}>
              {kind} {check.name}:{' '}
              {last ? CHECK_WORD[last.status] ?? last.status : 'not run yet'}
            </Line>
          </div>
        );
      })}
    </div>
  );
}

function PhaseItem(props: {
  entityRef: string;
  phase: PipelinePhaseView;
  titles: Map<string, string>;
  onOpenPhase?: (phase: PipelinePhaseView) => void;
  onChanged: (promotion?: PromotionDetail) => void;
}) {
  const { entityRef, phase, titles, onOpenPhase, onChanged } = props;
  const classes = useStyles();
  const health = phaseHealth(phase);
  const { current, active, lastOutcome, lock, freeze, pending } = phase;
  const failed = health === 'failed' ? lastOutcome : null;
  const reason = failed ? failureReason(failed) : undefined;
  const retryable = failed && !pending.some(p => p.version === failed.version);
  // A scheduled promotion is told by its own line; an approved one waits
  // for its time or gates, not for an approver.
  const awaitingApproval = pending.filter(
    p => p.status === 'pending_approval',
  ).length;
  const approvedWaiting = pending.filter(
    p => p.status !== 'pending_approval' && !p.scheduledAt,
  ).length;

  return (
    <li
      className={`${classes.item} ${classes[health]}`}
      aria-label={`${phase.title} summary`}
      data-health={health}
    >
      <Typography variant="subtitle2" component="h3" className={classes.title}>
        {phase.title}
      </Typography>
      <Typography
        component="p"
        className={classes.version}
        title={current?.version}
        aria-label={
          current
            ? `${current.version} runs in ${phase.title}`
            : `Nothing runs in ${phase.title}`
        }
      >
        {current?.version ?? '—'}
      </Typography>
      {current && (
        <Typography variant="caption" className={classes.muted}>
          since <RelativeTime value={current.deployedAt} />
        </Typography>
      )}

      {active && (
        <>
          <Line icon={<SyncIcon />} className={classes.info}>
            {HEALTH_LABEL[health]} {active.version}
          </Line>
          {active.status === 'deploying' && (
            <LinearProgress
              aria-label={`Deploying ${active.version} to ${phase.title}`}
            />
          )}
          {active.progressMessage && (
            <Typography
              variant="caption"
              className={`${classes.muted} ${classes.reason}`}
            >
              {active.progressMessage}
            </Typography>
          )}
        </>
      )}
      {!active && failed && (
        <div role="group" aria-label={`Failure in ${phase.title}`}>
          <Line icon={<ErrorIcon />} className={classes.error}>
            <strong>Failed {failed.version}</strong>{' '}
            <RelativeTime value={failed.finishedAt ?? failed.updatedAt} />
          </Line>
          <Typography
            variant="caption"
            component="p"
            className={`${classes.error} ${classes.reason}`}
            title={reason}
          >
            {reason ?? 'The deployment failed; the provider gave no reason.'}
          </Typography>
        </div>
      )}
      {!active && !failed && (
        <Line
          icon={
            health === 'succeeded' ? (
              <CheckCircleIcon />
            ) : (
              <RemoveCircleOutlineIcon />
            )
          }
          className={health === 'succeeded' ? classes.ok : classes.muted}
        >
          {health === 'succeeded' &&
          lastOutcome &&
          lastOutcome.status !== 'succeeded'
            ? `Healthy · last attempt ${lastOutcome.status}`
            : HEALTH_LABEL[health]}
        </Line>
      )}
      {lock && (
        <Line icon={<LockIcon />} className={classes.warn}>
          Locked: {lock.reason}
        </Line>
      )}
      {freeze && (
        <Line icon={<AcUnitIcon />} className={classes.info}>
          Frozen until <ShortTime value={freeze.endsAt} />
        </Line>
      )}
      <WindowLine
        phase={phase}
        className={phase.deploymentWindows?.open ? classes.muted : classes.warn}
      />
      <CheckLines phase={phase} classes={classes} />
      {awaitingApproval > 0 && (
        <Line icon={<HourglassEmptyIcon />} className={classes.warn}>
          {awaitingApproval} waiting for approval
        </Line>
      )}
      {approvedWaiting > 0 && (
        <Line icon={<HourglassEmptyIcon />} className={classes.muted}>
          {approvedWaiting} approved, waiting to deploy
        </Line>
      )}
      <ScheduledLine phase={phase} />
      <Typography variant="caption" className={classes.muted}>
        {gatesText(phase, titles)}
      </Typography>
      {(retryable || onOpenPhase) && (
        <div className={classes.actions}>
          {retryable && failed && (
            <RetryButton
              entityRef={entityRef}
              phase={phase}
              version={failed.version}
              onRetried={onChanged}
            />
          )}
          {onOpenPhase && (
            <Button
              size="small"
              aria-label={`Details of ${phase.title}`}
              onClick={() => onOpenPhase(phase)}
            >
              Details
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * The pipeline at a glance: the phases left to right, each with the version
 * running there, its health (healthy, failed with the provider's reason and
 * a Retry, deploying with progress, queued), lock and freeze, how many
 * promotions wait for approval, and its gates. It wraps on narrow screens
 * instead of making the page scroll sideways.
 */
export function PipelineDrawing(props: PipelineDrawingProps) {
  const { entityRef, phases, onOpenPhase, onChanged } = props;
  const classes = useStyles();
  const titles = new Map(phases.map(p => [p.id, p.title]));
  return (
    <ol className={classes.list} aria-label="Pipeline at a glance">
      {phases.map(phase => (
        <PhaseItem
          key={phase.id}
          entityRef={entityRef}
          phase={phase}
          titles={titles}
          onOpenPhase={onOpenPhase}
          onChanged={onChanged}
        />
      ))}
    </ol>
  );
}
