import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { semverProblem } from './semver';
import { CreateReleaseRequest } from './types';

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
