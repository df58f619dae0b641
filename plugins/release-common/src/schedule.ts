import { OverridableGate } from './promotion';
import { activeOccurrence, nextDeploymentWindow, TimeWindow } from './time';
import { FreezeWindow } from './types';

/**
 * What the time rules need to know of a promotion's other gates.
 * @public
 */
export interface WouldDeployGates {
  /**
   * What holds the deployment that time does not lift (a lock, a failed
   * check, a busy phase), in words; empty when nothing does.
   */
  blockedBy: string[];
  /** When the required phase's soak time is over, when that is later than now (ISO). */
  readyAt?: string;
  /** Gates an override lifted: 'freeze' and 'window' are not waited for. */
  overrides?: readonly OverridableGate[];
}

/**
 * When a promotion would deploy by the time rules.
 *
 * - `now`: nothing in time holds it.
 * - `at`: at `at`, the end of a freeze, the opening of a deployment window
 *   or the end of a soak time (`because`).
 * - `scheduled`: at its scheduled time, when the gates will pass then.
 * - `ends`: scheduled for a time the gates will not pass (a freeze, outside
 *   every deployment window): it would end then with `reason`.
 * - `never`: no time outside the freezes and inside a window is found in the
 *   horizon looked at.
 *
 * `blockedBy` repeats what time does not lift: with any, the time is when
 * it would deploy once those are resolved.
 * @public
 */
export interface WouldDeploy {
  kind: 'now' | 'at' | 'scheduled' | 'ends' | 'never';
  /** ISO time; absent for `now` and `never`. */
  at?: string;
  because?: 'freeze' | 'window' | 'soak' | 'schedule';
  /** For `ends` and `never`: why, in words. */
  reason?: string;
  blockedBy: string[];
}

/** How many freeze/window steps are followed before giving up (`never`). */
const MAX_STEPS = 200;
/** How far ahead a time is looked for. */
const HORIZON_MS = 366 * 24 * 3600_000;

function activeFreeze(freeze: FreezeWindow[], at: Date) {
  let found: { endsAt: string; reason?: string } | undefined;
  for (const w of freeze) {
    const o = activeOccurrence(w, at);
    if (o && (!found || o.endsAt > found.endsAt)) found = o;
  }
  return found;
}

/**
 * When a promotion would deploy, from the time rules alone, evaluated with
 * the same window functions as the gates (cron-parser with time zones,
 * luxon durations): a scheduled promotion deploys at its time or ends then
 * (the gates are checked once, at that time); an unscheduled one deploys as
 * soon as no freeze is active, a deployment window (if the phase has any)
 * is open and the soak time is over — possibly at a freeze's end inside a
 * window, or at the next window's opening after it. Pure: `now` is given.
 * @public
 */
export function wouldDeployAt(
  now: Date,
  gates: WouldDeployGates,
  schedule: string | undefined,
  windows: TimeWindow[],
  freeze: FreezeWindow[],
): WouldDeploy {
  const lifted = new Set(gates.overrides ?? []);
  const freezes = lifted.has('freeze') ? [] : freeze;
  const phase = {
    id: 'phase',
    deploymentWindows: lifted.has('window') ? [] : windows,
  };
  const blockedBy = gates.blockedBy;

  if (schedule !== undefined) {
    const at = new Date(Math.max(Date.parse(schedule), now.getTime()));
    const frozen = activeFreeze(freezes, at);
    if (frozen) {
      return {
        kind: 'ends',
        at: at.toISOString(),
        because: 'schedule',
        reason: `frozen until ${frozen.endsAt}${
          frozen.reason ? `: ${frozen.reason}` : ''
        }`,
        blockedBy,
      };
    }
    const state = nextDeploymentWindow(phase, at);
    if (!state.open) {
      return {
        kind: 'ends',
        at: at.toISOString(),
        because: 'schedule',
        reason: `outside its deployment windows${
          state.next ? `; the next opens at ${state.next.startedAt}` : ''
        }`,
        blockedBy,
      };
    }
    return {
      kind: 'scheduled',
      at: at.toISOString(),
      because: 'schedule',
      blockedBy,
    };
  }

  let t = now.getTime();
  let because: WouldDeploy['because'];
  if (gates.readyAt && Date.parse(gates.readyAt) > t) {
    t = Date.parse(gates.readyAt);
    because = 'soak';
  }
  for (let step = 0; step < MAX_STEPS; step++) {
    if (t - now.getTime() > HORIZON_MS) break;
    const at = new Date(t);
    const frozen = activeFreeze(freezes, at);
    if (frozen) {
      t = Date.parse(frozen.endsAt);
      because = 'freeze';
      continue;
    }
    const state = nextDeploymentWindow(phase, at);
    if (!state.open) {
      if (!state.next) break;
      t = Date.parse(state.next.startedAt);
      because = 'window';
      continue;
    }
    return t === now.getTime()
      ? { kind: 'now', blockedBy }
      : { kind: 'at', at: at.toISOString(), because, blockedBy };
  }
  return {
    kind: 'never',
    reason:
      'no time outside its freeze windows and inside its deployment windows was found ahead',
    blockedBy,
  };
}
