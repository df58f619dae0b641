import { useNow } from '../../hooks/useNow';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/**
 * Formats `date` relative to `now`, e.g. "5 minutes ago" or "in 2 hours".
 * Anything under ten seconds away is "just now".
 */
export function formatRelativeTime(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 10) {
    return 'just now';
  }
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }
  return format.format(seconds, 'second');
}

/** Props of {@link RelativeTime}. */
export interface RelativeTimeProps {
  /** An ISO 8601 timestamp. */
  value: string;
  /** The reference point; defaults to the current time, which ticks. */
  now?: Date;
}

/**
 * A time shown relative to now ("5 minutes ago", redrawn as time passes), with the absolute local
 * time in the `title` tooltip and the ISO timestamp in `dateTime`.
 */
export function RelativeTime(props: RelativeTimeProps) {
  const { value } = props;
  const clock = useNow();
  const now = props.now ?? clock;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return <span>{value}</span>;
  }
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()}>
      {formatRelativeTime(date, now)}
    </time>
  );
}
