import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DeploymentProvider,
  DeploymentRequest,
  DeploymentResult,
  DeploymentStatus,
  EnvironmentNaming,
  fetchWithDeadline,
  forEachProviderPhase,
  parseJsonOrUndefined,
  ProviderCallError,
  ProviderHttpResponse,
  readEnvironmentNaming,
} from '@release-manager/backstage-plugin-release-node';
import { setTimeout as delay } from 'timers/promises';
import { z } from 'zod';
import { syncEnvironment } from './environmentSync';
import {
  fail,
  GithubMethod,
  GithubPhaseSettings,
  GithubTarget,
  NOT_FOUND,
  UnknownAnswer,
} from './github';

/** Options of {@link GithubActionsProvider.fromConfig}. @public */
export interface GithubActionsProviderOptions {
  /** Deadline of each HTTP call to GitHub, in milliseconds. Default 10 000. */
  requestTimeoutMs?: number;
  /** How many times `deploy` looks for the run it dispatched. Default 5. */
  runLookupAttempts?: number;
  /** Delay before each of those lookups, in milliseconds. Default 2 000. */
  runLookupDelayMs?: number;
}

/** The workflow inputs the provider always sends; `settings.inputs` may not override them. */
const RESERVED_INPUTS = [
  'promotion_id',
  'entity_ref',
  'phase',
  'version',
  'artifact',
  'config_version',
];

/** GitHub owner, repository and workflow file names. */
const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

const runSchema = z.object({
  id: z.number().int().nonnegative(),
  name: z.string().nullish(),
  display_title: z.string().nullish(),
  status: z.string().nullish(),
  conclusion: z.string().nullish(),
  html_url: z.string(),
  event: z.string().nullish(),
});
type WorkflowRun = z.infer<typeof runSchema>;

const runListSchema = z.object({
  total_count: z.number(),
  workflow_runs: z.array(runSchema),
});

function readName(settings: Record<string, unknown>, key: string): string {
  const value = settings[key];
  if (typeof value === 'number' && key === 'workflow') {
    return String(value);
  }
  if (typeof value !== 'string' || !value) {
    return fail(`phase setting '${key}' is required`);
  }
  if (!NAME_PATTERN.test(value) || value === '.' || value === '..') {
    return fail(`phase setting '${key}' is not a valid GitHub name: ${value}`);
  }
  return value;
}

/**
 * Validates the phase's provider settings; throws a clear error when they
 * are wrong. `phase` is the default GitHub Environment name.
 */
export function readGithubPhaseSettings(
  settings: Record<string, unknown>,
  phase: string = '',
): GithubPhaseSettings {
  const owner = readName(settings, 'owner');
  const repo = readName(settings, 'repo');
  const workflow = readName(settings, 'workflow');
  const ref = settings.ref ?? 'main';
  if (
    typeof ref !== 'string' ||
    !/^[A-Za-z0-9_./-]{1,255}$/.test(ref) ||
    ref.includes('..')
  ) {
    return fail(`phase setting 'ref' is not a valid git ref`);
  }
  const host = settings.host ?? 'github.com';
  if (typeof host !== 'string' || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) {
    return fail(`phase setting 'host' is not a valid host name`);
  }
  const rawInputs = settings.inputs ?? {};
  if (
    typeof rawInputs !== 'object' ||
    rawInputs === null ||
    Array.isArray(rawInputs)
  ) {
    return fail(`phase setting 'inputs' must be a map of strings`);
  }
  const inputs: Record<string, string> = {};
  // Before environments were synced, phases passed the environment name as
  // `inputs.environment`; it still names the GitHub Environment.
  const legacyEnvironment = (rawInputs as Record<string, unknown>).environment;
  const environment =
    settings.environment ??
    (typeof legacyEnvironment === 'string' ? legacyEnvironment : phase);
  if (
    typeof environment !== 'string' ||
    !/^[A-Za-z0-9_.-][A-Za-z0-9 _.-]{0,254}$/.test(environment)
  ) {
    return fail(
      `phase setting 'environment' must be a GitHub Environment name (default: the phase id)`,
    );
  }
  const sync = settings.syncEnvironment ?? true;
  if (typeof sync !== 'boolean') {
    return fail(`phase setting 'syncEnvironment' must be true or false`);
  }
  let naming: EnvironmentNaming;
  try {
    naming = readEnvironmentNaming(settings.naming);
  } catch (e) {
    return fail((e as Error).message);
  }
  for (const [key, value] of Object.entries(rawInputs)) {
    if (key === 'environment') {
      continue;
    }
    if (typeof value !== 'string') {
      return fail(`phase setting 'inputs.${key}' must be a string`);
    }
    if (RESERVED_INPUTS.includes(key)) {
      return fail(
        `phase setting 'inputs.${key}' is reserved: the provider sets it`,
      );
    }
    inputs[key] = value;
  }
  return {
    owner,
    repo,
    workflow,
    ref,
    host,
    inputs,
    environment,
    syncEnvironment: sync,
    naming,
  };
}

