import { Config } from '@backstage/config';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DeploymentProvider,
  DeploymentRequest,
  DeploymentResult,
  DeploymentStatus,
  fetchWithDeadline,
  forEachProviderPhase,
  parseJsonOrUndefined,
  ProviderCallError,
  ProviderHttpResponse,
} from '@release-manager/backstage-plugin-release-node';
import {
  ArgoCdConfigMapping,
  ConfigurationError,
  helmConfigParameters,
  isManagedPatch,
  kustomizeConfig,
  readConfigMapping,
} from './configMapping';

/**
 * Annotation on the Argo CD Application naming the promotion whose release
 * its spec carries; also the name of the info attached to our sync operation.
 * @public
 */
export const PROMOTION_ANNOTATION = 'release.backstage.io/promotion-id';

/** Annotation on the Application naming the configuration version it carries. @public */
export const CONFIG_VERSION_ANNOTATION = 'release.backstage.io/config-version';

/** Options of {@link ArgoCdProvider.fromConfig}. @public */
export interface ArgoCdProviderOptions {
  /** Deadline of each HTTP call to Argo CD, in milliseconds. Default 10 000. */
  requestTimeoutMs?: number;
}

interface ArgoCdInstance {
  name: string;
  url: string;
  token: string;
}

type ArgoCdChange =
  | { kind: 'image'; image: string }
  | { kind: 'helmParameter'; name: string };

interface ArgoCdPhaseSettings {
  instance: ArgoCdInstance;
  application: string;
  change: ArgoCdChange;
  mapping: ArgoCdConfigMapping;
}

/** What a deployment writes into the Application besides the artifact. */
type ConfigChange =
  | { kind: 'helm'; parameters: JsonObject[]; owns: (name: string) => boolean }
  | { kind: 'kustomize'; replicas?: JsonObject; patch?: JsonObject };

/**
 * Argo CD could not give a usable answer (5xx, timeout, redirect, malformed
 * body, concurrent operation): the state is `unknown`, never a success.
 */
class UnknownAnswer extends Error {}

function fail(message: string): never {
  throw new Error(`argocd provider: ${message}`);
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? value
    : undefined;
}

function asString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function readInstanceUrl(raw: string, name: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`instance '${name}' has an invalid url`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    return fail(
      `instance '${name}' url must be a plain http(s) URL without credentials, query or fragment`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** Reads `release.providers.argocd.instances`. */
function readInstances(config: Config): Map<string, ArgoCdInstance> {
  const instances = new Map<string, ArgoCdInstance>();
  for (const c of config.getOptionalConfigArray(
    'release.providers.argocd.instances',
  ) ?? []) {
    const name = c.getString('name');
    if (instances.has(name)) {
      fail(`instance '${name}' is configured twice`);
    }
    instances.set(name, {
      name,
      url: readInstanceUrl(c.getString('url'), name),
      token: c.getString('token'),
    });
  }
  return instances;
}

/** The image name of a `spec.source.kustomize.images` entry. */
function imageNameOf(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq >= 0) {
    return entry.slice(0, eq);
  }
  const withoutDigest = entry.split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/')
    ? withoutDigest.slice(0, colon)
    : withoutDigest;
}

/**
 * The kustomize image entry setting `image` to the artifact: a digest
 * (`sha256:…`) or a tag is appended to the image name, a full image
 * reference replaces it (`name=ref`).
 */
function kustomizeImageEntry(image: string, artifact: string): string {
  if (/^sha256:[a-f0-9]{64}$/.test(artifact)) {
    return `${image}@${artifact}`;
  }
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(artifact)) {
    return `${image}:${artifact}`;
  }
  if (!/^[A-Za-z0-9_./:@-]+$/.test(artifact)) {
    return fail(`the release artifact is not an image reference: ${artifact}`);
  }
  return `${image}=${artifact}`;
}

