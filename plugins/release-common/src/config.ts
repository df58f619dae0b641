import { PhaseConfiguration, PhaseDatabase, PhaseSizing } from './types';

/** Environment variable and secret names. @public */
export const CONFIG_NAME_PATTERN = /^[A-Z_][A-Z0-9_]{0,127}$/;

/** Bounds on phase configuration. @public */
export const CONFIG_LIMITS = {
  variables: 200,
  variableValue: 4096,
  secrets: 100,
  secretValue: 16_384,
  replicas: 100,
} as const;

const CPU = /^(\d{1,4}m|\d{1,3}(\.\d{1,3})?)$/;
const MEMORY = /^\d{1,6}(Ki|Mi|Gi|Ti)$/;

/**
 * Problems with a phase configuration beyond its JSON shape: variable
 * names, sizes and bounds. An empty list means it is acceptable.
 * @public
 */
export function validatePhaseConfiguration(
  config: PhaseConfiguration,
): string[] {
  const problems: string[] = [];
  const names = Object.keys(config.variables ?? {});
  if (names.length > CONFIG_LIMITS.variables) {
    problems.push(`at most ${CONFIG_LIMITS.variables} variables are allowed`);
  }
  for (const name of names) {
    if (!CONFIG_NAME_PATTERN.test(name)) {
      problems.push(
        `variable name '${name}' must match ${CONFIG_NAME_PATTERN}`,
      );
    }
    const value = config.variables[name];
    if (
      typeof value !== 'string' ||
      value.length > CONFIG_LIMITS.variableValue
    ) {
      problems.push(
        `variable '${name}' must be a string of at most ${CONFIG_LIMITS.variableValue} characters`,
      );
    }
  }
  const s = config.sizing;
  if (
    s?.replicas !== undefined &&
    (!Number.isInteger(s.replicas) ||
      s.replicas < 0 ||
      s.replicas > CONFIG_LIMITS.replicas)
  ) {
    problems.push(
      `sizing.replicas must be a whole number from 0 to ${CONFIG_LIMITS.replicas}`,
    );
  }
  if (s?.cpu !== undefined && !CPU.test(s.cpu)) {
    problems.push(`sizing.cpu '${s.cpu}' must look like 500m or 2`);
  }
  if (s?.memory !== undefined && !MEMORY.test(s.memory)) {
    problems.push(`sizing.memory '${s.memory}' must look like 512Mi or 2Gi`);
  }
  const d = config.database;
  if (
    d?.port !== undefined &&
    (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535)
  ) {
    problems.push('database.port must be from 1 to 65535');
  }
  if (
    d?.passwordSecret !== undefined &&
    !CONFIG_NAME_PATTERN.test(d.passwordSecret)
  ) {
    problems.push(
      `database.passwordSecret '${d.passwordSecret}' must name a secret (${CONFIG_NAME_PATTERN})`,
    );
  }
  return problems;
}

/** One changed value. @public */
export interface ValueChange<T> {
  key: string;
  from?: T;
  to?: T;
}

/** What differs between two maps: added, removed and changed keys. @public */
export interface MapDiff<T> {
  added: Array<ValueChange<T>>;
  removed: Array<ValueChange<T>>;
  changed: Array<ValueChange<T>>;
}

/** Differences between two key → value maps, keys sorted. @public */
export function diffMaps<T>(
  from: Record<string, T | undefined>,
  to: Record<string, T | undefined>,
): MapDiff<T> {
  const diff: MapDiff<T> = { added: [], removed: [], changed: [] };
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  for (const key of keys) {
    const a = from[key];
    const b = to[key];
    if (a === undefined && b !== undefined) diff.added.push({ key, to: b });
    else if (a !== undefined && b === undefined)
      diff.removed.push({ key, from: a });
    else if (a !== undefined && b !== undefined && a !== b)
      diff.changed.push({ key, from: a, to: b });
  }
  return diff;
}

/** A phase's configuration as compared: secrets by fingerprint only. @public */
export interface ComparableConfiguration extends PhaseConfiguration {
  secrets: Record<string, string>;
}

/** What differs between two phases' configurations. @public */
export interface ConfigurationDiff {
  variables: MapDiff<string>;
  database: MapDiff<string | number>;
  sizing: MapDiff<string | number>;
  /** Values are fingerprints, never secret values. */
  secrets: MapDiff<string>;
}

function flat<T extends object>(
  o: T | undefined,
): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(o ?? {}).filter(([, v]) => v !== undefined),
  ) as Record<string, string | number>;
}

/**
 * What changes between the configuration of phase `from` and phase `to`:
 * variables, database fields, sizing, and secrets compared by fingerprint.
 * @public
 */
export function diffConfigurations(
  from: ComparableConfiguration,
  to: ComparableConfiguration,
): ConfigurationDiff {
  return {
    variables: diffMaps(from.variables ?? {}, to.variables ?? {}),
    database: diffMaps(
      flat<PhaseDatabase>(from.database),
      flat<PhaseDatabase>(to.database),
    ),
    sizing: diffMaps(
      flat<PhaseSizing>(from.sizing),
      flat<PhaseSizing>(to.sizing),
    ),
    secrets: diffMaps(from.secrets, to.secrets),
  };
}
