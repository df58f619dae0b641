import { JsonObject, JsonValue } from '@backstage/types';
import {
  DeploymentRequest,
  EnvironmentNaming,
  phaseEnvironment,
  readEnvironmentNaming,
} from '@release-manager/backstage-plugin-release-node';

/** Marks the kustomize patch this provider owns in an Application. */
export const MANAGED_PATCH_ANNOTATION = 'release.backstage.io/managed-patch';

/** Helm parameter names the phase configuration is written to; `false` leaves one out. */
export interface HelmMapping {
  replicas: string | false;
  cpu: string | false;
  memory: string | false;
  /** A list of Kubernetes `EnvVar`s: `<env>[i].name`, `.value` or `.valueFrom.secretKeyRef`. */
  env: string | false;
}

/** The default Helm parameter names (the `helm create` chart's values). */
export const DEFAULT_HELM_MAPPING: HelmMapping = {
  replicas: 'replicaCount',
  cpu: 'resources.requests.cpu',
  memory: 'resources.requests.memory',
  env: 'env',
};

/** The workload a kustomize patch targets. */
export interface KustomizeWorkload {
  kind: string;
  name: string;
  container: string;
}

/** How an `argocd` phase's configuration reaches its Application. */
export interface ArgoCdConfigMapping {
  naming: EnvironmentNaming;
  helm: HelmMapping;
  workload?: KustomizeWorkload;
  /** Name of the Kubernetes Secret holding the phase's secrets, read by the chart. */
  secretName?: string;
}

/** A phase configuration the provider refuses to deploy; the message says why. */
export class ConfigurationError extends Error {}

const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const HELM_NAME = /^[A-Za-z0-9_.\-[\]]{1,200}$/;

/** Reads the mapping settings of an `argocd` phase (throws on bad ones). */
export function readConfigMapping(
  raw: Record<string, unknown>,
): ArgoCdConfigMapping {
  const naming = readEnvironmentNaming(raw.naming);
  const helm = { ...DEFAULT_HELM_MAPPING };
  if (raw.helmValues !== undefined) {
    const given = raw.helmValues;
    if (!given || typeof given !== 'object' || Array.isArray(given)) {
      throw new Error(`phase setting 'helmValues' must be a map`);
    }
    for (const [key, value] of Object.entries(given)) {
      if (!(key in helm)) {
        throw new Error(
          `phase setting 'helmValues.${key}' is unknown; use replicas, cpu, memory or env`,
        );
      }
      if (
        value !== false &&
        (typeof value !== 'string' || !HELM_NAME.test(value))
      ) {
        throw new Error(
          `phase setting 'helmValues.${key}' must be a Helm parameter name or false`,
        );
      }
      (helm as Record<string, string | false>)[key] = value as string | false;
    }
  }
  let workload: KustomizeWorkload | undefined;
  if (raw.workload !== undefined) {
    const w = raw.workload as Record<string, unknown>;
    const kind = w?.kind ?? 'Deployment';
    if (
      !w ||
      typeof w !== 'object' ||
      typeof w.name !== 'string' ||
      !K8S_NAME.test(w.name) ||
      !['Deployment', 'StatefulSet', 'DaemonSet'].includes(String(kind)) ||
      (w.container !== undefined &&
        (typeof w.container !== 'string' || !K8S_NAME.test(w.container)))
    ) {
      throw new Error(
        `phase setting 'workload' must be { name, kind?: Deployment|StatefulSet|DaemonSet, container? } with Kubernetes names`,
      );
    }
    workload = {
      kind: String(kind),
      name: w.name,
      container: (w.container as string | undefined) ?? w.name,
    };
  }
  let secretName: string | undefined;
  if (raw.secretRef !== undefined) {
    const name = (raw.secretRef as { name?: unknown })?.name;
    if (typeof name !== 'string' || !K8S_NAME.test(name)) {
      throw new Error(
        `phase setting 'secretRef.name' must name a Kubernetes Secret`,
      );
    }
    secretName = name;
  }
  return { naming, helm, workload, secretName };
}

/** A Kubernetes `EnvVar` list for the phase: values for variables, references for secrets. */
export function envVars(
  request: DeploymentRequest,
  mapping: ArgoCdConfigMapping,
): JsonObject[] {
  let env;
  try {
    env = phaseEnvironment(request.config, mapping.naming);
  } catch (e) {
    throw new ConfigurationError((e as Error).message);
  }
  const secretNames = Object.keys(env.secrets).sort();
  if (secretNames.length > 0 && !mapping.secretName) {
    throw new ConfigurationError(
      `phase '${request.phase}' has secrets (${secretNames.join(
        ', ',
      )}), and Argo CD would show their values to everyone who can read the Application; set the phase setting 'secretRef.name' to a Kubernetes Secret the chart reads (holding those keys), or remove the secrets`,
    );
  }
  return [
    ...Object.entries(env.variables)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value })),
    ...secretNames.map(name => ({
      name,
      valueFrom: { secretKeyRef: { name: mapping.secretName!, key: name } },
    })),
  ];
}

