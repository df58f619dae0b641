import { CronExpression, CronExpressionParser } from 'cron-parser';
import { Duration, IANAZone } from 'luxon';
import { ActiveFreeze, FreezeWindow } from './types';

/**
 * Time rules (freeze and deployment windows, durations) on maintained
 * libraries: `cron-parser` reads cron expressions in a time zone (daylight
 * saving included) and `luxon` reads ISO 8601 durations and zone names.
 * Both run in the browser as well as in Node.
 */

/**
 * Parses an ISO 8601 duration of weeks, days, hours, minutes and seconds
 * (`P1D`, `PT12H`, `P1DT30M`, `P2W`) into milliseconds; undefined when it is
 * not one. Months and years are refused: their length varies. Fractions are
 * refused too.
 * @public
 */
export function parseIsoDuration(duration: string): number | undefined {
  // luxon is lenient with an empty designator (`P`, `PT`, `P1DT`).
  if (duration === 'P' || duration.endsWith('T')) {
    return undefined;
  }
  const parsed = Duration.fromISO(duration);
  if (!parsed.isValid) {
    return undefined;
  }
  const units = parsed.toObject();
  if (units.years || units.quarters || units.months) {
    return undefined;
  }
  const values = Object.values(units) as number[];
  if (values.length === 0 || values.some(v => !Number.isInteger(v))) {
    return undefined;
  }
  return parsed.toMillis();
}

/** A parsed cron field: the set of allowed values. @public */
export type CronField = Set<number>;

/** A parsed five-field cron expression. @public */
export interface ParsedCron {
  minute: CronField;
  hour: CronField;
  dayOfMonth: CronField;
  month: CronField;
  dayOfWeek: CronField;
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

const CRON_FIELD_NAMES = [
  'minute',
  'hour',
  'dayOfMonth',
  'month',
  'dayOfWeek',
] as const;

const CRON_RANGES: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

/**
 * Splits a cron expression into its five fields (the library also accepts
 * a seconds field and nicknames; pipeline config does not).
 */
function cronFields(expression: string): string[] {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(
      `cron expression '${expression}' must have 5 fields (minute hour day-of-month month day-of-week)`,
    );
  }
  return fields;
}

/**
 * Turns the library's error into one naming the field that is wrong: each
 * field is tried alone, the others left at `*`.
 */
function explainCronError(fields: string[], cause: unknown): Error {
  for (let i = 0; i < fields.length; i++) {
    const probe = fields.map((f, j) => (j === i ? f : '*')).join(' ');
    try {
      CronExpressionParser.parse(probe, { strict: false });
    } catch (e) {
      const [min, max] = CRON_RANGES[i];
      return /constraint/i.test((e as Error).message)
        ? new Error(`cron field '${fields[i]}' is out of range ${min}-${max}`)
        : new Error(`invalid cron field '${fields[i]}'`);
    }
  }
  return new Error(`invalid cron expression: ${(cause as Error).message}`);
}

function parseExpression(
  expression: string,
  options: { tz?: string; currentDate?: Date } = {},
): CronExpression {
  const fields = cronFields(expression);
  try {
    return CronExpressionParser.parse(fields.join(' '), {
      ...options,
      strict: false,
    });
  } catch (e) {
    throw explainCronError(fields, e);
  }
}

/**
 * Parses a five-field cron expression (minute hour day-of-month month
 * day-of-week; `*`, lists, ranges and steps). Throws with a message saying
 * what is wrong.
 * @public
 */
export function parseCron(expression: string): ParsedCron {
  const fields = cronFields(expression);
  const parsed = parseExpression(expression).fields;
  const sets = CRON_FIELD_NAMES.map(
    name => new Set<number>(parsed[name].values as number[]),
  );
  const [minute, hour, dayOfMonth, month, dayOfWeek] = sets;
  if (dayOfWeek.has(7)) {
    dayOfWeek.add(0);
  }
  return {
    minute,
    hour,
    dayOfMonth,
    month,
    dayOfWeek,
    anyDayOfMonth: fields[2] === '*',
    anyDayOfWeek: fields[4] === '*',
  };
}

