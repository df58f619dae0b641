import { DoraBand } from '@release-manager/backstage-plugin-release-common';

/** A duration in seconds as people read it: minutes, hours or days. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) {
    return '—';
  }
  if (seconds < 3600) {
    return `${Math.max(1, Math.round(seconds / 60))} min`;
  }
  if (seconds < 48 * 3600) {
    return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
  }
  return `${(seconds / 86400).toFixed(1).replace(/\.0$/, '')} days`;
}

/** A rate (0…1) as a percentage. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10} %`;
}

/** Deployments per day as per week (or per day when at least daily). */
export function formatFrequency(perDay: number): string {
  if (perDay >= 1) {
    return `${(Math.round(perDay * 10) / 10).toString()} / day`;
  }
  return `${(Math.round(perDay * 7 * 10) / 10).toString()} / week`;
}

export const BAND_LABEL: Record<DoraBand, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** What each band means per figure (Accelerate State of DevOps 2023). */
export const BAND_THRESHOLDS = {
  deploymentFrequency:
    'Elite: at least daily · High: at least weekly · Medium: at least monthly · Low: less often.',
  leadTime:
    'Elite: under a day · High: up to a week · Medium: up to a month · Low: longer.',
  changeFailureRate:
    'Elite: up to 5 % · High: up to 10 % · Medium: up to 15 % · Low: more.',
  timeToRestore:
    'Elite: under an hour · High: under a day · Medium: up to a week · Low: longer.',
};
