import {
  DeploymentRequest,
  phaseEnvironment,
} from '@release-manager/backstage-plugin-release-node';
import sodium from 'libsodium-wrappers';
import {
  fail,
  GithubCall,
  GithubPhaseSettings,
  NOT_FOUND,
  UnknownAnswer,
} from './github';

/**
 * The environment variable in which the provider keeps the names it manages
 * in the environment (`{"variables": [...], "secrets": [...]}`), so that a
 * name removed from the phase configuration is removed from the environment
 * on the next deployment, and names set by hand are left alone.
 */
export const MANAGED_NAMES_VARIABLE = 'RELEASE_MANAGER_NAMES';

interface ManagedNames {
  variables: string[];
  secrets: string[];
}

function readManaged(body: unknown): ManagedNames {
  const value =
    body && typeof body === 'object' && 'value' in body
      ? String((body as { value: unknown }).value)
      : '';
  try {
    const parsed = JSON.parse(value);
    const list = (v: unknown) =>
      Array.isArray(v)
        ? v.filter((n): n is string => typeof n === 'string')
        : [];
    return { variables: list(parsed.variables), secrets: list(parsed.secrets) };
  } catch {
    return { variables: [], secrets: [] };
  }
}

/** Encrypts a value for GitHub: a libsodium sealed box to the environment's public key. */
export async function sealForGithub(
  value: string,
  publicKeyBase64: string,
): Promise<string> {
  await sodium.ready;
  const key = sodium.from_base64(
    publicKeyBase64,
    sodium.base64_variants.ORIGINAL,
  );
  return sodium.to_base64(
    sodium.crypto_box_seal(sodium.from_string(value), key),
    sodium.base64_variants.ORIGINAL,
  );
}

/**
 * Syncs a phase configuration to the phase's GitHub Environment: the mapped
 * variables (variables, database fields, sizing) as environment variables,
 * the secrets as environment secrets sealed with the environment's public
 * key; names this provider set before and the configuration no longer has
 * are deleted. The environment must exist.
 */
export async function syncEnvironment(
  call: GithubCall,
  settings: GithubPhaseSettings,
  config: DeploymentRequest['config'],
): Promise<void> {
  let mapped;
  try {
    mapped = phaseEnvironment(config, settings.naming);
  } catch (e) {
    fail((e as Error).message);
  }
  for (const name of [
    ...Object.keys(mapped.variables),
    ...Object.keys(mapped.secrets),
  ]) {
    if (/^GITHUB_/i.test(name) || name === MANAGED_NAMES_VARIABLE) {
      fail(
        `the name ${name} cannot be used in a GitHub Environment (GITHUB_ names and ${MANAGED_NAMES_VARIABLE} are reserved)`,
      );
    }
  }
  const env = `/environments/${encodeURIComponent(settings.environment)}`;
  const exists = await call('GET', env, undefined, NOT_FOUND);
  if (exists === NOT_FOUND) {
    fail(
      `the GitHub Environment '${settings.environment}' does not exist in ${settings.owner}/${settings.repo}; create it (Settings → Environments) or set the phase setting 'environment'`,
    );
  }
  const previous = readManaged(
    await call(
      'GET',
      `${env}/variables/${MANAGED_NAMES_VARIABLE}`,
      undefined,
      NOT_FOUND,
    ),
  );
  const upsert = async (name: string, value: string) => {
    const updated = await call(
      'PATCH',
      `${env}/variables/${encodeURIComponent(name)}`,
      { name, value },
      NOT_FOUND,
    );
    if (updated === NOT_FOUND) {
      await call('POST', `${env}/variables`, { name, value });
    }
  };
  for (const [name, value] of Object.entries(mapped.variables)) {
    await upsert(name, value);
  }
  const secretNames = Object.keys(mapped.secrets);
  if (secretNames.length > 0) {
    const key = await call('GET', `${env}/secrets/public-key`);
    const { key_id: keyId, key: publicKey } = (key ?? {}) as {
      key_id?: unknown;
      key?: unknown;
    };
    if (typeof keyId !== 'string' || typeof publicKey !== 'string') {
      throw new UnknownAnswer(
        'GitHub answered with a malformed environment public key',
      );
    }
    for (const name of secretNames) {
      let encrypted: string;
      try {
        encrypted = await sealForGithub(mapped.secrets[name], publicKey);
      } catch {
        throw new UnknownAnswer(
          'GitHub answered with an environment public key that is not a valid key',
        );
      }
      await call('PUT', `${env}/secrets/${encodeURIComponent(name)}`, {
        encrypted_value: encrypted,
        key_id: keyId,
      });
    }
  }
  for (const name of previous.variables) {
    if (!(name in mapped.variables)) {
      await call(
        'DELETE',
        `${env}/variables/${encodeURIComponent(name)}`,
        undefined,
        NOT_FOUND,
      );
    }
  }
  for (const name of previous.secrets) {
    if (!(name in mapped.secrets)) {
      await call(
        'DELETE',
        `${env}/secrets/${encodeURIComponent(name)}`,
        undefined,
        NOT_FOUND,
      );
    }
  }
  await upsert(
    MANAGED_NAMES_VARIABLE,
    JSON.stringify({
      variables: Object.keys(mapped.variables).sort(),
      secrets: secretNames.sort(),
    }),
  );
}
