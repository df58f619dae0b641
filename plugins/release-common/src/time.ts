import { ActiveFreeze, FreezeWindow } from './types';

const DURATION =
  /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * Parses an ISO 8601 duration of weeks, days, hours, minutes and seconds
 * (`P1D`, `PT12H`, `P1DT30M`, `P2W`) into milliseconds; undefined when it is
 * not one. Months and years are refused: their length varies.
 * @public
 */
export function parseIsoDuration(duration: string): number | undefined {
  const m = DURATION.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) {
    return undefined;
  }
  const [w, d, h, min, s] = m.slice(1).map(v => (v ? Number(v) : 0));
  return ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
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

const CRON_RANGES: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseCronField(
  field: string,
  [min, max]: [number, number],
): CronField {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) {
      throw new Error(`invalid cron field '${field}'`);
    }
    const from = m[1] === '*' ? min : Number(m[2]);
    let to = from;
    if (m[1] === '*') {
      to = max;
    } else if (m[3] !== undefined) {
      to = Number(m[3]);
    }
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) {
      throw new Error(`cron field '${field}' is out of range ${min}-${max}`);
    }
    for (let v = from; v <= to; v += step) {
      values.add(v);
    }
  }
  return values;
}

/**
 * Parses a five-field cron expression (minute hour day-of-month month
 * day-of-week; `*`, lists, ranges and steps). Throws with a message saying
 * what is wrong.
 * @public
 */
export function parseCron(expression: string): ParsedCron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(
      `cron expression '${expression}' must have 5 fields (minute hour day-of-month month day-of-week)`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((f, i) =>
    parseCronField(f, CRON_RANGES[i]),
  );
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

const formatters = new Map<string, Intl.DateTimeFormat>();

function zonedParts(date: Date, timeZone: string) {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(date)) {
    parts[p.type] = p.value;
  }
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    day: Number(parts.day),
    month: Number(parts.month),
    weekday: weekdays.indexOf(parts.weekday),
  };
}

/**
 * Whether the cron matches the minute `date` falls in (in `timeZone`); when
 * it does not, also how many minutes back the previous candidate is, so a
 * backwards search can skip whole hours and days that cannot match.
 */
function cronMatch(
  cron: ParsedCron,
  date: Date,
  timeZone: string,
): { matches: boolean; skipMinutes: number } {
  const p = zonedParts(date, timeZone);
  const dom = cron.dayOfMonth.has(p.day);
  const dow = cron.dayOfWeek.has(p.weekday);
  // Standard cron: when both day fields are restricted, either may match.
  const dayOk =
    !cron.anyDayOfMonth && !cron.anyDayOfWeek ? dom || dow : dom && dow;
  if (!dayOk || !cron.month.has(p.month)) {
    return { matches: false, skipMinutes: p.hour * 60 + p.minute + 1 };
  }
  if (!cron.hour.has(p.hour)) {
    return { matches: false, skipMinutes: p.minute + 1 };
  }
  return { matches: cron.minute.has(p.minute), skipMinutes: 1 };
}

/** The longest freeze window accepted. @public */
export const MAX_FREEZE_DURATION_MS = 14 * 24 * 3600_000;

/**
 * Checks a freeze window's cron, duration and time zone; returns the problems.
 * @public
 */
export function validateFreezeWindow(window: FreezeWindow): string[] {
  const problems: string[] = [];
  try {
    parseCron(window.cron);
  } catch (e) {
    problems.push((e as Error).message);
  }
  const ms = parseIsoDuration(window.duration);
  if (ms === undefined || ms <= 0 || ms > MAX_FREEZE_DURATION_MS) {
    problems.push(
      `freeze window duration '${window.duration}' must be an ISO 8601 duration between PT1M and P14D`,
    );
  }
  if (window.timezone) {
    try {
      zonedParts(new Date(0), window.timezone);
    } catch {
      problems.push(`unknown time zone '${window.timezone}'`);
    }
  }
  return problems;
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
  let found: ActiveFreeze | undefined;
  const minute = 60_000;
  const start = Math.floor(now.getTime() / minute) * minute;
  for (const window of windows) {
    const cron = parseCron(window.cron);
    const duration = parseIsoDuration(window.duration) ?? 0;
    const timeZone = window.timezone ?? 'UTC';
    // Walk back from now to the earliest start that could still be active,
    // skipping hours and days the cron cannot match.
    for (let t = start; t > now.getTime() - duration; ) {
      const at = new Date(t);
      const match = cronMatch(cron, at, timeZone);
      if (!match.matches) {
        t -= match.skipMinutes * minute;
        continue;
      }
      const endsAt = t + duration;
      if (endsAt > now.getTime()) {
        const candidate = {
          reason: window.reason,
          startedAt: at.toISOString(),
          endsAt: new Date(endsAt).toISOString(),
        };
        if (!found || candidate.endsAt > found.endsAt) {
          found = candidate;
        }
      }
      break;
    }
  }
  return found;
}

/** The next freeze window that starts after `now`. @public */
export interface UpcomingFreeze {
  reason?: string;
  startsAt: string;
  endsAt: string;
}

/**
 * The next freeze window to start after `now`, looking `horizonMs` ahead
 * (default 31 days); undefined when none starts in that time.
 * @public
 */
export function findNextFreeze(
  windows: FreezeWindow[],
  now: Date,
  horizonMs: number = 31 * 24 * 3600_000,
): UpcomingFreeze | undefined {
  let found: UpcomingFreeze | undefined;
  const minute = 60_000;
  const first = (Math.floor(now.getTime() / minute) + 1) * minute;
  for (const window of windows) {
    const cron = parseCron(window.cron);
    const duration = parseIsoDuration(window.duration) ?? 0;
    const timeZone = window.timezone ?? 'UTC';
    for (let t = first; t <= now.getTime() + horizonMs; ) {
      if (found && t >= Date.parse(found.startsAt)) break;
      const p = zonedParts(new Date(t), timeZone);
      const match = cronMatch(cron, new Date(t), timeZone);
      if (match.matches) {
        found = {
          reason: window.reason,
          startsAt: new Date(t).toISOString(),
          endsAt: new Date(t + duration).toISOString(),
        };
        break;
      }
      // Skip forward over whole days or hours the cron cannot match.
      const dayOk =
        !cron.anyDayOfMonth && !cron.anyDayOfWeek
          ? cron.dayOfMonth.has(p.day) || cron.dayOfWeek.has(p.weekday)
          : cron.dayOfMonth.has(p.day) && cron.dayOfWeek.has(p.weekday);
      let skip = 1;
      if (!dayOk || !cron.month.has(p.month))
        skip = 24 * 60 - (p.hour * 60 + p.minute);
      else if (!cron.hour.has(p.hour)) skip = 60 - p.minute;
      t += skip * minute;
    }
  }
  return found;
}
