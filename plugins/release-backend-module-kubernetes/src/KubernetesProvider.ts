import { Config } from '@backstage/config';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  RequestContext,
  ResponseContext,
  V1Container,
  V1Deployment,
  V1EnvVar,
  V1Secret,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DeploymentProvider,
  DeploymentRequest,
  DeploymentResult,
  EnvironmentNaming,
  forEachProviderPhase,
  phaseEnvironment,
  readEnvironmentNaming,
} from '@release-manager/backstage-plugin-release-node';
import fetch from 'node-fetch';
import { KubernetesCluster, readClusters } from './clusters';
import { rolloutStatus } from './rollout';

/** Annotation on the workload (and its pod template) naming the promotion it carries. @public */
export const PROMOTION_ANNOTATION = 'release.backstage.io/promotion-id';
/** Annotation on the workload naming the configuration version it carries. @public */
export const CONFIG_VERSION_ANNOTATION = 'release.backstage.io/config-version';
/** Annotation on the workload listing the env names the provider set. @public */
export const MANAGED_ENV_ANNOTATION = 'release.backstage.io/managed-env';

/** Options of {@link KubernetesProvider.fromConfig}. @public */
export interface KubernetesProviderOptions {
  /** Deadline of each call to the API server, in milliseconds. Default 10 000. */
  requestTimeoutMs?: number;
}

interface KubernetesPhaseSettings {
  cluster: KubernetesCluster;
  namespace: string;
  deployment: string;
  container?: string;
  image?: string;
  secretName: string;
  naming: EnvironmentNaming;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The API server could not give a usable answer: the state is `unknown`. */
class UnknownAnswer extends Error {}

/** The API server refused a call (4xx); the message names the status. */
class RefusedCall extends Error {
  constructor(readonly code: number, message: string) {
    super(`kubernetes provider: ${message}`);
  }
}

/** A phase or cluster configuration problem; its message says what is wrong. */
class ConfigurationError extends Error {}

function fail(message: string): never {
  throw new Error(`kubernetes provider: ${message}`);
}

/**
 * The container image for the release: a tag or a `sha256:` digest is
 * appended to the phase setting `image`; any other artifact must be a full
 * image reference and is used as it is.
 */
export function imageFor(artifact: string, image?: string): string {
  if (image && /^sha256:[a-f0-9]{64}$/.test(artifact)) {
    return `${image}@${artifact}`;
  }
  if (image && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(artifact)) {
    return `${image}:${artifact}`;
  }
  if (
    !/^[A-Za-z0-9][A-Za-z0-9_./:@-]*$/.test(artifact) ||
    !/[/:@]/.test(artifact)
  ) {
    throw new ConfigurationError(
      `the release artifact '${artifact}' is not an image reference; set the phase setting 'image' for tag or digest artifacts`,
    );
  }
  return artifact;
}

/**
 * Deploys straight to a Kubernetes cluster: writes the phase's secrets into
 * a Secret, updates the Deployment's image, replicas, resources and env
 * (with the Secret as `envFrom`), annotates it with the promotion id, and
 * follows the rollout to available or failed.
 *
 * A crash between the update and its acknowledgement is recovered from the
 * annotation: `getStatus` finds the promotion on the workload and answers
 * with its rollout, so nothing is applied twice.
 *
 * @public
 */
export class KubernetesProvider implements DeploymentProvider {
  readonly type = 'kubernetes';

