import { ConfigReader } from '@backstage/config';
import { DeploymentRequest } from '@release-manager/backstage-plugin-release-node';
import { KubernetesProvider } from './KubernetesProvider';
import { FakeKubernetes, TOKEN } from './__testUtils__/fakeKubernetes';
import {
  LocalServer,
  sendJson,
  startLocalServer,
} from '@internal/release-test-utils';

const PROMOTION = '6f1c2b9e-4d7a-4a53-9a4e-0c1f1e2d3a4b';
const OTHER_PROMOTION = '0a8f3e21-77b3-4c1e-8f0e-9d2c3b4a5e6f';
const SECRETS = {
  API_KEY: 'SECRET-VALUE-k8s-api-key-±é€ "q"',
  DATABASE_PASSWORD: 'SECRET-VALUE-k8s-db-password-0123',
};

function deploymentRequest(
  overrides: Partial<DeploymentRequest> = {},
  settings: Record<string, unknown> = {},
): DeploymentRequest {
  return {
    promotionId: PROMOTION,
    entityRef: 'component:default/shop',
    phase: 'live',
    release: {
      entityRef: 'component:default/shop',
      version: '1.4.0',
      artifact: `sha256:${'a'.repeat(64)}`,
      createdBy: 'user:default/alice',
      createdAt: '2026-01-10T10:00:00.000Z',
    },
    configVersion: 9,
    config: {
      variables: { LOG_LEVEL: 'warn' },
      database: {
        host: 'db.live.internal',
        port: 5432,
        passwordSecret: 'DATABASE_PASSWORD',
      },
      sizing: { replicas: 3, cpu: '500m', memory: '512Mi' },
      secrets: { ...SECRETS },
    },
    settings: {
      cluster: 'prod',
      namespace: 'shop-live',
      deployment: 'shop',
      container: 'app',
      image: 'ghcr.io/acme/shop',
      ...settings,
    },
    ...overrides,
  };
}

const signal = () => ({ signal: AbortSignal.timeout(5_000) });