/** A recurring time window: starts on a cron schedule and lasts `duration`. @public */
export interface TimeWindow {
  /** Five-field cron expression for the start of each window. */
  cron: string;
  /** ISO 8601 duration, e.g. `PT12H` or `P2D`. */
  duration: string;
  /** IANA time zone the cron expression is read in; default UTC. */
  timezone?: string;
  /** Shown to users. */
  reason?: string;
}

/** One occurrence of a time window. @public */
export interface WindowOccurrence {
  reason?: string;
  /** ISO time the occurrence starts. */
  startedAt: string;
  /** ISO time the occurrence ends (exclusive). */
  endsAt: string;
}

/** The longest freeze window accepted. @public */
export const MAX_FREEZE_DURATION_MS = 14 * 24 * 3600_000;

/** The longest deployment window accepted. @public */
export const MAX_DEPLOYMENT_WINDOW_DURATION_MS = 7 * 24 * 3600_000;

function validateWindow(
  window: TimeWindow,
  kind: string,
  maxMs: number,
  maxText: string,
): string[] {
  const problems: string[] = [];
  try {
    parseCron(window.cron);
  } catch (e) {
    problems.push((e as Error).message);
  }
  const ms = parseIsoDuration(window.duration);
  if (ms === undefined || ms <= 0 || ms > maxMs) {
    problems.push(
      `${kind} duration '${window.duration}' must be an ISO 8601 duration between PT1M and ${maxText}`,
    );
  }
  if (window.timezone && !IANAZone.isValidZone(window.timezone)) {
    problems.push(`unknown time zone '${window.timezone}'`);
  }
  return problems;
}

/**
 * Checks a freeze window's cron, duration and time zone; returns the problems.
 * @public
 */
export function validateFreezeWindow(window: FreezeWindow): string[] {
  return validateWindow(
    window,
    'freeze window',
    MAX_FREEZE_DURATION_MS,
    'P14D',
  );
}

/**
 * Checks a deployment window's cron, duration and time zone; returns the
 * problems.
 * @public
 */
export function validateDeploymentWindow(window: TimeWindow): string[] {
  return validateWindow(
    window,
    'deployment window',
    MAX_DEPLOYMENT_WINDOW_DURATION_MS,
    'P7D',
  );
}

// Parsed schedules by cron and zone; config holds few distinct ones. The
// cache is bounded so a caller passing ever-new expressions cannot grow it.
const schedules = new Map<string, CronExpression>();
const MAX_CACHED_SCHEDULES = 500;

function windowSchedule(window: TimeWindow, currentDate: Date) {
  const tz = window.timezone ?? 'UTC';
  const key = `${tz}|${window.cron}`;
  let schedule = schedules.get(key);
  if (!schedule) {
    schedule = parseExpression(window.cron, { tz, currentDate });
    if (schedules.size >= MAX_CACHED_SCHEDULES) {
      schedules.clear();
    }
    schedules.set(key, schedule);
  }
  schedule.reset(currentDate);
  return schedule;
}

/**
 * The occurrence of `window` that is under way at `now`, if any: the latest
 * start at or before `now` (one backwards step of the cron library), active
 * while `now` is before its end.
 * @public
 */
export function activeOccurrence(
  window: TimeWindow,
  now: Date,
): WindowOccurrence | undefined {
  const duration = parseIsoDuration(window.duration) ?? 0;
  // The library's prev() is strictly before its current date; a start at
  // exactly `now` counts as started.
  const start = windowSchedule(window, new Date(now.getTime() + 1))
    .prev()
    .getTime();
  const endsAt = start + duration;
  if (endsAt <= now.getTime()) {
    return undefined;
  }
  return {
    reason: window.reason,
    startedAt: new Date(start).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
  };
}

