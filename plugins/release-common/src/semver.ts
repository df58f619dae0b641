/*
 * Semantic versions (https://semver.org) as release versions. Parsing and
 * ordering come from the `semver` package (what npm and Backstage use; it
 * runs in the browser too); this module only adds the project's policy on
 * top:
 *
 * - the version is written exactly as semver.org spells it: no leading `v`
 *   or `=`, no surrounding spaces (the `semver` package accepts those),
 * - it is at most {@link MAX_VERSION_LENGTH} characters long,
 * - build metadata (`+build.7`) is allowed, and ignored for precedence:
 *   versions that differ only in build metadata are the same release
 *   ({@link versionKey}).
 */
import parse from 'semver/functions/parse';
import compare from 'semver/functions/compare';

/** The longest version string accepted. @public */
export const MAX_VERSION_LENGTH = 128;

/**
 * A parsed semantic version.
 * @public
 */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: Array<string | number>;
  build: string[];
}

/**
 * Versions parsed before (null: not a semantic version). Sorting a page of
 * releases compares each version many times; the parsed objects are only
 * read, never changed. Bounded: emptied when full.
 */
const PARSED = new Map<string, ReturnType<typeof parse>>();
const PARSED_MAX = 20_000;

function parseStrict(version: string) {
  if (typeof version !== 'string' || version.length > MAX_VERSION_LENGTH) {
    return undefined;
  }
  const known = PARSED.get(version);
  if (known !== undefined) {
    return known ?? undefined;
  }
  const parsed = parse(version);
  // The package accepts `v1.0.0`, `=1.0.0` and spaces around; the project
  // wants the version exactly as semver.org writes it.
  const canonical =
    parsed &&
    (parsed.build.length
      ? `${parsed.version}+${parsed.build.join('.')}`
      : parsed.version);
  const result = parsed && canonical === version ? parsed : null;
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(version, result);
  return result ?? undefined;
}

/**
 * Parses a semantic version such as `1.4.0-rc.1+build.7`; returns undefined
 * when the string is not one. A leading `v` is not accepted.
 * @public
 */
export function parseSemver(version: string): SemVer | undefined {
  const parsed = parseStrict(version);
  if (!parsed) {
    return undefined;
  }
  return {
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: [...parsed.prerelease],
    build: [...parsed.build],
  };
}

/** True when the string is a semantic version. @public */
export function isValidSemver(version: string): boolean {
  return parseStrict(version) !== undefined;
}

/**
 * What is wrong with a version, as a message for a 400 answer; undefined
 * when it is a semantic version the project accepts.
 * @public
 */
export function semverProblem(version: unknown): string | undefined {
  if (typeof version !== 'string') {
    return 'version must be a string';
  }
  if (isValidSemver(version)) {
    return undefined;
  }
  // Echo a bounded, printable form: the input may hold control characters.
  const shown = JSON.stringify(version.slice(0, 40)).slice(1, -1);
  const more = version.length > 40 ? '…' : '';
  if (version.length > MAX_VERSION_LENGTH) {
    return `version '${shown}${more}' is longer than ${MAX_VERSION_LENGTH} characters`;
  }
  if (/^[vV=]/.test(version) && isValidSemver(version.slice(1))) {
    return `version '${shown}' is not a semantic version: write it without the leading '${
      version[0]
    }' (${version.slice(1)})`;
  }
  return `version '${shown}${more}' is not a semantic version (e.g. 1.4.0, 2.0.0-rc.1 or 1.4.0+build.7)`;
}

/**
 * The release identity of a version: the version without its build
 * metadata. Versions that differ only in build metadata have the same
 * precedence (semver.org §10) and are the same release, so the database
 * keeps this key unique per entity. Throws when it is not a semantic
 * version.
 * @public
 */
export function versionKey(version: string): string {
  const parsed = parseStrict(version);
  if (!parsed) {
    throw new TypeError(`Not a semantic version: ${version}`);
  }
  return parsed.version;
}

/**
 * Orders two semantic versions by precedence: negative when a \< b, positive
 * when a \> b, 0 when equal in precedence (build metadata is ignored).
 * Throws when either is not a semantic version.
 * @public
 */
export function compareSemver(a: string, b: string): number {
  const pa = parseStrict(a);
  const pb = parseStrict(b);
  if (!pa || !pb) {
    throw new TypeError(`Not a semantic version: ${!pa ? a : b}`);
  }
  return compare(pa, pb);
}
