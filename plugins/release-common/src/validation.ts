import { isValidSemver } from './semver';
import { CreateReleaseRequest, PipelineTemplate } from './types';

/**
 * Problems with a create-release request beyond its JSON shape (which the
 * OpenAPI schema checks): the version must be semver, text must be non-blank.
 * @public
 */
export function validateCreateRelease(req: CreateReleaseRequest): string[] {
  const problems: string[] = [];
  if (!isValidSemver(req.version)) {
    problems.push(
      `version '${req.version}' is not a semantic version (e.g. 1.4.0 or 2.0.0-rc.1)`,
    );
  }
  if (!req.artifact.trim()) {
    problems.push('artifact must not be blank');
  }
  if (
    req.committedAt !== undefined &&
    Number.isNaN(Date.parse(req.committedAt))
  ) {
    problems.push(`committedAt '${req.committedAt}' is not a date-time`);
  }
  return problems;
}

function isIsoDateTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/**
 * Problems with a release plan (planned date per phase) for a pipeline:
 * every key must be a phase of the pipeline and every date a valid ISO 8601
 * date or date-time; `null` (clear) is allowed where `allowNull` says so.
 * @public
 */
export function validateReleasePlan(
  plannedAt: Record<string, string | null>,
  template: PipelineTemplate,
  options: { allowNull?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const phases = new Set(template.phases.map(p => p.id));
  for (const [phase, date] of Object.entries(plannedAt)) {
    if (!phases.has(phase)) {
      problems.push(
        `plannedAt: '${phase}' is not a phase of the pipeline (${[
          ...phases,
        ].join(', ')})`,
      );
    } else if (date === null) {
      if (!options.allowNull) {
        problems.push(`plannedAt.${phase} must be a date`);
      }
    } else if (!isIsoDateTime(date)) {
      problems.push(
        `plannedAt.${phase} '${date}' is not an ISO 8601 date or date-time`,
      );
    }
  }
  return problems;
}

/**
 * Merges a plan update into a plan: dates set, nulls cleared; dates are
 * stored as ISO date-times in UTC.
 * @public
 */
export function mergeReleasePlan(
  current: Record<string, string> | undefined,
  update: Record<string, string | null>,
): Record<string, string> {
  const merged: Record<string, string> = { ...(current ?? {}) };
  for (const [phase, date] of Object.entries(update)) {
    if (date === null) {
      delete merged[phase];
    } else {
      merged[phase] = new Date(date).toISOString();
    }
  }
  return merged;
}

/** How a phase's planned date compares with what happened. @public */
export interface PlanComparison {
  /** The planned date (ISO). */
  plannedAt: string;
  /** When the release succeeded in the phase (ISO), if it did. */
  actualAt?: string;
  /**
   * `on_time` (succeeded by the planned day), `late` (succeeded after it),
   * `overdue` (not succeeded and the planned day is over), `planned`.
   */
  state: 'on_time' | 'late' | 'overdue' | 'planned';
  /** Whole days late (positive) or early (negative), when succeeded. */
  daysLate?: number;
}

/**
 * Compares a phase's planned date with the release's state there. Days are
 * counted between UTC calendar days.
 * @public
 */
export function comparePlan(
  plannedAt: string,
  state: { status: string; updatedAt: string } | undefined,
  now: Date,
): PlanComparison {
  const day = (iso: string | Date) =>
    Math.floor(new Date(iso).getTime() / 86_400_000);
  const planned = day(plannedAt);
  if (state?.status === 'succeeded') {
    const daysLate = day(state.updatedAt) - planned;
    return {
      plannedAt,
      actualAt: state.updatedAt,
      state: daysLate > 0 ? 'late' : 'on_time',
      daysLate,
    };
  }
  return { plannedAt, state: day(now) > planned ? 'overdue' : 'planned' };
}