  /**
   * Reads the clusters (see the README) and checks the settings of every
   * `kubernetes` phase in `release.pipelines` at startup.
   */
  static fromConfig(
    config: Config,
    options: KubernetesProviderOptions = {},
  ): KubernetesProvider {
    const provider = new KubernetesProvider(
      readClusters(config),
      options.requestTimeoutMs ??
        config.getOptionalNumber('release.providers.kubernetes.timeoutMs') ??
        DEFAULT_CALL_TIMEOUT_MS,
    );
    forEachProviderPhase(config, 'kubernetes', ({ where, phase, settings }) => {
      try {
        provider.readSettings(settings, phase);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
    });
    return provider;
  }

  private constructor(
    private readonly clusters: Map<string, KubernetesCluster>,
    private readonly timeoutMs: number,
  ) {}

  async deploy(
    request: DeploymentRequest,
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult> {
    const settings = this.readSettings(request.settings, request.phase);
    const base = this.identify(settings, request.promotionId);
    let image: string;
    let env: ReturnType<typeof phaseEnvironment>;
    try {
      image = imageFor(request.release.artifact, settings.image);
      env = phaseEnvironment(request.config, settings.naming);
    } catch (e) {
      return {
        ...base,
        status: 'failed',
        message: `Configuration error: ${(e as Error).message}`,
      };
    }
    const api = this.api(settings, options.signal);
    try {
      const current = await this.readDeployment(api, settings);
      if (annotationOf(current) === request.promotionId) {
        const rollout = rolloutStatus(current);
        return {
          ...base,
          ...rollout,
          message: `Already applied for this promotion; ${rollout.message}`,
        };
      }
      const container = this.containerOf(current, settings);
      await this.writeSecret(api, settings, env.secrets, request.promotionId);
      const updated = withRelease(current, container.name, {
        image,
        variables: env.variables,
        secretName: settings.secretName,
        request,
      });
      const applied = await call(() =>
        api.apps.replaceNamespacedDeployment({
          name: settings.deployment,
          namespace: settings.namespace,
          body: updated,
        }),
      );
      const rollout = rolloutStatus(applied);
      return {
        ...base,
        ...rollout,
        status: rollout.status === 'succeeded' ? 'running' : rollout.status,
        message: `Applied ${image} to ${settings.namespace}/${settings.deployment}; ${rollout.message}`,
      };
    } catch (e) {
      return this.handle(e, base);
    }
  }

  /**
   * The rollout of the promotion when the workload carries its annotation;
   * `null` when it carries none or another promotion's (nothing of this
   * promotion was applied, or a later promotion replaced it).
   */
  async getStatus(
    request: DeploymentRequest & { externalId?: string },
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult | null> {
    const settings = this.readSettings(request.settings, request.phase);
    const base = this.identify(settings, request.promotionId);
    const api = this.api(settings, options.signal);
    try {
      const current = await this.readDeployment(api, settings);
      if (annotationOf(current) !== request.promotionId) {
        return null;
      }
      return { ...base, ...rolloutStatus(current) };
    } catch (e) {
      return this.handle(e, base);
    }
  }

  private handle(e: unknown, base: { externalId: string }): DeploymentResult {
    if (e instanceof UnknownAnswer) {
      return { ...base, status: 'unknown', message: e.message };
    }
    if (e instanceof ConfigurationError) {
      return {
        ...base,
        status: 'failed',
        message: `Configuration error: ${e.message}`,
      };
    }
    throw e;
  }

  private identify(settings: KubernetesPhaseSettings, promotionId: string) {
    return {
      externalId: `${settings.cluster.name}/${settings.namespace}/${settings.deployment}:${promotionId}`,
    };
  }

  /** Validates a phase's settings; throws a clear error when they are wrong. */
  private readSettings(
    raw: Record<string, unknown>,
    phase: string,
  ): KubernetesPhaseSettings {
    const {
      cluster: clusterName,
      namespace,
      deployment,
      container,
      image,
    } = raw;
    if (typeof clusterName !== 'string' || !clusterName) {
      return fail(`phase setting 'cluster' is required`);
    }
    const cluster = this.clusters.get(clusterName);
    if (!cluster) {
      return fail(
        `cluster '${clusterName}' is not configured in release.providers.kubernetes.clusters nor (with a service account token) in kubernetes.clusterLocatorMethods`,
      );
    }
    if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) {
      return fail(`phase setting 'namespace' must be a namespace name`);
    }
    if (typeof deployment !== 'string' || !DNS_SUBDOMAIN.test(deployment)) {
      return fail(`phase setting 'deployment' must be a Deployment name`);
    }
    if (
      container !== undefined &&
      (typeof container !== 'string' || !DNS_LABEL.test(container))
    ) {
      return fail(`phase setting 'container' must be a container name`);
    }
    if (
      image !== undefined &&
      (typeof image !== 'string' ||
        !/^[A-Za-z0-9][A-Za-z0-9_./:-]*$/.test(image))
    ) {
      return fail(`phase setting 'image' must be an image name`);
    }
    const secretName = raw.secretName ?? `${deployment}-release-${phase}`;
    if (typeof secretName !== 'string' || !DNS_SUBDOMAIN.test(secretName)) {
      return fail(`phase setting 'secretName' must be a Secret name`);
    }
    let naming: EnvironmentNaming;
    try {
      naming = readEnvironmentNaming(raw.naming);
    } catch (e) {
      return fail((e as Error).message);
    }
    return {
      cluster,
      namespace,
      deployment,
      container: container as string | undefined,
      image: image as string | undefined,
      secretName,
      naming,
    };
  }

  /** Typed API clients whose every call has the deadline and follows no redirect. */
  private api(settings: KubernetesPhaseSettings, signal: AbortSignal) {
    const { cluster } = settings;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData,
          skipTLSVerify: cluster.skipTLSVerify,
        },
      ],
      users: [{ name: 'release-manager', token: cluster.serviceAccountToken }],
      contexts: [
        { name: 'release', cluster: cluster.name, user: 'release-manager' },
      ],
      currentContext: 'release',
    });
    const deadline = AbortSignal.any([
      signal,
      AbortSignal.timeout(this.timeoutMs),
    ]);
    const httpApi = wrapHttpLibrary({
      async send(req: RequestContext): Promise<ResponseContext> {
        const res = await fetch(req.getUrl(), {
          method: req.getHttpMethod().toString(),
          body: req.getBody() as any,
          headers: req.getHeaders(),
          agent: req.getAgent(),
          signal: deadline as any,
          redirect: 'manual',
        });
        if (res.status >= 300 && res.status < 400) {
          throw new UnknownAnswer(
            `The API server answered with a redirect (HTTP ${res.status}); redirects are not followed`,
          );
        }
        const headers: Record<string, string> = {};
        res.headers.forEach((value, name) => {
          headers[name] = value;
        });
        return new ResponseContext(res.status, headers, {
          text: () => res.text(),
          binary: () => res.buffer(),
        });
      },
    });
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const withOptions = <T extends object>(client: T): T =>
      new Proxy(client, {
        get(target, prop) {
          const value = (target as any)[prop];
          return typeof value === 'function'
            ? (param: unknown) =>
                value.call(target, param, {
                  httpApi,
                  middlewareMergeStrategy: 'append',
                  middleware: [],
                })
            : value;
        },
      });
    return {
      apps: withOptions(apps),
      core: withOptions(core),
      deadline,
    };
  }

  private async readDeployment(
    api: ReturnType<KubernetesProvider['api']>,
    settings: KubernetesPhaseSettings,
  ): Promise<V1Deployment> {
    try {
      return await call(() =>
        api.apps.readNamespacedDeployment({
          name: settings.deployment,
          namespace: settings.namespace,
        }),
      );
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) {
        throw new ConfigurationError(
          `the Deployment ${settings.namespace}/${settings.deployment} does not exist in cluster '${settings.cluster.name}'`,
        );
      }
      throw e;
    }
  }

  private containerOf(
    d: V1Deployment,
    settings: KubernetesPhaseSettings,
  ): V1Container {
    const containers = d.spec?.template?.spec?.containers ?? [];
    const wanted = settings.container ?? settings.deployment;
    const found =
      containers.find(c => c.name === wanted) ??
      (settings.container === undefined && containers.length === 1
        ? containers[0]
        : undefined);
    if (!found) {
      throw new ConfigurationError(
        `the Deployment ${settings.namespace}/${settings.deployment} has no container '${wanted}'; set the phase setting 'container'`,
      );
    }
    return found;
  }

  /** Creates or replaces the phase's Secret so it holds exactly `secrets`. */
  private async writeSecret(
    api: ReturnType<KubernetesProvider['api']>,
    settings: KubernetesPhaseSettings,
    secrets: Record<string, string>,
    promotionId: string,
  ) {
    const { namespace, secretName: name } = settings;
    let existing: V1Secret | undefined;
    try {
      existing = await call(() =>
        api.core.readNamespacedSecret({ name, namespace }),
      );
    } catch (e) {
      if (!(e instanceof ApiException && e.code === 404)) throw e;
    }
    const body: V1Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name,
        namespace,
        resourceVersion: existing?.metadata?.resourceVersion,
        labels: {
          ...existing?.metadata?.labels,
          'app.kubernetes.io/managed-by': 'backstage-release-manager',
        },
        annotations: {
          ...existing?.metadata?.annotations,
          [PROMOTION_ANNOTATION]: promotionId,
        },
      },
      data: Object.fromEntries(
        Object.entries(secrets).map(([k, v]) => [
          k,
          Buffer.from(v, 'utf8').toString('base64'),
        ]),
      ),
    };
    try {
      if (existing) {
        await call(() =>
          api.core.replaceNamespacedSecret({ name, namespace, body }),
        );
      } else {
        await call(() => api.core.createNamespacedSecret({ namespace, body }));
      }
    } catch (e) {
      if (e instanceof UnknownAnswer) throw e;
      // The API server's message about a Secret may quote its data: only
      // the status is passed on.
      const code =
        e instanceof ApiException || e instanceof RefusedCall
          ? e.code
          : undefined;
      fail(
        `writing the Secret ${namespace}/${name} was refused${
          code ? ` (HTTP ${code})` : ''
        }`,
      );
    }
  }
}

