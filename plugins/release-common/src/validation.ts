import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { semverProblem } from './semver';
import { CreateReleaseRequest, PipelineTemplate } from './types';

/**
 * Problems with a create-release request beyond its JSON shape (which the
 * OpenAPI schema checks): the version must be semver, text must be non-blank.
 * @public
 */
export function validateCreateRelease(req: CreateReleaseRequest): string[] {
  const problems: string[] = [];
  const versionProblem = semverProblem(req.version);
  if (versionProblem) {
    problems.push(versionProblem);
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

/** The form of each part of an entity ref the release API accepts. */
const REF_PART = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/**
 * What is wrong with the parts of an entity ref (kind, namespace, name), as
 * a message for a 400 answer; undefined when each is well formed.
 * @public
 */
export function entityRefPartsProblem(parts: {
  kind: string;
  namespace: string;
  name: string;
}): string | undefined {
  for (const label of ['kind', 'namespace', 'name'] as const) {
    const part = parts[label];
    if (part.length > 63 || !REF_PART.test(part)) {
      const shown = JSON.stringify(part.slice(0, 63)).slice(1, -1);
      return `Invalid entity ${label} '${shown}': use letters, digits, '.', '_' and '-' (at most 63)`;
    }
  }
  return undefined;
}

/**
 * Parses a full entity ref (`kind:namespace/name`) with the same form checks
 * as the API's path parts: the normalised ref, or the problem as a message
 * for a 400 answer. Used by every route and action that takes entity refs.
 * @public
 */
export function parseReleaseEntityRef(
  ref: string,
): { entityRef: string } | { problem: string } {
  const shown = JSON.stringify(String(ref).slice(0, 300)).slice(1, -1);
  let parsed;
  try {
    parsed = parseEntityRef(ref);
  } catch (e) {
    return {
      problem: `Invalid entity ref '${shown}': ${(e as Error).message}`,
    };
  }
  const problem = entityRefPartsProblem(parsed);
  if (problem) {
    return { problem: `Invalid entity ref '${shown}': ${problem}` };
  }
  return { entityRef: stringifyEntityRef(parsed) };
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
