import { isValidSemver, MAX_VERSION_LENGTH } from './semver';
import { CreateReleaseRequest } from './types';

/** Bounds on user-entered text, enforced by the API. @public */
export const RELEASE_LIMITS = {
  version: MAX_VERSION_LENGTH,
  artifact: 512,
  commit: 128,
  notes: 10_000,
  comment: 2_000,
  reason: 2_000,
  pageSize: 100,
} as const;

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
  return problems;
}
