import { EnvironmentNaming } from '@release-manager/backstage-plugin-release-node';

/** A phase's `github-actions` settings, validated. */
export interface GithubPhaseSettings {
  owner: string;
  repo: string;
  workflow: string;
  ref: string;
  host: string;
  inputs: Record<string, string>;
  /** The GitHub Environment the phase maps to. */
  environment: string;
  /** Whether the phase configuration is synced to the environment before dispatch. */
  syncEnvironment: boolean;
  naming: EnvironmentNaming;
}

/** Where and as whom the provider calls GitHub. */
export interface GithubTarget {
  settings: GithubPhaseSettings;
  apiBaseUrl: string;
  token: string;
}

/**
 * GitHub could not give a usable answer (5xx, timeout, redirect, malformed
 * body): the deployment's state is `unknown`, never a success.
 */
export class UnknownAnswer extends Error {}

/** A configuration or GitHub error; its message names what is wrong. */
export function fail(message: string): never {
  throw new Error(`github-actions provider: ${message}`);
}

/** HTTP methods the provider uses. */
export type GithubMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Returned instead of an error for a 404 when the caller expects one. */
export const NOT_FOUND = Symbol('not found');

/** A call to the repository's API, relative to `/repos/{owner}/{repo}`. */
export type GithubCall = (
  method: GithubMethod,
  path: string,
  body?: unknown,
  notFound?: typeof NOT_FOUND,
) => Promise<unknown>;