function annotationOf(d: V1Deployment): string | undefined {
  return d.metadata?.annotations?.[PROMOTION_ANNOTATION];
}

/**
 * Runs one API call: transient faults (5xx, 408, 409 conflicts, 429,
 * timeouts, network errors, redirects) become UnknownAnswer; other API
 * errors an Error naming the status and the server's message.
 */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UnknownAnswer || e instanceof ConfigurationError) {
      throw e;
    }
    if (e instanceof ApiException) {
      const code = e.code;
      if (code >= 500 || [408, 409, 429].includes(code)) {
        throw new UnknownAnswer(`The API server answered HTTP ${code}`);
      }
      if (code === 404) throw e;
      const message =
        code === 401
          ? ': Unauthorized (check the cluster’s serviceAccountToken)'
          : messageOf(e.body);
      throw new RefusedCall(
        code,
        `the API server answered HTTP ${code}${message}`,
      );
    }
    const err = e as Error;
    if (err?.name === 'AbortError' || /abort/i.test(err?.message ?? '')) {
      throw new UnknownAnswer(
        'No answer from the API server within the deadline',
      );
    }
    if (err?.name === 'FetchError' || err?.name === 'TypeError') {
      throw new UnknownAnswer(`Could not reach the API server: ${err.message}`);
    }
    throw new UnknownAnswer(
      `The API server's answer could not be read: ${err?.message ?? String(e)}`,
    );
  }
}

