import { ConfigReader } from '@backstage/config';
import { DeploymentRequest } from '@release-manager/backstage-plugin-release-node';
import { ServerResponse } from 'http';
import { GithubActionsProvider } from './GithubActionsProvider';
import {
  LocalServer,
  ReceivedRequest,
  sendJson,
  startLocalServer,
} from './__testUtils__/localServer';

const TOKEN = 'ghp_test_secret_token_0123456789';
const HOST = 'ghe.acme.test';
const PROMOTION = '6f1c2b9e-4d7a-4a53-9a4e-0c1f1e2d3a4b';
const OTHER_PROMOTION = '0a8f3e21-77b3-4c1e-8f0e-9d2c3b4a5e6f';
const WORKFLOW_PATH = '/repos/acme/shop/actions/workflows/deploy.yml';

interface FakeRun {
  id: number;
  name: string;
  display_title: string;
  status: string;
  conclusion: string | null;
  html_url: string;
  created_at: string;
  event: string;
  head_branch: string;
}

type Fault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'malformed'; text: string }
  | { kind: 'redirect'; location: string };

/**
 * GitHub's Actions API as documented: dispatch answers 204 without a body,
 * runs are listed newest first and filtered by `event` and `branch`.
 */
class FakeGithub {
  runs: FakeRun[] = [];
  /** Runs dispatched but not listed yet (GitHub takes a moment). */
  hiddenRuns: FakeRun[] = [];
  hideNewRuns = false;
  /** The `run-name` the workflow gives its runs. */
  runName = (inputs: Record<string, string>) =>
    `Deploy ${inputs.version} (${inputs.promotion_id})`;
  fault?: (req: ReceivedRequest) => Fault | undefined;
  private nextId = 1001;

  server!: LocalServer;

  static async start(): Promise<FakeGithub> {
    const fake = new FakeGithub();
    fake.server = await startLocalServer((req, res) => fake.handle(req, res));
    return fake;
  }

  dispatches(): ReceivedRequest[] {
    return this.server.requests.filter(
      r => r.method === 'POST' && r.url.endsWith('/dispatches'),
    );
  }

  addRun(promotionId: string, fields: Partial<FakeRun> = {}): FakeRun {
    const id = this.nextId++;
    const title = `Deploy 1.4.0 (${promotionId})`;
    const run: FakeRun = {
      id,
      name: title,
      display_title: title,
      status: 'queued',
      conclusion: null,
      html_url: `https://${HOST}/acme/shop/actions/runs/${id}`,
      created_at: new Date().toISOString(),
      event: 'workflow_dispatch',
      head_branch: 'main',
      ...fields,
    };
    (this.hideNewRuns ? this.hiddenRuns : this.runs).unshift(run);
    return run;
  }

  revealRuns() {
    this.runs.unshift(...this.hiddenRuns);
    this.hiddenRuns = [];
  }

  private handle(req: ReceivedRequest, res: ServerResponse) {
    const fault = this.fault?.(req);
    if (fault?.kind === 'hang') {
      return;
    }
    if (fault?.kind === 'status') {
      sendJson(res, fault.status, fault.body ?? { message: 'Server Error' });
      return;
    }
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(fault.text);
      return;
    }
    if (fault?.kind === 'redirect') {
      res.writeHead(302, { Location: fault.location });
      res.end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      sendJson(res, 401, { message: 'Bad credentials' });
      return;
    }
    const url = new URL(req.url, 'http://fake');
    const runMatch = /^\/repos\/acme\/shop\/actions\/runs\/(\d+)$/.exec(
      url.pathname,
    );
    if (
      req.method === 'POST' &&
      url.pathname === `${WORKFLOW_PATH}/dispatches`
    ) {
      const body = JSON.parse(req.body);
      const title = this.runName(body.inputs);
      this.addRun(body.inputs.promotion_id, {
        name: title,
        display_title: title,
        head_branch: body.ref,
      });
      res.writeHead(204);
      res.end();
    } else if (
      req.method === 'GET' &&
      url.pathname === `${WORKFLOW_PATH}/runs`
    ) {
      const event = url.searchParams.get('event');
      const branch = url.searchParams.get('branch');
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const runs = this.runs.filter(
        r =>
          (!event || r.event === event) &&
          (!branch || r.head_branch === branch),
      );
      sendJson(res, 200, {
        total_count: runs.length,
        workflow_runs: runs.slice(0, perPage),
      });
    } else if (req.method === 'GET' && runMatch) {
      const run = this.runs.find(r => r.id === Number(runMatch[1]));
      if (run) {
        sendJson(res, 200, run);
      } else {
        sendJson(res, 404, { message: 'Not Found' });
      }
    } else {
      sendJson(res, 404, { message: 'Not Found' });
    }
  }
}

