import { ConfigReader } from '@backstage/config';
import { generateKeyPairSync } from 'crypto';
import { DeploymentRequest } from '@release-manager/backstage-plugin-release-node';
import { GithubActionsProvider } from './GithubActionsProvider';
import {
  FakeGithub,
  HOST,
  OTHER_PROMOTION,
  PROMOTION,
  TOKEN,
  WORKFLOW_PATH,
} from './__testUtils__/fakeGithub';
import {
  LocalServer,
  sendJson,
  startLocalServer,
} from '@internal/release-test-utils';

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

  /**
   * The provider under test with a per-request deadline: long enough for a
   * busy machine (CI runs suites in parallel) where the server answers, short
   * where a test waits for a hanging server to pass it.
   */
  const providerWith = (requestTimeoutMs: number) =>
    GithubActionsProvider.fromConfig(
      new ConfigReader({
        integrations: {
          github: [{ host: HOST, apiBaseUrl: github.server.url, token: TOKEN }],
        },
      }),
      { requestTimeoutMs, runLookupAttempts: 3, runLookupDelayMs: 10 },
    );

  beforeEach(async () => {
    github = await FakeGithub.start();
    metadata = await startLocalServer((_req, res) => sendJson(res, 200, {}));
    provider = providerWith(1_500);
    github.addEnvironment('production');
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
    const [precheck, dispatch, lookup] = github.server.requests.filter(r =>
      r.url.includes('/actions/'),
    );
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
        config_version: '',
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
      provider = providerWith(300);
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
      provider = providerWith(300);
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
      provider = providerWith(300);
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
      req.url.endsWith('/dispatches')
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

  it('authenticates as a GitHub App (installation token from integrations.github apps) and syncs the environment with it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
    });
    github.app = { appId: 1234, publicKey };
    const env = github.addEnvironment('live');
    const asApp = GithubActionsProvider.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: HOST,
              apiBaseUrl: github.server.url,
              apps: [
                {
                  appId: 1234,
                  privateKey: privateKey
                    .export({ type: 'pkcs1', format: 'pem' })
                    .toString(),
                  clientId: 'Iv1.test',
                  clientSecret: 'client-secret',
                  webhookSecret: 'webhook-secret',
                },
              ],
            },
          ],
        },
      }),
      { requestTimeoutMs: 2_000, runLookupAttempts: 1, runLookupDelayMs: 10 },
    );
    const request = deploymentRequest(PROMOTION, { inputs: {} });
    request.config = {
      variables: { A: '1' },
      secrets: { S: 'SECRET-VALUE-app' },
    };
    const result = await asApp.deploy(request, signal());
    expect(result.status).toBe('running');
    expect(github.installationTokens).toEqual(['ghs_installation_1']);
    expect(env.variables.get('A')).toBe('1');
    expect(env.secrets.get('S')).toBe('SECRET-VALUE-app');
    const repoCalls = github.server.requests.filter(r =>
      r.url.startsWith('/repos/'),
    );
    expect(repoCalls.length).toBeGreaterThan(0);
    for (const r of repoCalls) {
      expect(r.headers.authorization).toBe('Bearer ghs_installation_1');
    }
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

  describe('the phase configuration reaches the GitHub Environment', () => {
    const SECRETS = {
      API_KEY: 'SECRET-VALUE-api-key-±é€ "quoted"',
      DATABASE_PASSWORD: 'SECRET-VALUE-db-pw-0123456789',
    };
    const configured = (
      settings: Record<string, unknown> = {},
    ): DeploymentRequest => ({
      ...deploymentRequest(PROMOTION, { inputs: {}, ...settings }),
      configVersion: 7,
      config: {
        variables: { LOG_LEVEL: 'debug', FEATURE_X: 'on' },
        database: {
          engine: 'postgres',
          host: 'db.live.internal',
          port: 5432,
          name: 'shop',
          user: 'shop_app',
          passwordSecret: 'DATABASE_PASSWORD',
        },
        sizing: { replicas: 3, cpu: '500m', memory: '512Mi' },
        secrets: { ...SECRETS },
      },
    });

    it('syncs variables, database and sizing to environment variables and secrets sealed with the environment key (the fake decrypts them), then dispatches with the environment inputs', async () => {
      const env = github.addEnvironment('live');
      const result = await provider.deploy(configured(), signal());
      expect(result.status).toBe('running');

      expect(Object.fromEntries(env.variables)).toEqual({
        LOG_LEVEL: 'debug',
        FEATURE_X: 'on',
        DB_ENGINE: 'postgres',
        DB_HOST: 'db.live.internal',
        DB_PORT: '5432',
        DB_NAME: 'shop',
        DB_USER: 'shop_app',
        REPLICAS: '3',
        CPU: '500m',
        MEMORY: '512Mi',
        RELEASE_MANAGER_NAMES: JSON.stringify({
          variables: [
            'CPU',
            'DB_ENGINE',
            'DB_HOST',
            'DB_NAME',
            'DB_PORT',
            'DB_USER',
            'FEATURE_X',
            'LOG_LEVEL',
            'MEMORY',
            'REPLICAS',
          ],
          secrets: ['API_KEY', 'DATABASE_PASSWORD', 'DB_PASSWORD'],
        }),
      });
      // Decrypted by the fake with its private key: exactly the values.
      expect(Object.fromEntries(env.secrets)).toEqual({
        API_KEY: SECRETS.API_KEY,
        DATABASE_PASSWORD: SECRETS.DATABASE_PASSWORD,
        DB_PASSWORD: SECRETS.DATABASE_PASSWORD,
      });
      for (const sealed of env.sealed.values()) {
        expect(sealed.key_id).toBe(github.keyId);
      }

      const dispatches = github.dispatches();
      expect(dispatches).toHaveLength(1);
      expect(JSON.parse(dispatches[0].body)).toEqual({
        ref: 'main',
        inputs: {
          promotion_id: PROMOTION,
          entity_ref: 'component:default/shop',
          phase: 'live',
          version: '1.4.0',
          artifact: 'ghcr.io/acme/shop:1.4.0',
          environment: 'live',
          config_version: '7',
        },
      });
      // Everything was synced before the workflow was dispatched.
      const order = github.server.requests.map(r => r.url);
      const dispatchAt = order.findIndex(u => u.endsWith('/dispatches'));
      const lastSync = order.reduce(
        (last, u, i) => (u.includes('/environments/') ? i : last),
        -1,
      );
      expect(lastSync).toBeLessThan(dispatchAt);
    });

    it('invariant 29: a secret value is never sent in the clear: not in a variable, an input, a URL or any request body', async () => {
      github.addEnvironment('live');
      await provider.deploy(configured(), signal());
      const secretPuts = github.server.requests.filter(
        r => r.method === 'PUT' && r.url.includes('/secrets/'),
      );
      expect(secretPuts).toHaveLength(3);
      for (const req of github.server.requests) {
        for (const value of Object.values(SECRETS)) {
          expect(req.body).not.toContain(value);
          expect(req.url).not.toContain(encodeURIComponent(value));
        }
        expect(req.body).not.toContain('SECRET-VALUE-');
      }
    });

    it('uses the documented names unless the phase renames them', async () => {
      const env = github.addEnvironment('live');
      await provider.deploy(
        configured({
          naming: {
            database: { host: 'DATABASE_HOST', password: 'PGPASSWORD' },
            sizing: { replicas: 'INSTANCES' },
          },
        }),
        signal(),
      );
      expect(env.variables.get('DATABASE_HOST')).toBe('db.live.internal');
      expect(env.variables.get('INSTANCES')).toBe('3');
      expect(env.variables.has('DB_HOST')).toBe(false);
      expect(env.secrets.get('PGPASSWORD')).toBe(SECRETS.DATABASE_PASSWORD);
    });

    it('removes the names it set before that the configuration no longer has, and leaves names set by hand', async () => {
      const env = github.addEnvironment('live');
      env.variables.set('SET_BY_HAND', 'keep');
      await provider.deploy(configured(), signal());
      const next = configured();
      next.promotionId = OTHER_PROMOTION;
      next.config.variables = { LOG_LEVEL: 'info' };
      next.config.database = undefined;
      next.config.secrets = { API_KEY: 'SECRET-VALUE-rotated' };
      await provider.deploy(next, signal());
      expect([...env.variables.keys()].sort()).toEqual([
        'CPU',
        'LOG_LEVEL',
        'MEMORY',
        'RELEASE_MANAGER_NAMES',
        'REPLICAS',
        'SET_BY_HAND',
      ]);
      expect(env.variables.get('LOG_LEVEL')).toBe('info');
      expect(Object.fromEntries(env.secrets)).toEqual({
        API_KEY: 'SECRET-VALUE-rotated',
      });
    });

    it('refuses a phase whose GitHub Environment does not exist, before dispatching', async () => {
      await expect(
        provider.deploy(configured({ environment: 'staging' }), signal()),
      ).rejects.toThrow(
        "the GitHub Environment 'staging' does not exist in acme/shop",
      );
      expect(github.dispatches()).toHaveLength(0);
    });

    it('refuses names GitHub reserves, and a name given twice, before any write', async () => {
      github.addEnvironment('live');
      const reserved = configured();
      reserved.config.variables = { GITHUB_TOKEN: 'x' };
      await expect(provider.deploy(reserved, signal())).rejects.toThrow(
        'GITHUB_TOKEN cannot be used in a GitHub Environment',
      );
      const twice = configured();
      twice.config.variables = { DB_HOST: 'other' };
      await expect(provider.deploy(twice, signal())).rejects.toThrow(
        'gives the environment variable DB_HOST twice',
      );
      expect(
        github.server.requests.filter(r => r.method !== 'GET'),
      ).toHaveLength(0);
    });

    it('with syncEnvironment: false only dispatches', async () => {
      const env = github.addEnvironment('live');
      await provider.deploy(configured({ syncEnvironment: false }), signal());
      expect(env.variables.size).toBe(0);
      expect(env.secrets.size).toBe(0);
      expect(github.dispatches()).toHaveLength(1);
    });
  });
});