function messageOf(body: unknown): string {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return '';
    }
  }
  const message =
    parsed && typeof parsed === 'object' && 'message' in parsed
      ? String((parsed as { message: unknown }).message).slice(0, 300)
      : '';
  return message ? `: ${message}` : '';
}

/** A copy of the Deployment with the release, the configuration and the annotations. */
function withRelease(
  d: V1Deployment,
  containerName: string,
  change: {
    image: string;
    variables: Record<string, string>;
    secretName: string;
    request: DeploymentRequest;
  },
): V1Deployment {
  const { request } = change;
  const updated = structuredClone(d);
  const meta = (updated.metadata ??= {});
  const previous = (meta.annotations?.[MANAGED_ENV_ANNOTATION] ?? '')
    .split(',')
    .filter(Boolean);
  const names = Object.keys(change.variables).sort();
  meta.annotations = {
    ...meta.annotations,
    [PROMOTION_ANNOTATION]: request.promotionId,
    [MANAGED_ENV_ANNOTATION]: names.join(','),
    ...(request.configVersion === undefined
      ? {}
      : { [CONFIG_VERSION_ANNOTATION]: String(request.configVersion) }),
  };
  const spec = updated.spec!;
  const sizing = request.config.sizing ?? {};
  if (sizing.replicas !== undefined) {
    spec.replicas = sizing.replicas;
  }
  const template = spec.template;
  template.metadata = {
    ...template.metadata,
    annotations: {
      ...template.metadata?.annotations,
      // A new pod template per promotion: pods restart and read the Secret.
      [PROMOTION_ANNOTATION]: request.promotionId,
    },
  };
  const container = template.spec!.containers.find(
    c => c.name === containerName,
  )!;
  container.image = change.image;
  const kept: V1EnvVar[] = (container.env ?? []).filter(
    e => !previous.includes(e.name) && !(e.name in change.variables),
  );
  container.env = [
    ...kept,
    ...names.map(name => ({ name, value: change.variables[name] })),
  ];
  const envFrom = container.envFrom ?? [];
  if (!envFrom.some(e => e.secretRef?.name === change.secretName)) {
    envFrom.push({ secretRef: { name: change.secretName } });
  }
  container.envFrom = envFrom;
  if (sizing.cpu || sizing.memory) {
    container.resources = {
      ...container.resources,
      requests: {
        ...container.resources?.requests,
        ...(sizing.cpu ? { cpu: sizing.cpu } : {}),
        ...(sizing.memory ? { memory: sizing.memory } : {}),
      },
    };
  }
  return updated;
}
