import {
  CONFIG_NAME_PATTERN,
  PhaseConfiguration,
} from '@release-manager/backstage-plugin-release-common';

/**
 * The environment variable names a phase configuration's database and
 * sizing fields are given. Every provider that deploys the configuration
 * uses this one mapping; phases may rename any of the names.
 * @public
 */
export interface EnvironmentNaming {
  database: {
    engine: string;
    host: string;
    port: string;
    name: string;
    user: string;
    /** Receives the value of the secret `database.passwordSecret` names. */
    password: string;
  };
  sizing: { replicas: string; cpu: string; memory: string };
}

/** The default names: `DB_HOST`, `REPLICAS`, `CPU` and so on. @public */
export const DEFAULT_ENVIRONMENT_NAMING: EnvironmentNaming = {
  database: {
    engine: 'DB_ENGINE',
    host: 'DB_HOST',
    port: 'DB_PORT',
    name: 'DB_NAME',
    user: 'DB_USER',
    password: 'DB_PASSWORD',
  },
  sizing: { replicas: 'REPLICAS', cpu: 'CPU', memory: 'MEMORY' },
};

/**
 * A phase configuration as environment variables: what a deployment gets.
 * @public
 */
export interface PhaseEnvironment {
  /** Plain values: the phase's variables, its database fields and its sizing. */
  variables: Record<string, string>;
  /**
   * Secret values: the phase's secrets under their own names, and the
   * database password under the database password name.
   */
  secrets: Record<string, string>;
}

/**
 * Reads a phase's `naming` setting (overrides of the default names, e.g.
 * `{ database: { host: DATABASE_HOST } }`); throws a clear error when a name
 * is not a valid environment variable name or a key is unknown.
 * @public
 */
export function readEnvironmentNaming(raw: unknown): EnvironmentNaming {
  if (raw === undefined || raw === null) {
    return DEFAULT_ENVIRONMENT_NAMING;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`phase setting 'naming' must be a map`);
  }
  const out = structuredClone(DEFAULT_ENVIRONMENT_NAMING);
  for (const [group, names] of Object.entries(raw)) {
    if (group !== 'database' && group !== 'sizing') {
      throw new Error(
        `phase setting 'naming.${group}' is unknown; use 'database' or 'sizing'`,
      );
    }
    if (!names || typeof names !== 'object' || Array.isArray(names)) {
      throw new Error(`phase setting 'naming.${group}' must be a map`);
    }
    const target = out[group] as Record<string, string>;
    for (const [field, name] of Object.entries(names)) {
      if (!(field in target)) {
        throw new Error(
          `phase setting 'naming.${group}.${field}' is unknown; use one of ${Object.keys(
            target,
          ).join(', ')}`,
        );
      }
      if (typeof name !== 'string' || !CONFIG_NAME_PATTERN.test(name)) {
        throw new Error(
          `phase setting 'naming.${group}.${field}' must be an environment variable name matching ${CONFIG_NAME_PATTERN}`,
        );
      }
      target[field] = name;
    }
  }
  return out;
}

/**
 * Maps a phase configuration and its decrypted secrets to environment
 * variables, by one documented rule:
 *
 * - `variables.X` → variable `X`;
 * - `database.{engine,host,port,name,user}` → `DB_ENGINE`, `DB_HOST`,
 *   `DB_PORT`, `DB_NAME`, `DB_USER` (per `naming`);
 * - `sizing.{replicas,cpu,memory}` → `REPLICAS`, `CPU`, `MEMORY`;
 * - secret `S` → secret `S`; the secret `database.passwordSecret` names is
 *   also given as `DB_PASSWORD`.
 *
 * A name given twice (a variable named like a derived name, or a variable
 * and a secret with one name) is a configuration error: nothing is silently
 * overwritten.
 * @public
 */
export function phaseEnvironment(
  config: PhaseConfiguration & { secrets?: Record<string, string> },
  naming: EnvironmentNaming = DEFAULT_ENVIRONMENT_NAMING,
): PhaseEnvironment {
  const variables: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const origin = new Map<string, string>();
  const put = (
    target: Record<string, string>,
    name: string,
    value: string,
    from: string,
  ) => {
    const first = origin.get(name);
    if (first !== undefined) {
      throw new Error(
        `the phase configuration gives the environment variable ${name} twice (${first} and ${from}); rename one, or set 'naming'`,
      );
    }
    origin.set(name, from);
    target[name] = value;
  };
  for (const [name, value] of Object.entries(config.variables ?? {})) {
    put(variables, name, value, `variables.${name}`);
  }
  const db = config.database ?? {};
  for (const field of ['engine', 'host', 'port', 'name', 'user'] as const) {
    const value = db[field];
    if (value !== undefined && value !== null && value !== '') {
      put(
        variables,
        naming.database[field],
        String(value),
        `database.${field}`,
      );
    }
  }
  const sizing = config.sizing ?? {};
  for (const field of ['replicas', 'cpu', 'memory'] as const) {
    const value = sizing[field];
    if (value !== undefined && value !== null && value !== '') {
      put(variables, naming.sizing[field], String(value), `sizing.${field}`);
    }
  }
  const given = config.secrets ?? {};
  for (const [name, value] of Object.entries(given)) {
    put(secrets, name, value, `secrets.${name}`);
  }
  if (db.passwordSecret) {
    const value = given[db.passwordSecret];
    if (value === undefined) {
      throw new Error(
        `database.passwordSecret names the secret ${db.passwordSecret}, which is not set in this phase`,
      );
    }
    if (naming.database.password !== db.passwordSecret) {
      put(secrets, naming.database.password, value, 'database.passwordSecret');
    }
  }
  return { variables, secrets };
}