describe('KubernetesProvider', () => {
  let k8s: FakeKubernetes;
  let metadata: LocalServer;
  let provider: KubernetesProvider;
  /**
   * The provider under test with a per-request deadline: long enough for a
   * busy machine (CI runs suites in parallel) where the server answers, short
   * where a test waits for it to pass.
   */
  const providerWith = (requestTimeoutMs: number) =>
    KubernetesProvider.fromConfig(
      new ConfigReader({
        release: {
          providers: {
            kubernetes: {
              clusters: [
                {
                  name: 'prod',
                  url: k8s.server.url,
                  serviceAccountToken: TOKEN,
                  skipTLSVerify: true,
                },
              ],
            },
          },
        },
      }),
      { requestTimeoutMs },
    );

  beforeEach(async () => {
    k8s = await FakeKubernetes.start();
    metadata = await startLocalServer((_req, res) => sendJson(res, 200, {}));
    provider = providerWith(1_500);
  });

  afterEach(async () => {
    await k8s.server.close();
    await metadata.close();
  });

  it('writes the secrets into a Secret and updates image, replicas, resources and env of the Deployment, values exactly', async () => {
    const result = await provider.deploy(deploymentRequest(), signal());
    expect(result).toMatchObject({
      externalId: `prod/shop-live/shop:${PROMOTION}`,
      status: 'running',
    });
    expect(k8s.secretValues()).toEqual({
      ...SECRETS,
      DB_PASSWORD: SECRETS.DATABASE_PASSWORD,
    });
    const secret = k8s.secrets.get('shop-live/shop-release-live')!;
    expect(secret.type).toBe('Opaque');
    expect(secret.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'backstage-release-manager',
    });

    const d = k8s.deployment();
    expect(d.metadata.annotations).toEqual({
      'acme.test/team': 'shop',
      'release.backstage.io/promotion-id': PROMOTION,
      'release.backstage.io/config-version': '9',
      'release.backstage.io/managed-env':
        'CPU,DB_HOST,DB_PORT,LOG_LEVEL,MEMORY,REPLICAS',
    });
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.metadata.annotations).toEqual({
      'release.backstage.io/promotion-id': PROMOTION,
    });
    const [app, proxy] = d.spec.template.spec.containers;
    expect(app).toEqual({
      name: 'app',
      image: `ghcr.io/acme/shop@sha256:${'a'.repeat(64)}`,
      env: [
        { name: 'SET_BY_HAND', value: 'keep' },
        { name: 'CPU', value: '500m' },
        { name: 'DB_HOST', value: 'db.live.internal' },
        { name: 'DB_PORT', value: '5432' },
        { name: 'LOG_LEVEL', value: 'warn' },
        { name: 'MEMORY', value: '512Mi' },
        { name: 'REPLICAS', value: '3' },
      ],
      envFrom: [{ secretRef: { name: 'shop-release-live' } }],
      resources: { requests: { cpu: '500m', memory: '512Mi' } },
    });
    expect(proxy).toEqual({ name: 'proxy', image: 'envoyproxy/envoy:v1.30' });
    // Every call carried the service account token.
    for (const req of k8s.server.requests) {
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
  });

  it('follows the rollout: observedGeneration, updated, old replicas, then available', async () => {
    await provider.deploy(deploymentRequest(), signal());
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await provider.getStatus(deploymentRequest(), signal());
      messages.push(`${s!.status}: ${s!.message}`);
      if (s!.status === 'succeeded') break;
    }
    expect(messages).toEqual([
      'running: 0 of 3 replicas updated',
      'running: 1 old replicas pending termination',
      'succeeded: Rolled out: 3 of 3 replicas available',
    ]);
  });

  it('invariant 29: secret values are only in the Secret: not in the Deployment, a result or a message', async () => {
    const result = await provider.deploy(deploymentRequest(), signal());
    const status = await provider.getStatus(deploymentRequest(), signal());
    const outside = [
      JSON.stringify(k8s.deployment()),
      JSON.stringify(result),
      JSON.stringify(status),
      ...k8s.server.requests
        .filter(r => !r.url.includes('/secrets'))
        .map(r => r.body),
    ].join('\n');
    expect(outside).not.toContain('SECRET-VALUE-');
    // In the Secret they are base64, as Kubernetes stores them.
    const raw = k8s.server.requests.find(r => r.method === 'POST')!.body;
    expect(raw).not.toContain('SECRET-VALUE-');
  });

  it('replaces the Secret so it holds exactly the current secrets, and drops env names it set before', async () => {
    await provider.deploy(deploymentRequest(), signal());
    await provider.deploy(
      deploymentRequest({
        promotionId: OTHER_PROMOTION,
        config: {
          variables: { LOG_LEVEL: 'info' },
          secrets: { API_KEY: 'SECRET-VALUE-rotated' },
        },
      }),
      signal(),
    );
    expect(k8s.secretValues()).toEqual({ API_KEY: 'SECRET-VALUE-rotated' });
    const app = k8s.deployment().spec.template.spec.containers[0];
    expect(app.env).toEqual([
      { name: 'SET_BY_HAND', value: 'keep' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(app.envFrom).toEqual([{ secretRef: { name: 'shop-release-live' } }]);
  });

  it('invariant 22: after a crash between the apply and its acknowledgement, getStatus recovers the real state from the annotation — no second apply', async () => {
    k8s.fault = req =>
      req.method === 'PUT' && req.url.includes('/deployments/')
        ? { kind: 'applyThenHang' }
        : undefined;
    const first = await provider.deploy(deploymentRequest(), signal());
    expect(first.status).toBe('unknown');
    expect(
      k8s.deployment().metadata.annotations[
        'release.backstage.io/promotion-id'
      ],
    ).toBe(PROMOTION);
    k8s.fault = undefined;

    // A new process asks first.
    const recovered = await provider.getStatus(deploymentRequest(), signal());
    expect(recovered).toMatchObject({ status: 'running' });
    const again = await provider.deploy(deploymentRequest(), signal());
    expect(again.message).toMatch(/^Already applied for this promotion/);
    expect(k8s.puts()).toHaveLength(1);
  });

  it('invariant 22: getStatus is null when the workload carries no or another promotion', async () => {
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toBeNull();
    await provider.deploy(
      deploymentRequest({ promotionId: OTHER_PROMOTION }),
      signal(),
    );
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toBeNull();
  });

  it('invariant 25: a rollout past its progress deadline fails', async () => {
    k8s.rollout = 'deadline';
    await provider.deploy(deploymentRequest(), signal());
    let status;
    for (let i = 0; i < 4; i++) {
      status = await provider.getStatus(deploymentRequest(), signal());
      if (status?.status !== 'running') break;
    }
    expect(status).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('exceeded its progress deadline'),
    });
  });

  it('a stuck rollout stays running, never succeeded', async () => {
    k8s.rollout = 'stuck';
    await provider.deploy(deploymentRequest(), signal());
    for (let i = 0; i < 4; i++) {
      const s = await provider.getStatus(deploymentRequest(), signal());
      expect(s!.status).toBe('running');
    }
  });

  describe('invariant 24: a timeout or malformed answer is unknown, never succeeded', () => {
    it('a hanging API server is unknown within the deadline, nothing applied', async () => {
      provider = providerWith(400);
      k8s.fault = () => ({ kind: 'hang' });
      const started = Date.now();
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toMatchObject({
        status: 'unknown',
        message: expect.stringContaining('within the deadline'),
      });
      await expect(
        provider.getStatus(deploymentRequest(), signal()),
      ).resolves.toMatchObject({ status: 'unknown' });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(k8s.puts()).toHaveLength(0);
    });

    it.each([500, 503, 429, 409])('HTTP %s is unknown', async status => {
      k8s.fault = req =>
        req.method === 'PUT' ? { kind: 'status', status } : undefined;
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toMatchObject({
        status: 'unknown',
        message: `The API server answered HTTP ${status}`,
      });
    });

    it('the caller’s deadline ends the call as unknown', async () => {
      k8s.fault = () => ({ kind: 'hang' });
      await expect(
        provider.getStatus(deploymentRequest(), {
          signal: AbortSignal.timeout(50),
        }),
      ).resolves.toMatchObject({ status: 'unknown' });
    });
  });

  it('invariant 28: redirects are not followed', async () => {
    k8s.fault = () => ({ kind: 'redirect', location: `${metadata.url}/x` });
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).resolves.toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('redirects are not followed'),
    });
    expect(metadata.requests).toHaveLength(0);
  });

  it('a missing Deployment or container fails with a configuration error', async () => {
    await expect(
      provider.deploy(deploymentRequest({}, { deployment: 'nope' }), signal()),
    ).resolves.toMatchObject({
      status: 'failed',
      message: expect.stringContaining(
        'the Deployment shop-live/nope does not exist',
      ),
    });
    await expect(
      provider.deploy(deploymentRequest({}, { container: 'web' }), signal()),
    ).resolves.toMatchObject({
      status: 'failed',
      message: expect.stringContaining("has no container 'web'"),
    });
    expect(k8s.puts()).toHaveLength(0);
    expect(k8s.secrets.size).toBe(0);
  });

  it('a refused Secret write names the Secret and the status only, never the server’s message (it may quote the data)', async () => {
    k8s.fault = req =>
      req.method === 'POST' && req.url.includes('/secrets')
        ? { kind: 'status', status: 422 }
        : undefined;
    const error = await provider.deploy(deploymentRequest(), signal()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toBe(
      'kubernetes provider: writing the Secret shop-live/shop-release-live was refused (HTTP 422)',
    );
    expect(k8s.puts()).toHaveLength(0);
  });

  it('a refused call throws a clear error that does not carry the token', async () => {
    const wrong = KubernetesProvider.fromConfig(
      new ConfigReader({
        release: {
          providers: {
            kubernetes: {
              clusters: [
                {
                  name: 'prod',
                  url: k8s.server.url,
                  serviceAccountToken: 'wrong-token',
                  skipTLSVerify: true,
                },
              ],
            },
          },
        },
      }),
    );
    const error = await wrong.deploy(deploymentRequest(), signal()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/HTTP 401: Unauthorized/);
    expect(error?.message).not.toContain('wrong-token');
  });

  it('finds clusters in the Kubernetes plugin config (service account auth)', async () => {
    const fromPlugin = KubernetesProvider.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'prod',
                  url: k8s.server.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: TOKEN,
                  // The fake speaks plain HTTP, which the client allows only so.
                  skipTLSVerify: true,
                },
                {
                  name: 'oidc-only',
                  url: k8s.server.url,
                  authProvider: 'oidc',
                },
              ],
            },
          ],
        },
      }),
    );
    await expect(
      fromPlugin.deploy(deploymentRequest(), signal()),
    ).resolves.toMatchObject({ status: 'running' });
    await expect(
      fromPlugin.deploy(
        deploymentRequest({}, { cluster: 'oidc-only' }),
        signal(),
      ),
    ).rejects.toThrow("cluster 'oidc-only' is not configured");
  });

  it.each([
    [
      'no cluster',
      { cluster: undefined },
      "phase setting 'cluster' is required",
    ],
    [
      'a bad namespace',
      { namespace: 'Shop_Live' },
      "'namespace' must be a namespace name",
    ],
    [
      'a bad deployment',
      { deployment: '../x' },
      "'deployment' must be a Deployment name",
    ],
    [
      'bad naming',
      { naming: { sizing: { cpus: 'X' } } },
      "'naming.sizing.cpus' is unknown",
    ],
  ])('rejects phase settings with %s', async (_n, settings, message) => {
    await expect(
      provider.deploy(deploymentRequest({}, settings), signal()),
    ).rejects.toThrow(message);
    expect(k8s.server.requests).toHaveLength(0);
  });
});
