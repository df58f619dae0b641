import { parseEntityRef } from '@backstage/catalog-model';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AccessTimeIcon from '@material-ui/icons/AccessTime';
import {
  DeploymentWindow,
  PipelinePhaseView,
} from '@release-manager/backstage-plugin-release-common';

const useStyles = makeStyles(theme => ({
  marker: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 4,
    whiteSpace: 'nowrap',
    color: theme.palette.info?.main ?? theme.palette.primary.main,
  },
}));

/** A phase's deployment windows as configured, in one line. */
export function describeWindows(windows: DeploymentWindow[]): string {
  return windows
    .map(
      w =>
        `${w.reason ? `${w.reason}: ` : ''}from "${w.cron}" for ${
          w.duration
        } (${w.timezone ?? 'UTC'})`,
    )
    .join('; ');
}

/**
 * A time a promotion deploys at, short: "Tue 08:00" within the coming week,
 * "Tue, Dec 8, 08:00" later (the reader's locale and time zone).
 */
export function shortScheduleTime(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const withinWeek = Math.abs(at.getTime() - now) < 6 * 86_400_000;
  return at.toLocaleString(undefined, {
    weekday: 'short',
    ...(withinWeek ? {} : { month: 'short', day: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The person part of an entity ref: `user:default/alice` → alice. */
function personName(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** The rule a scheduled time follows, for the tooltip. */
export function scheduleRule(
  scheduledAt: string,
  phase?: PipelinePhaseView,
): string {
  const windows = phase?.deploymentWindows;
  const next = windows?.next?.startedAt;
  const atWindow =
    next !== undefined && Date.parse(next) === Date.parse(scheduledAt);
  const configured = windows?.windows.length
    ? ` Deployment windows of ${phase!.title}: ${describeWindows(
        windows.windows,
      )}.`
    : '';
  return `${
    atWindow
      ? 'At the opening of the next deployment window.'
      : 'At a set time.'
  } The gates (approvals, freeze, lock) are checked again then: it deploys or ends with the reason.${configured}`;
}

/** Props of {@link ScheduledMarker}. */
export interface ScheduledMarkerProps {
  scheduledAt: string;
  /** Who scheduled it (the requester), as an entity ref. */
  scheduledBy?: string;
  /** The promotion's phase, for its deployment windows in the tooltip. */
  phase?: PipelinePhaseView;
  /** Text after the time, e.g. "(+1 more)". */
  suffix?: string;
}

/**
 * "Scheduled for Tue 08:00" with a clock icon; hovering (or focusing) tells
 * the exact time, who scheduled it, and the rule: a set time or the next
 * deployment window, with the gates checked again at that time.
 */
export function ScheduledMarker(props: ScheduledMarkerProps) {
  const { scheduledAt, scheduledBy, phase, suffix } = props;
  const classes = useStyles();
  const title = `Scheduled${
    scheduledBy ? ` by ${personName(scheduledBy)}` : ''
  } for ${new Date(scheduledAt).toLocaleString()}. ${scheduleRule(
    scheduledAt,
    phase,
  )}`;
  return (
    <Tooltip title={title}>
      <Typography
        variant="caption"
        component="span"
        className={classes.marker}
        tabIndex={0}
        data-testid="scheduled-marker"
        aria-label={title}
      >
        <AccessTimeIcon fontSize="inherit" aria-hidden />
        Scheduled for {shortScheduleTime(scheduledAt)}
        {suffix ? ` ${suffix}` : ''}
      </Typography>
    </Tooltip>
  );
}