function infoCarries(operation: JsonValue | undefined, promotionId: string) {
  const info = asObject(operation)?.info;
  return (
    Array.isArray(info) &&
    info.some(item => {
      const o = asObject(item);
      return (
        asString(o?.name) === PROMOTION_ANNOTATION &&
        asString(o?.value) === promotionId
      );
    })
  );
}

/** Whether an application source sets the release artifact as configured. */
function sourceCarries(
  source: JsonObject | undefined,
  change: ArgoCdChange,
  artifact: string,
): boolean {
  if (change.kind === 'image') {
    const images = asObject(source?.kustomize)?.images;
    return (
      Array.isArray(images) &&
      images.includes(kustomizeImageEntry(change.image, artifact))
    );
  }
  const parameters = asObject(source?.helm)?.parameters;
  return (
    Array.isArray(parameters) &&
    parameters.some(p => {
      const o = asObject(p);
      return o?.name === change.name && o?.value === artifact;
    })
  );
}

interface AppView {
  annotation?: string;
  /** The operation requested but not yet picked up by the controller. */
  operation?: JsonValue;
  operationState?: JsonObject;
  syncStatus?: string;
  healthStatus?: string;
  comparedSource?: JsonObject;
}

function viewOf(app: JsonObject): AppView {
  const status = asObject(app.status);
  const sync = asObject(status?.sync);
  return {
    annotation: asString(
      asObject(asObject(app.metadata)?.annotations)?.[PROMOTION_ANNOTATION],
    ),
    operation: app.operation,
    operationState: asObject(status?.operationState),
    syncStatus: asString(sync?.status),
    healthStatus: asString(asObject(status?.health)?.status),
    comparedSource: asObject(asObject(sync?.comparedTo)?.source),
  };
}

/** Maps the application's health once its spec is synced. */
function healthResult(
  view: AppView,
  prefix: string,
): { status: DeploymentStatus; message: string } {
  const message = `${prefix}; sync ${view.syncStatus ?? 'unknown'}, health ${
    view.healthStatus ?? 'unknown'
  }`;
  switch (view.healthStatus) {
    case 'Healthy':
      return {
        status: view.syncStatus === 'Synced' ? 'succeeded' : 'running',
        message,
      };
    case 'Degraded':
      return { status: 'failed', message };
    case 'Progressing':
    case 'Suspended':
    case 'Missing':
      return { status: 'running', message };
    default:
      return { status: 'unknown', message };
  }
}

/** Maps our sync operation and the application's sync and health status. */
function operationResult(view: AppView): {
  status: DeploymentStatus;
  message: string;
} {
  const phase = asString(view.operationState?.phase);
  const detail = asString(view.operationState?.message);
  const prefix = `Sync ${phase ?? 'unknown'}${detail ? ` (${detail})` : ''}`;
  switch (phase) {
    case 'Running':
    case 'Terminating':
      return { status: 'running', message: prefix };
    case 'Failed':
    case 'Error':
      return { status: 'failed', message: prefix };
    case 'Succeeded':
      return healthResult(view, prefix);
    default:
      return { status: 'unknown', message: prefix };
  }
}

/**
 * Deploys by setting the release artifact in an Argo CD Application
 * (kustomize image or Helm parameter), marking the application with the
 * promotion id, and syncing it; follows the sync and the application's health.
 *
 * How a promotion is recognised (`getStatus`, and `deploy` staying idempotent):
 * our sync carries the info `release.backstage.io/promotion-id=<id>`, visible
 * in `operation` while requested and in `status.operationState` once the
 * controller runs it. When neither carries it but the annotation is ours and
 * Argo CD reports the spec with our artifact as Synced (an automated sync ran
 * it), the application's health is the answer. Otherwise no deployment of the
 * promotion exists and `getStatus` answers `null`: the annotation is absent or
 * another promotion's (ours was never written, or was replaced — which only
 * happens after ours left `deploying`, since a phase has one deploying
 * promotion at a time), or it is ours but the spec was never synced (a crash
 * between the update and the sync), where deploying again is what is needed.
 * One Argo CD application must therefore serve one phase of one entity.
 *
 * @public
 */
