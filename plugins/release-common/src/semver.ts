/*
 * Semantic versions (https://semver.org) as release versions. Pure functions,
 * no dependencies, so the same rules run in the browser and in the backend.
 */

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

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
 * Parses a semantic version such as `1.4.0-rc.1+build.7`; returns undefined
 * when the string is not one. A leading `v` is not accepted.
 * @public
 */
export function parseSemver(version: string): SemVer | undefined {
  if (typeof version !== 'string' || version.length > MAX_VERSION_LENGTH) {
    return undefined;
  }
  const m = SEMVER.exec(version);
  if (!m) {
    return undefined;
  }
  const nums = [m[1], m[2], m[3]].map(Number);
  if (nums.some(n => !Number.isSafeInteger(n))) {
    return undefined;
  }
  return {
    major: nums[0],
    minor: nums[1],
    patch: nums[2],
    prerelease: m[4]
      ? m[4].split('.').map(p => (/^\d+$/.test(p) ? Number(p) : p))
      : [],
    build: m[5] ? m[5].split('.') : [],
  };
}

/** True when the string is a semantic version. @public */
export function isValidSemver(version: string): boolean {
  return parseSemver(version) !== undefined;
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a === 'number') {
    return -1;
  }
  if (typeof b === 'number') {
    return 1;
  }
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}

/**
 * Orders two semantic versions by precedence: negative when a \< b, positive
 * when a \> b, 0 when equal in precedence (build metadata is ignored).
 * Throws when either is not a semantic version.
 * @public
 */
export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) {
    throw new TypeError(`Not a semantic version: ${!pa ? a : b}`);
  }
  const core =
    pa.major - pb.major || pa.minor - pb.minor || pa.patch - pb.patch;
  if (core !== 0) {
    return Math.sign(core);
  }
  if (!pa.prerelease.length || !pb.prerelease.length) {
    return Math.sign(pb.prerelease.length - pa.prerelease.length);
  }
  const n = Math.max(pa.prerelease.length, pb.prerelease.length);
  for (let i = 0; i < n; i++) {
    if (pa.prerelease[i] === undefined) {
      return -1;
    }
    if (pb.prerelease[i] === undefined) {
      return 1;
    }
    const c = compareIdentifiers(pa.prerelease[i], pb.prerelease[i]);
    if (c !== 0) {
      return Math.sign(c);
    }
  }
  return 0;
}