/**
 * The next occurrence of `window` starting after `now`.
 * @public
 */
export function nextOccurrence(
  window: TimeWindow,
  now: Date,
): WindowOccurrence {
  const duration = parseIsoDuration(window.duration) ?? 0;
  const start = windowSchedule(window, now).next().getTime();
  return {
    reason: window.reason,
    startedAt: new Date(start).toISOString(),
    endsAt: new Date(start + duration).toISOString(),
  };
}

/** Of several occurrences, the one ending last. */
function endingLast(
  occurrences: Array<WindowOccurrence | undefined>,
): WindowOccurrence | undefined {
  let found: WindowOccurrence | undefined;
  for (const o of occurrences) {
    if (o && (!found || o.endsAt > found.endsAt)) {
      found = o;
    }
  }
  return found;
}

/**
 * The freeze window active at `now`, if any: a window is active from each
 * minute its cron matches (in its time zone) for its duration. When several
 * are active the one ending last is returned.
 * @public
 */
export function findActiveFreeze(
  windows: FreezeWindow[],
  now: Date,
): ActiveFreeze | undefined {
  return endingLast(windows.map(w => activeOccurrence(w, now)));
}

/**
 * Where a phase stands with its deployment windows at a given time.
 * `restricted: false` means the phase has no windows: it may deploy at any
 * time.
 * @public
 */
export interface DeploymentWindowState {
  restricted: boolean;
  /** Whether a window is open now (always true when unrestricted). */
  open: boolean;
  /** The open window, ending last, when one is open. */
  current?: WindowOccurrence;
  /** The next window to open after now (after the current one, if open). */
  next?: WindowOccurrence;
}

/** The part of a phase the window rules read. @public */
export interface PhaseWithDeploymentWindows {
  id: string;
  title?: string;
  deploymentWindows?: TimeWindow[];
}

/**
 * Whether `phase` may deploy at `now` by its deployment windows, and when
 * the next window opens.
 * @public
 */
export function nextDeploymentWindow(
  phase: PhaseWithDeploymentWindows,
  now: Date,
): DeploymentWindowState {
  const windows = phase.deploymentWindows ?? [];
  if (windows.length === 0) {
    return { restricted: false, open: true };
  }
  const current = endingLast(windows.map(w => activeOccurrence(w, now)));
  // The next opening after the current window (if open), so "next" is a
  // time the phase goes from closed to open or re-opens.
  const after = current ? new Date(current.endsAt) : now;
  let next: WindowOccurrence | undefined;
  for (const w of windows) {
    const candidate = nextOccurrence(w, new Date(after.getTime() - 1));
    if (
      candidate.startedAt >= after.toISOString() &&
      (!next || candidate.startedAt < next.startedAt)
    ) {
      next = candidate;
    }
  }
  return { restricted: true, open: Boolean(current), current, next };
}

/**
 * A deployment outside every deployment window of the phase: the gate
 * violation the lifecycle reports (code `outside_window`), with the time
 * the next window opens.
 * @public
 */
export interface DeploymentWindowViolation {
  code: 'outside_window';
  message: string;
  /** ISO time the next window opens. */
  nextOpensAt?: string;
}

/**
 * The deployment-window gate: undefined when `phase` may deploy at `now`
 * (no windows, or one open), else the violation with the next opening.
 * @public
 */
export function evaluateDeploymentWindow(
  phase: PhaseWithDeploymentWindows,
  now: Date,
): DeploymentWindowViolation | undefined {
  const state = nextDeploymentWindow(phase, now);
  if (state.open) {
    return undefined;
  }
  const name = phase.title ?? phase.id;
  return {
    code: 'outside_window',
    message: state.next
      ? `${name} deploys only inside its deployment windows; the next opens at ${
          state.next.startedAt
        }${state.next.reason ? ` (${state.next.reason})` : ''}`
      : `${name} deploys only inside its deployment windows`,
    nextOpensAt: state.next?.startedAt,
  };
}
