import { isValidSemver } from './semver';
import { CreateReleaseRequest } from './types';

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