function deploymentRequest(
  promotionId = PROMOTION,
  settings: Record<string, unknown> = {},
): DeploymentRequest {
  return {
    promotionId,
    entityRef: 'component:default/shop',
    phase: 'live',
    release: {
      entityRef: 'component:default/shop',
      version: '1.4.0',
      artifact: 'ghcr.io/acme/shop:1.4.0',
      createdBy: 'user:default/alice',
      createdAt: '2026-01-10T10:00:00.000Z',
    },
    config: { variables: {}, secrets: {} },
    settings: {
      type: 'github-actions',
      owner: 'acme',
      repo: 'shop',
      workflow: 'deploy.yml',
      host: HOST,
      inputs: { environment: 'production' },
      ...settings,
    },
  };
}

const signal = () => ({ signal: AbortSignal.timeout(5_000) });

describe('GithubActionsProvider', () => {
  let github: FakeGithub;
  let metadata: LocalServer;
  let provider: GithubActionsProvider;

  beforeEach(async () => {
    github = await FakeGithub.start();
    metadata = await startLocalServer((_req, res) => sendJson(res, 200, {}));
    provider = GithubActionsProvider.fromConfig(
      new ConfigReader({
        integrations: {
          github: [{ host: HOST, apiBaseUrl: github.server.url, token: TOKEN }],
        },
      }),
      { requestTimeoutMs: 300, runLookupAttempts: 3, runLookupDelayMs: 10 },
    );
  });

  afterEach(async () => {
    await github.server.close();
    await metadata.close();
  });

  it('dispatches the workflow with the release as inputs and returns the run it started', async () => {
    const result = await provider.deploy(deploymentRequest(), signal());

    expect(result).toEqual({
      externalId: '1001',
      url: `https://${HOST}/acme/shop/actions/runs/1001`,
      status: 'running',
      message: 'Workflow run queued',
    });
    const [precheck, dispatch, lookup] = github.server.requests;
    const listPath = `${WORKFLOW_PATH}/runs?event=workflow_dispatch&branch=main&per_page=20`;
    expect(precheck).toMatchObject({ method: 'GET', url: listPath });
    expect(dispatch).toMatchObject({
      method: 'POST',
      url: `${WORKFLOW_PATH}/dispatches`,
    });
    expect(lookup).toMatchObject({ method: 'GET', url: listPath });
    for (const req of github.server.requests) {
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(req.headers.accept).toBe('application/vnd.github+json');
      expect(req.headers['x-github-api-version']).toBe('2022-11-28');
    }
    expect(JSON.parse(dispatch.body)).toEqual({
      ref: 'main',
      inputs: {
        environment: 'production',
        promotion_id: PROMOTION,
        entity_ref: 'component:default/shop',
        phase: 'live',
        version: '1.4.0',
        artifact: 'ghcr.io/acme/shop:1.4.0',
      },
    });
  });

  it('follows a run from running to succeeded', async () => {
    const deployed = await provider.deploy(deploymentRequest(), signal());
    expect(deployed.status).toBe('running');
    const run = github.runs[0];
    const follow = () =>
      provider.getStatus(
        { ...deploymentRequest(), externalId: deployed.externalId },
        signal(),
      );

    run.status = 'in_progress';
    await expect(follow()).resolves.toMatchObject({
      status: 'running',
      message: 'Workflow run in progress',
    });
    expect(github.server.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/repos/acme/shop/actions/runs/1001',
    });

    run.status = 'completed';
    run.conclusion = 'success';
    await expect(follow()).resolves.toEqual({
      externalId: '1001',
      url: `https://${HOST}/acme/shop/actions/runs/1001`,
      status: 'succeeded',
      message: 'Workflow run succeeded',
    });
  });

  it.each(['failure', 'cancelled', 'timed_out'])(
    'reports a run completed with %s as failed',
    async conclusion => {
      const run = github.addRun(PROMOTION, { status: 'completed', conclusion });
      await expect(
        provider.getStatus(
          { ...deploymentRequest(), externalId: String(run.id) },
          signal(),
        ),
      ).resolves.toMatchObject({
        status: 'failed',
        message: `Workflow run completed: ${conclusion}`,
      });
    },
  );

  it('reports an unexpected run conclusion as unknown, never succeeded', async () => {
    const run = github.addRun(PROMOTION, {
      status: 'completed',
      conclusion: 'neutral',
    });
    await expect(
      provider.getStatus(
        { ...deploymentRequest(), externalId: String(run.id) },
        signal(),
      ),
    ).resolves.toMatchObject({ status: 'unknown' });
  });

  it('invariant 22: getStatus finds the run of a promotion before any second dispatch', async () => {
    // The run appears only after deploy gave up looking for it.
    github.hideNewRuns = true;
    const first = await provider.deploy(deploymentRequest(), signal());
    expect(first).toEqual({
      status: 'unknown',
      message: expect.stringContaining('run has not appeared yet'),
    });
    github.revealRuns();

    // Recovery asks by promotion id (no external id was stored).
    const found = await provider.getStatus(deploymentRequest(), signal());
    expect(found).toMatchObject({ externalId: '1001', status: 'running' });

    // Dispatching again is a no-op for the same promotion.
    const again = await provider.deploy(deploymentRequest(), signal());
    expect(again).toMatchObject({ externalId: '1001', status: 'running' });
    expect(github.dispatches()).toHaveLength(1);
  });

  it('invariant 22: getStatus answers null when no recent run carries the promotion id', async () => {
    github.addRun(OTHER_PROMOTION, {
      status: 'completed',
      conclusion: 'success',
    });
    // The id followed by more id characters is another promotion's.
    github.addRun(`${PROMOTION}-7`, { status: 'in_progress' });
    // Our id on another branch or event is not this workflow's dispatch.
    github.addRun(PROMOTION, { head_branch: 'release' });

    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toBeNull();
    expect(github.dispatches()).toHaveLength(0);
  });

  it('without the required run-name the run is not found and deploy never reports success', async () => {
    github.runName = () => 'Deploy';
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).resolves.toEqual({
      status: 'unknown',
      message: expect.stringContaining(
        'run-name containing inputs.promotion_id',
      ),
    });
  });

  describe('invariant 24: a timeout or malformed answer is unknown, never succeeded', () => {
    it('a 5xx answer is unknown and nothing is dispatched', async () => {
      github.fault = () => ({ kind: 'status', status: 502 });
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toEqual({
        status: 'unknown',
        message: expect.stringContaining('HTTP 502'),
      });
      expect(github.dispatches()).toHaveLength(0);
      await expect(
        provider.getStatus(
          { ...deploymentRequest(), externalId: '1001' },
          signal(),
        ),
      ).resolves.toMatchObject({ status: 'unknown' });
    });

    it('a hanging server is unknown within the deadline', async () => {
      github.fault = () => ({ kind: 'hang' });
      const started = Date.now();
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toEqual({
        status: 'unknown',
        message: expect.stringContaining('within the deadline'),
      });
      await expect(
        provider.getStatus(
          { ...deploymentRequest(), externalId: '1001' },
          signal(),
        ),
      ).resolves.toMatchObject({ status: 'unknown' });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('a hanging run lookup after the dispatch is unknown, not succeeded', async () => {
      github.fault = req =>
        req.method === 'GET' && github.dispatches().length > 0
          ? { kind: 'hang' }
          : undefined;
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toEqual({
        status: 'unknown',
        message: expect.stringMatching(
          /^Workflow dispatched, but looking for its run failed/,
        ),
      });
      expect(github.dispatches()).toHaveLength(1);
    });

    it('the caller’s deadline ends the call as unknown', async () => {
      github.fault = () => ({ kind: 'hang' });
      await expect(
        provider.getStatus(deploymentRequest(), {
          signal: AbortSignal.timeout(50),
        }),
      ).resolves.toMatchObject({ status: 'unknown' });
    });

    it.each([
      ['truncated JSON', '{"total_count": 1, "workflow_runs": ['],
      ['HTML', '<html><body>Unicorn!</body></html>'],
      [
        'JSON of the wrong shape',
        '{"total_count": 1, "workflow_runs": "none"}',
      ],
    ])('a malformed answer (%s) is unknown', async (_name, text) => {
      github.fault = () => ({ kind: 'malformed', text });
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toMatchObject({ status: 'unknown' });
      await expect(
        provider.getStatus(deploymentRequest(), signal()),
      ).resolves.toMatchObject({ status: 'unknown' });
      await expect(
        provider.getStatus(
          { ...deploymentRequest(), externalId: '1001' },
          signal(),
        ),
      ).resolves.toMatchObject({ status: 'unknown' });
      expect(github.dispatches()).toHaveLength(0);
    });

    it('a run with success but no completed status is not succeeded', async () => {
      const run = github.addRun(PROMOTION, {
        status: 'exploded',
        conclusion: 'success',
      });
      await expect(
        provider.getStatus(
          { ...deploymentRequest(), externalId: String(run.id) },
          signal(),
        ),
      ).resolves.toMatchObject({ status: 'unknown' });
    });
  });

  it('invariant 28: redirects are not followed', async () => {
    github.fault = () => ({
      kind: 'redirect',
      location: `${metadata.url}/latest/meta-data`,
    });
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).resolves.toEqual({
      status: 'unknown',
      message: expect.stringContaining('redirects are not followed'),
    });
    await expect(
      provider.getStatus(
        { ...deploymentRequest(), externalId: '1001' },
        signal(),
      ),
    ).resolves.toMatchObject({ status: 'unknown' });
    expect(metadata.requests).toHaveLength(0);
    expect(github.dispatches()).toHaveLength(0);
  });

  it('a 4xx answer throws a clear error that does not carry the token', async () => {
    github.fault = req =>
      req.method === 'POST'
        ? {
            kind: 'status',
            status: 422,
            body: {
              message: `Workflow does not have 'workflow_dispatch' trigger (token ${TOKEN})`,
            },
          }
        : undefined;
    const error = await provider.deploy(deploymentRequest(), signal()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain(
      "HTTP 422: Workflow does not have 'workflow_dispatch' trigger",
    );
    expect(error?.message).not.toContain(TOKEN);

    github.fault = undefined;
    await expect(
      provider.getStatus(
        { ...deploymentRequest(), externalId: '999' },
        signal(),
      ),
    ).rejects.toThrow(/HTTP 404: Not Found/);
  });

  it('rejects bad credentials with an error that does not carry the token', async () => {
    const wrong = GithubActionsProvider.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            { host: HOST, apiBaseUrl: github.server.url, token: 'ghp_wrong' },
          ],
        },
      }),
    );
    const error = await wrong.getStatus(deploymentRequest(), signal()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/HTTP 401: Bad credentials/);
    expect(error?.message).not.toContain('ghp_wrong');
  });

  it.each([
    ['no owner', { owner: undefined }, "phase setting 'owner' is required"],
    [
      'a repo with a path',
      { repo: 'shop/../admin' },
      "phase setting 'repo' is not a valid GitHub name",
    ],
    [
      'a ref with a space',
      { ref: 'main branch' },
      "'ref' is not a valid git ref",
    ],
    [
      'a reserved input',
      { inputs: { promotion_id: 'x' } },
      "'inputs.promotion_id' is reserved",
    ],
    [
      'a non-string input',
      { inputs: { replicas: 3 } },
      "'inputs.replicas' must be a string",
    ],
    [
      'a host without integration',
      { host: 'other.test' },
      "no integrations.github entry for host 'other.test'",
    ],
    [
      'a host without credentials',
      { host: 'github.com' },
      'no credentials for github.com/acme/shop',
    ],
  ])('rejects phase settings with %s', async (_name, settings, message) => {
    await expect(
      provider.deploy(deploymentRequest(PROMOTION, settings), signal()),
    ).rejects.toThrow(message);
    expect(github.server.requests).toHaveLength(0);
  });
});
