import {
  PipelinePhaseView,
  Promotion,
} from '@release-manager/backstage-plugin-release-common';
import {
  PhaseActionAllowance,
  PhaseActions,
  PipelinePhaseWithActions,
} from '../../api';

/**
 * What the API says the signed-in user may do in `phase`. A backend that
 * does not send `actions` allows everything here; the server still decides
 * when the user submits.
 */
export function phaseAction(
  phase: PipelinePhaseView,
  action: keyof PhaseActions,
): PhaseActionAllowance {
  const allowance = (phase as PipelinePhaseWithActions).actions?.[action];
  return allowance ?? { allowed: true };
}

/** The reason to show on a disabled button for `action`, if it is not allowed. */
export function phaseActionBlocker(
  phase: PipelinePhaseView,
  action: keyof PhaseActions,
  fallback: string,
): string | undefined {
  const { allowed, reason } = phaseAction(phase, action);
  return allowed ? undefined : reason || fallback;
}

/** How a phase is doing, in one word for the drawing. */
export type PhaseHealth =
  | 'deploying'
  | 'queued'
  | 'failed'
  | 'succeeded'
  | 'idle';

/** The health of a phase: what runs, or how the last attempt ended. */
export function phaseHealth(phase: PipelinePhaseView): PhaseHealth {
  if (phase.active?.status === 'deploying') return 'deploying';
  if (phase.active) return 'queued';
  if (phase.lastOutcome?.status === 'failed') return 'failed';
  if (phase.current) return 'succeeded';
  return 'idle';
}

/**
 * The message the provider left on a failed promotion: its last progress
 * message, e.g. "Simulated failure: health checks of 1.2.0 did not pass".
 */
export function failureReason(promotion: Promotion): string | undefined {
  if (promotion.status !== 'failed') return undefined;
  return promotion.progressMessage?.trim() || undefined;
}
