import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import EventIcon from '@material-ui/icons/Event';
import {
  comparePlan,
  ReleasePhaseStatus,
} from '@release-manager/backstage-plugin-release-common';

/** A date as people read it, e.g. "3 Dec 2026" (UTC). */
export function formatPlanDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** "planned 3 Dec 2026 · 2 days late" and the like. */
export function planText(
  plannedAt: string,
  state: ReleasePhaseStatus | undefined,
  now = new Date(),
): string {
  const c = comparePlan(plannedAt, state, now);
  const planned = `Planned ${formatPlanDate(plannedAt)}`;
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  switch (c.state) {
    case 'late':
      return `${planned} · done ${formatPlanDate(c.actualAt!)}, ${days(
        c.daysLate!,
      )} late`;
    case 'on_time':
      return `${planned} · done ${formatPlanDate(c.actualAt!)}${
        c.daysLate! < 0 ? `, ${days(-c.daysLate!)} early` : ', on time'
      }`;
    case 'overdue':
      return `${planned} · overdue`;
    default:
      return planned;
  }
}

/**
 * A subtle marker for a matrix cell with a planned date: a small calendar
 * icon (warning colour when late or overdue) whose tooltip says planned vs
 * actual.
 */
export function PlanMarker(props: {
  plannedAt?: string;
  state?: ReleasePhaseStatus;
  phaseTitle: string;
}) {
  if (!props.plannedAt) {
    return null;
  }
  const text = planText(props.plannedAt, props.state);
  const c = comparePlan(props.plannedAt, props.state, new Date());
  const color =
    c.state === 'late' || c.state === 'overdue' ? 'error' : 'action';
  return (
    <Tooltip title={<Typography variant="body2">{text}</Typography>}>
      <EventIcon
        role="img"
        aria-label={`${props.phaseTitle}: ${text}`}
        fontSize="inherit"
        color={color}
        style={{ marginLeft: 4, verticalAlign: 'middle' }}
      />
    </Tooltip>
  );
}