/** Flattens an `EnvVar` list into Helm parameters under `prefix`. */
function envParameters(prefix: string, env: JsonObject[]): JsonObject[] {
  const out: JsonObject[] = [];
  env.forEach((entry, i) => {
    out.push({
      name: `${prefix}[${i}].name`,
      value: String(entry.name),
      forceString: true,
    });
    if ('value' in entry) {
      out.push({
        name: `${prefix}[${i}].value`,
        value: String(entry.value),
        forceString: true,
      });
    } else {
      const ref = (entry.valueFrom as JsonObject).secretKeyRef as JsonObject;
      out.push(
        {
          name: `${prefix}[${i}].valueFrom.secretKeyRef.name`,
          value: String(ref.name),
          forceString: true,
        },
        {
          name: `${prefix}[${i}].valueFrom.secretKeyRef.key`,
          value: String(ref.key),
          forceString: true,
        },
      );
    }
  });
  return out;
}

/**
 * The Helm parameters the phase configuration sets, and a test for the
 * parameters this provider owns (replaced on every deployment).
 */
export function helmConfigParameters(
  request: DeploymentRequest,
  mapping: ArgoCdConfigMapping,
): { parameters: JsonObject[]; owns: (name: string) => boolean } {
  const { helm } = mapping;
  const sizing = request.config.sizing ?? {};
  const parameters: JsonObject[] = [];
  const scalar = (name: string | false, value: string | number | undefined) => {
    if (name && value !== undefined && value !== '') {
      parameters.push({
        name,
        value: String(value),
        forceString: typeof value === 'string',
      });
    }
  };
  scalar(helm.replicas, sizing.replicas);
  scalar(helm.cpu, sizing.cpu);
  scalar(helm.memory, sizing.memory);
  const env = envVars(request, mapping);
  if (helm.env) {
    parameters.push(...envParameters(helm.env, env));
  }
  // Parameters set now replace their old values; a whole env list replaces
  // the old list. Parameters the phase does not set are left as they are.
  const owned = parameters.map(p => String(p.name));
  const envPrefix = helm.env && env.length > 0 ? `${helm.env}[` : undefined;
  return {
    parameters,
    owns: name =>
      owned.includes(name) || (!!envPrefix && name.startsWith(envPrefix)),
  };
}

/**
 * The kustomize settings the phase configuration sets: a replicas override
 * and one strategic-merge patch of the workload's container (env and
 * resource requests), marked as this provider's.
 */
export function kustomizeConfig(
  request: DeploymentRequest,
  mapping: ArgoCdConfigMapping,
): { replicas?: JsonObject; patch?: JsonObject } {
  const env = envVars(request, mapping);
  const sizing = request.config.sizing ?? {};
  const { workload } = mapping;
  if (!workload) {
    if (env.length > 0 || sizing.replicas !== undefined) {
      throw new ConfigurationError(
        `phase '${request.phase}' has a configuration (variables, database, sizing or secrets) but no 'workload' setting naming the workload to patch; set 'workload: { name, container? }'`,
      );
    }
    return {};
  }
  const resources: JsonObject = {};
  const requests: JsonObject = {};
  if (sizing.cpu) requests.cpu = sizing.cpu;
  if (sizing.memory) requests.memory = sizing.memory;
  if (Object.keys(requests).length) resources.requests = requests;
  const container: JsonObject = { name: workload.container, env };
  if (Object.keys(resources).length) container.resources = resources;
  const patch: JsonObject = {
    apiVersion: 'apps/v1',
    kind: workload.kind,
    metadata: {
      name: workload.name,
      annotations: { [MANAGED_PATCH_ANNOTATION]: 'phase-config' },
    },
    spec: { template: { spec: { containers: [container] } } },
  };
  return {
    replicas:
      sizing.replicas === undefined
        ? undefined
        : { name: workload.name, count: sizing.replicas },
    patch: {
      target: { kind: workload.kind, name: workload.name },
      patch: JSON.stringify(patch),
    },
  };
}

/** Whether a kustomize patch entry is the one this provider wrote. */
export function isManagedPatch(entry: JsonValue): boolean {
  const patch =
    entry && typeof entry === 'object' && !Array.isArray(entry)
      ? entry.patch
      : undefined;
  return typeof patch === 'string' && patch.includes(MANAGED_PATCH_ANNOTATION);
}