export class ArgoCdProvider implements DeploymentProvider {
  readonly type = 'argocd';

  /**
   * Reads `release.providers.argocd.instances` and checks the settings of
   * every `argocd` phase in `release.pipelines`: a bad setting or an unknown
   * instance is a configuration error at startup, naming the phase.
   */
  static fromConfig(
    config: Config,
    options: ArgoCdProviderOptions = {},
  ): ArgoCdProvider {
    const provider = new ArgoCdProvider(
      readInstances(config),
      options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    );
    forEachProviderPhase(config, 'argocd', phase => {
      const { where, settings } = phase;
      let read: ArgoCdPhaseSettings;
      try {
        read = provider.readSettings(settings);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
      // A template whose database password is a secret needs somewhere for
      // it to go that Argo CD readers cannot see.
      const database = phase.config?.database as
        | { passwordSecret?: unknown }
        | undefined;
      if (database?.passwordSecret && !read.mapping.secretName) {
        throw new Error(
          `${where}: argocd provider: the phase's database password is a secret (${String(
            database.passwordSecret,
          )}), and Argo CD would show its value to everyone who can read the Application; set 'secretRef.name' to a Kubernetes Secret the chart reads`,
        );
      }
    });
    return provider;
  }

  private constructor(
    private readonly instances: Map<string, ArgoCdInstance>,
    private readonly timeoutMs: number,
  ) {}

  async deploy(
    request: DeploymentRequest,
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult> {
    const { signal } = options;
    const settings = this.readSettings(request.settings);
    const { application, change } = settings;
    const base = this.identify(settings, request.promotionId);
    const { artifact } = request.release;
    kustomizeEntryCheck(change, artifact);
    let configChange: ConfigChange;
    try {
      configChange =
        change.kind === 'helmParameter'
          ? { kind: 'helm', ...helmConfigParameters(request, settings.mapping) }
          : {
              kind: 'kustomize',
              ...kustomizeConfig(request, settings.mapping),
            };
    } catch (e) {
      if (e instanceof ConfigurationError) {
        // Refused before anything is written: deploying again cannot help.
        return {
          ...base,
          status: 'failed',
          message: `Configuration error: ${e.message}`,
        };
      }
      throw e;
    }
    try {
      const app = await this.getApplication(settings, signal);
      const existing = this.existing(viewOf(app), settings, request);
      if (existing) {
        return {
          ...base,
          ...existing,
          message: `Already deployed for this promotion; ${existing.message}`,
        };
      }
      const updated = withRelease(app, change, artifact, request, configChange);
      await this.call(settings, 'PUT', '', signal, updated);
      await this.call(settings, 'POST', '/sync', signal, {
        prune: false,
        infos: [{ name: PROMOTION_ANNOTATION, value: request.promotionId }],
      });
      return {
        ...base,
        status: 'running',
        message: `Sync of ${application} requested`,
      };
    } catch (e) {
      if (e instanceof UnknownAnswer) {
        return { ...base, status: 'unknown', message: e.message };
      }
      throw e;
    }
  }

  /** See the class documentation for when this answers `null`. */
  async getStatus(
    request: DeploymentRequest & { externalId?: string },
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult | null> {
    const settings = this.readSettings(request.settings);
    const base = this.identify(settings, request.promotionId);
    try {
      const app = await this.getApplication(settings, options.signal);
      const existing = this.existing(viewOf(app), settings, request);
      return existing ? { ...base, ...existing } : null;
    } catch (e) {
      if (e instanceof UnknownAnswer) {
        return { ...base, status: 'unknown', message: e.message };
      }
      throw e;
    }
  }

  /**
   * The state of the promotion's deployment as the application shows it;
   * undefined when the application shows none (see the class documentation).
   */
  private existing(
    view: AppView,
    settings: ArgoCdPhaseSettings,
    request: DeploymentRequest,
  ): { status: DeploymentStatus; message: string } | undefined {
    const { promotionId } = request;
    if (infoCarries(view.operationState?.operation, promotionId)) {
      return operationResult(view);
    }
    if (infoCarries(view.operation, promotionId)) {
      return {
        status: 'running',
        message: 'Sync requested; waiting for the Argo CD controller',
      };
    }
    const specSynced =
      view.annotation === promotionId &&
      view.syncStatus === 'Synced' &&
      sourceCarries(
        view.comparedSource,
        settings.change,
        request.release.artifact,
      );
    return specSynced
      ? healthResult(view, 'Release synced by another operation')
      : undefined;
  }

  private identify(settings: ArgoCdPhaseSettings, promotionId: string) {
    const app = encodeURIComponent(settings.application);
    return {
      externalId: `${settings.application}:${promotionId}`,
      url: `${settings.instance.url}/applications/${app}`,
    };
  }

  private readSettings(raw: Record<string, unknown>): ArgoCdPhaseSettings {
    const instanceName = raw.instance;
    if (typeof instanceName !== 'string' || !instanceName) {
      return fail(`phase setting 'instance' is required`);
    }
    const instance = this.instances.get(instanceName);
    if (!instance) {
      return fail(
        `instance '${instanceName}' is not configured in release.providers.argocd.instances`,
      );
    }
    const application = raw.application;
    if (
      typeof application !== 'string' ||
      !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(application)
    ) {
      return fail(
        `phase setting 'application' must be an Argo CD application name`,
      );
    }
    const { image, helmParameter } = raw;
    let mapping: ArgoCdConfigMapping;
    try {
      mapping = readConfigMapping(raw);
    } catch (e) {
      return fail((e as Error).message);
    }
    if ((image === undefined) === (helmParameter === undefined)) {
      return fail(
        `set exactly one of the phase settings 'image' and 'helmParameter'`,
      );
    }
    if (image !== undefined) {
      if (
        typeof image !== 'string' ||
        !/^[A-Za-z0-9][A-Za-z0-9_./:-]*$/.test(image)
      ) {
        return fail(`phase setting 'image' must be an image name`);
      }
      return {
        instance,
        application,
        change: { kind: 'image', image },
        mapping,
      };
    }
    if (typeof helmParameter !== 'string' || !helmParameter.trim()) {
      return fail(`phase setting 'helmParameter' must be a parameter name`);
    }
    return {
      instance,
      application,
      change: { kind: 'helmParameter', name: helmParameter },
      mapping,
    };
  }

  private async getApplication(
    settings: ArgoCdPhaseSettings,
    signal: AbortSignal,
  ): Promise<JsonObject> {
    const app = asObject(await this.call(settings, 'GET', '', signal));
    if (!app || !asObject(app.metadata) || !asObject(app.spec)) {
      throw new UnknownAnswer(
        'Argo CD answered with something that is not an Application',
      );
    }
    return app;
  }

  /**
   * One call to `/api/v1/applications/{application}{path}`. Returns the
   * parsed JSON body; throws UnknownAnswer for faults that say nothing about
   * the deployment and an Error for other 4xx answers (settings, token,
   * permissions).
   */
  private async call(
    settings: ArgoCdPhaseSettings,
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    signal: AbortSignal,
    body?: JsonValue,
  ): Promise<JsonValue | undefined> {
    const { instance, application } = settings;
    const url = `${instance.url}/api/v1/applications/${encodeURIComponent(
      application,
    )}${path}`;
    let res: ProviderHttpResponse;
    try {
      res = await fetchWithDeadline(url, {
        method,
        headers: {
          Authorization: `Bearer ${instance.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        timeoutMs: this.timeoutMs,
      });
    } catch (e) {
      if (e instanceof ProviderCallError) {
        throw new UnknownAnswer(e.message);
      }
      throw e;
    }
    const what = `Argo CD answered ${method} ${application}${path} with HTTP ${res.status}`;
    const detail = errorDetail(res.text, instance.token);
    if (
      res.status >= 500 ||
      res.status === 408 ||
      res.status === 409 ||
      res.status === 429 ||
      /another operation is already in progress/i.test(detail)
    ) {
      // Transient: a concurrent update or operation, or a server fault.
      throw new UnknownAnswer(`${what}${detail}`);
    }
    if (res.status >= 400) {
      return fail(`${what}${detail}`);
    }
    if (res.status < 200 || res.status >= 300) {
      throw new UnknownAnswer(what);
    }
    if (res.text.trim() === '') {
      return undefined;
    }
    const json = parseJsonOrUndefined(res.text);
    if (json === undefined) {
      throw new UnknownAnswer(`${what} and a malformed (non-JSON) body`);
    }
    return json as JsonValue;
  }
}

/** Rejects an artifact that cannot be set as configured before any call. */
function kustomizeEntryCheck(change: ArgoCdChange, artifact: string) {
  if (change.kind === 'image') {
    kustomizeImageEntry(change.image, artifact);
  }
}

/** A copy of the application with the release set and the promotion annotated. */
function withRelease(
  app: JsonObject,
  change: ArgoCdChange,
  artifact: string,
  request: DeploymentRequest,
  config: ConfigChange,
): JsonObject {
  const { promotionId } = request;
  const updated = structuredClone(app);
  const spec = asObject(updated.spec) ?? {};
  const source = asObject(spec.source);
  if (!source) {
    return fail(
      Array.isArray(spec.sources)
        ? 'multi-source applications (spec.sources) are not supported'
        : 'the application has no spec.source',
    );
  }
  if (change.kind === 'image') {
    const kustomize = asObject(source.kustomize) ?? {};
    const images = Array.isArray(kustomize.images) ? kustomize.images : [];
    kustomize.images = [
      ...images.filter(
        entry =>
          typeof entry !== 'string' || imageNameOf(entry) !== change.image,
      ),
      kustomizeImageEntry(change.image, artifact),
    ];
    if (config.kind === 'kustomize' && config.replicas) {
      const replicas = Array.isArray(kustomize.replicas)
        ? kustomize.replicas
        : [];
      kustomize.replicas = [
        ...replicas.filter(r => asObject(r)?.name !== config.replicas!.name),
        config.replicas,
      ];
    }
    if (config.kind === 'kustomize') {
      const patches = Array.isArray(kustomize.patches)
        ? kustomize.patches.filter(p => !isManagedPatch(p))
        : [];
      kustomize.patches = config.patch ? [...patches, config.patch] : patches;
    }
    source.kustomize = kustomize;
  } else {
    const helm = asObject(source.helm) ?? {};
    const parameters = Array.isArray(helm.parameters) ? helm.parameters : [];
    const owns = config.kind === 'helm' ? config.owns : () => false;
    helm.parameters = [
      ...parameters.filter(p => {
        const name = asString(asObject(p)?.name);
        return name !== change.name && !(name !== undefined && owns(name));
      }),
      { name: change.name, value: artifact, forceString: true },
      ...(config.kind === 'helm' ? config.parameters : []),
    ];
    source.helm = helm;
  }
  const metadata = asObject(updated.metadata) ?? {};
  metadata.annotations = {
    ...(asObject(metadata.annotations) ?? {}),
    [PROMOTION_ANNOTATION]: promotionId,
    ...(request.configVersion === undefined
      ? {}
      : { [CONFIG_VERSION_ANNOTATION]: String(request.configVersion) }),
  };
  updated.metadata = metadata;
  return updated;
}

/** Argo CD's error message, bounded and scrubbed of the token. */
function errorDetail(text: string, token: string): string {
  const parsed = asObject(parseJsonOrUndefined(text) as JsonValue | undefined);
  const message = asString(parsed?.message) ?? asString(parsed?.error) ?? '';
  const safe = message.split(token).join('***').slice(0, 300);
  return safe ? `: ${safe}` : '';
}