/** The branch (or tag) name GitHub reports as a run's `head_branch`. */
function branchOf(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a run's name or title carries the promotion id as a whole word. */
function carriesPromotion(run: WorkflowRun, promotionId: string): boolean {
  const pattern = new RegExp(
    `(^|[^A-Za-z0-9-])${escapeRegExp(promotionId)}($|[^A-Za-z0-9-])`,
  );
  return [run.name, run.display_title].some(
    title => typeof title === 'string' && pattern.test(title),
  );
}

function statusOf(run: WorkflowRun): {
  status: DeploymentStatus;
  message: string;
} {
  switch (run.status) {
    case 'requested':
    case 'queued':
    case 'pending':
    case 'waiting':
    case 'in_progress':
      return {
        status: 'running',
        message: `Workflow run ${run.status.replace('_', ' ')}`,
      };
    case 'completed':
      switch (run.conclusion) {
        case 'success':
          return { status: 'succeeded', message: 'Workflow run succeeded' };
        case 'failure':
        case 'cancelled':
        case 'timed_out':
        case 'startup_failure':
          return {
            status: 'failed',
            message: `Workflow run completed: ${run.conclusion}`,
          };
        default:
          return {
            status: 'unknown',
            message: `Workflow run completed with an unexpected conclusion: ${String(
              run.conclusion,
            )}`,
          };
      }
    default:
      return {
        status: 'unknown',
        message: `Workflow run has an unexpected status: ${String(run.status)}`,
      };
  }
}

function resultOf(run: WorkflowRun, prefix?: string): DeploymentResult {
  const { status, message } = statusOf(run);
  return {
    externalId: String(run.id),
    // Shown to users as a link: only http(s).
    url: /^https?:\/\//.test(run.html_url) ? run.html_url : undefined,
    status,
    message: prefix ? `${prefix}; ${message.toLowerCase()}` : message,
  };
}

/** Waits; false when the signal ended the wait. */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Deploys by syncing the phase configuration to the phase's GitHub
 * Environment (variables, and secrets sealed with the environment's public
 * key), then dispatching a GitHub Actions workflow (`workflow_dispatch`) and
 * following the run it started.
 *
 * The workflow must name its runs after the promotion, e.g.
 * `run-name: Deploy ${{ inputs.version }} (${{ inputs.promotion_id }})`:
 * GitHub's dispatch answer (204) carries no run id, so the run is found by
 * that name.
 *
 * @public
 */
export class GithubActionsProvider implements DeploymentProvider {
  readonly type = 'github-actions';

  /**
   * Checks the settings of every `github-actions` phase in
   * `release.pipelines` (throws a configuration error naming the phase).
   */
  static validatePipelines(config: Config): void {
    forEachProviderPhase(
      config,
      'github-actions',
      ({ where, phase, settings }) => {
        try {
          readGithubPhaseSettings(settings, phase);
        } catch (e) {
          throw new Error(`${where}: ${(e as Error).message}`);
        }
      },
    );
  }

  /** Reads GitHub hosts and credentials from `integrations.github`. */
  static fromConfig(
    config: Config,
    options: GithubActionsProviderOptions = {},
  ): GithubActionsProvider {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubActionsProvider(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      options,
    );
  }

  private readonly timeoutMs: number;
  private readonly lookupAttempts: number;
  private readonly lookupDelayMs: number;

  private constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly credentials: GithubCredentialsProvider,
    options: GithubActionsProviderOptions,
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.lookupAttempts = options.runLookupAttempts ?? 5;
    this.lookupDelayMs = options.runLookupDelayMs ?? 2_000;
  }

  async deploy(
    request: DeploymentRequest,
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult> {
    const { signal } = options;
    const target = await this.resolveTarget(request.settings, request.phase);
    const { settings } = target;
    let dispatched = false;
    try {
      // Idempotent for the same promotion: never dispatch twice when a run
      // of this promotion is already listed.
      const existing = await this.findRun(target, request.promotionId, signal);
      if (existing) {
        return resultOf(existing, 'Run already dispatched for this promotion');
      }
      if (settings.syncEnvironment) {
        await syncEnvironment(
          (method, path, body, notFound) =>
            this.call(target, method, path, signal, body, notFound),
          settings,
          request.config,
        );
      }
      await this.call(
        target,
        'POST',
        `/actions/workflows/${encodeURIComponent(
          settings.workflow,
        )}/dispatches`,
        signal,
        {
          ref: settings.ref,
          inputs: {
            ...settings.inputs,
            promotion_id: request.promotionId,
            entity_ref: request.entityRef,
            phase: request.phase,
            version: request.release.version,
            artifact: request.release.artifact,
            environment: settings.environment,
            config_version:
              request.configVersion === undefined
                ? ''
                : String(request.configVersion),
          },
        },
      );
      dispatched = true;
      for (let attempt = 0; attempt < this.lookupAttempts; attempt++) {
        if (!(await sleep(this.lookupDelayMs, signal))) {
          break;
        }
        const run = await this.findRun(target, request.promotionId, signal);
        if (run) {
          return resultOf(run);
        }
      }
      return {
        status: 'unknown',
        message:
          'Workflow dispatched, but its run has not appeared yet (the workflow must set a run-name containing inputs.promotion_id)',
      };
    } catch (e) {
      if (e instanceof UnknownAnswer) {
        return {
          status: 'unknown',
          message: dispatched
            ? `Workflow dispatched, but looking for its run failed: ${e.message}`
            : e.message,
        };
      }
      throw e;
    }
  }

  /**
   * The state of the promotion's run: by run id when `externalId` is known,
   * else by looking for the run named after the promotion among the 20 most
   * recent `workflow_dispatch` runs of the workflow on the ref. `null` when no
   * such run is listed. Caveat: a run can take a few seconds to appear after
   * the dispatch, so `null` right after a dispatch does not prove it never
   * happened; a run pushed out of the last 20 by later dispatches is not seen.
   */
  async getStatus(
    request: DeploymentRequest & { externalId?: string },
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult | null> {
    const { signal } = options;
    const target = await this.resolveTarget(request.settings, request.phase);
    try {
      if (request.externalId !== undefined) {
        if (!/^\d{1,20}$/.test(request.externalId)) {
          return fail(`'${request.externalId}' is not a workflow run id`);
        }
        const body = await this.call(
          target,
          'GET',
          `/actions/runs/${request.externalId}`,
          signal,
        );
        const run = runSchema.safeParse(body);
        if (!run.success) {
          throw new UnknownAnswer('GitHub answered with a malformed run');
        }
        return resultOf(run.data);
      }
      const run = await this.findRun(target, request.promotionId, signal);
      return run ? resultOf(run) : null;
    } catch (e) {
      if (e instanceof UnknownAnswer) {
        return { status: 'unknown', message: e.message };
      }
      throw e;
    }
  }

  private async resolveTarget(
    rawSettings: Record<string, unknown>,
    phase: string,
  ): Promise<GithubTarget> {
    const settings = readGithubPhaseSettings(rawSettings, phase);
    const integration = this.integrations.github.byHost(settings.host);
    if (!integration) {
      return fail(`no integrations.github entry for host '${settings.host}'`);
    }
    const apiBaseUrl = integration.config.apiBaseUrl;
    if (!apiBaseUrl) {
      return fail(
        `integrations.github entry for host '${settings.host}' has no apiBaseUrl`,
      );
    }
    let token: string | undefined;
    try {
      ({ token } = await this.credentials.getCredentials({
        url: `https://${settings.host}/${settings.owner}/${settings.repo}`,
      }));
    } catch (e) {
      return fail(
        `could not get credentials for ${settings.host}/${settings.owner}/${
          settings.repo
        }: ${(e as Error).message}`,
      );
    }
    if (!token) {
      return fail(
        `no credentials for ${settings.host}/${settings.owner}/${settings.repo} in integrations.github`,
      );
    }
    return { settings, apiBaseUrl: apiBaseUrl.replace(/\/+$/, ''), token };
  }

  /** The most recent run carrying the promotion id, if listed. */
  private async findRun(
    target: GithubTarget,
    promotionId: string,
    signal: AbortSignal,
  ): Promise<WorkflowRun | undefined> {
    const { workflow, ref } = target.settings;
    const query = new URLSearchParams({
      event: 'workflow_dispatch',
      branch: branchOf(ref),
      per_page: '20',
    });
    const body = await this.call(
      target,
      'GET',
      `/actions/workflows/${encodeURIComponent(workflow)}/runs?${query}`,
      signal,
    );
    const list = runListSchema.safeParse(body);
    if (!list.success) {
      throw new UnknownAnswer('GitHub answered with a malformed run list');
    }
    // GitHub lists the newest run first.
    return list.data.workflow_runs.find(
      run =>
        (run.event ?? 'workflow_dispatch') === 'workflow_dispatch' &&
        carriesPromotion(run, promotionId),
    );
  }

  /**
   * One call to the repository's API. Returns the parsed JSON body (undefined
   * for an empty one); throws UnknownAnswer for faults that say nothing about
   * the deployment and an Error for 4xx answers (settings or credentials).
   */
  private async call(
    target: GithubTarget,
    method: GithubMethod,
    path: string,
    signal: AbortSignal,
    body?: unknown,
    notFound?: typeof NOT_FOUND,
  ): Promise<unknown> {
    const { owner, repo } = target.settings;
    const url = `${target.apiBaseUrl}/repos/${encodeURIComponent(
      owner,
    )}/${encodeURIComponent(repo)}${path}`;
    let res: ProviderHttpResponse;
    try {
      res = await fetchWithDeadline(url, {
        method,
        headers: {
          Authorization: `Bearer ${target.token}`,
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
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
    const what = `GitHub answered ${method} ${path.split('?')[0]} with HTTP ${
      res.status
    }`;
    const rateLimited =
      res.status === 429 ||
      (res.status === 403 && res.headers.get('x-ratelimit-remaining') === '0');
    if (res.status >= 500 || res.status === 408 || rateLimited) {
      throw new UnknownAnswer(what);
    }
    if (res.status === 404 && notFound) {
      return notFound;
    }
    if (res.status >= 400) {
      return fail(`${what}${this.detail(res.text, target.token)}`);
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
    return json;
  }

  /** GitHub's error message, bounded and scrubbed of the token. */
  private detail(text: string, token: string): string {
    const parsed = parseJsonOrUndefined(text);
    const message =
      parsed && typeof parsed === 'object' && 'message' in parsed
        ? String(parsed.message)
        : '';
    const safe = message.split(token).join('***').slice(0, 300);
    return safe ? `: ${safe}` : '';
  }
}
