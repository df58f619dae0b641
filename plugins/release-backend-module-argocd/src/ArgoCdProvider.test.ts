import { ConfigReader } from '@backstage/config';
import { DeploymentRequest } from '@release-manager/backstage-plugin-release-node';
import { ArgoCdProvider, PROMOTION_ANNOTATION } from './ArgoCdProvider';
import {
  APP_PATH,
  FakeArgoCd,
  helmApp,
  kustomizeApp,
  OTHER_PROMOTION,
  PROMOTION,
  TOKEN,
} from './__testUtils__/fakeArgoCd';
import {
  LocalServer,
  sendJson,
  startLocalServer,
} from '@internal/release-test-utils';

function deploymentRequest(
  promotionId = PROMOTION,
  settings: Record<string, unknown> = { image: 'ghcr.io/acme/shop' },
  artifact = '1.4.0',
): DeploymentRequest {
  return {
    promotionId,
    entityRef: 'component:default/shop',
    phase: 'live',
    release: {
      entityRef: 'component:default/shop',
      version: '1.4.0',
      artifact,
      createdBy: 'user:default/alice',
      createdAt: '2026-01-10T10:00:00.000Z',
    },
    config: { variables: {}, secrets: {} },
    settings: {
      type: 'argocd',
      instance: 'prod',
      application: 'shop-live',
      ...settings,
    },
  };
}

const signal = () => ({ signal: AbortSignal.timeout(5_000) });

describe('ArgoCdProvider', () => {
  let argo: FakeArgoCd;
  let metadata: LocalServer;
  let provider: ArgoCdProvider;

  /**
   * The provider under test with a per-request deadline: long enough for a
   * busy machine (CI runs suites in parallel) where the server answers, short
   * where a test waits for a hanging server to pass it.
   */
  const providerWith = (requestTimeoutMs: number) =>
    ArgoCdProvider.fromConfig(
      new ConfigReader({
        release: {
          providers: {
            argocd: {
              instances: [
                { name: 'prod', url: `${argo.server.url}/`, token: TOKEN },
              ],
            },
          },
        },
      }),
      { requestTimeoutMs },
    );

  beforeEach(async () => {
    argo = await FakeArgoCd.start();
    metadata = await startLocalServer((_req, res) => sendJson(res, 200, {}));
    provider = providerWith(1_500);
  });

  afterEach(async () => {
    await argo.server.close();
    await metadata.close();
  });

  it('sets the kustomize image, annotates the promotion and syncs', async () => {
    const result = await provider.deploy(deploymentRequest(), signal());

    expect(result).toEqual({
      externalId: `shop-live:${PROMOTION}`,
      url: `${argo.server.url}/applications/shop-live`,
      status: 'running',
      message: 'Sync of shop-live requested',
    });
    expect(argo.server.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      `GET ${APP_PATH}`,
      `PUT ${APP_PATH}`,
      `POST ${APP_PATH}/sync`,
    ]);
    for (const req of argo.server.requests) {
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    const put = JSON.parse(argo.received('PUT')[0].body);
    expect(put.metadata).toEqual({
      name: 'shop-live',
      namespace: 'argocd',
      resourceVersion: '100',
      annotations: {
        'acme.test/team': 'shop',
        [PROMOTION_ANNOTATION]: PROMOTION,
      },
    });
    expect(put.spec.source.kustomize.images).toEqual([
      'ghcr.io/acme/sidecar:2.0',
      'ghcr.io/acme/shop:1.4.0',
    ]);
    expect(put.spec.destination).toEqual(kustomizeApp().spec.destination);
    expect(
      JSON.parse(argo.received('POST', `${APP_PATH}/sync`)[0].body),
    ).toEqual({
      prune: false,
      infos: [{ name: PROMOTION_ANNOTATION, value: PROMOTION }],
    });
  });

  it.each([
    [
      'a digest',
      `sha256:${'a'.repeat(64)}`,
      `ghcr.io/acme/shop@sha256:${'a'.repeat(64)}`,
    ],
    [
      'a full image reference',
      'registry.acme.test/shop:1.4.0',
      'ghcr.io/acme/shop=registry.acme.test/shop:1.4.0',
    ],
  ])('sets the image to %s', async (_name, artifact, entry) => {
    await provider.deploy(
      deploymentRequest(PROMOTION, { image: 'ghcr.io/acme/shop' }, artifact),
      signal(),
    );
    const put = JSON.parse(argo.received('PUT')[0].body);
    expect(put.spec.source.kustomize.images).toEqual([
      'ghcr.io/acme/sidecar:2.0',
      entry,
    ]);
  });

  it('sets a Helm parameter to the artifact', async () => {
    argo.app = helmApp();
    await provider.deploy(
      deploymentRequest(PROMOTION, { helmParameter: 'image.tag' }),
      signal(),
    );
    const put = JSON.parse(argo.received('PUT')[0].body);
    expect(put.spec.source.helm.parameters).toEqual([
      { name: 'replicaCount', value: '3' },
      { name: 'image.tag', value: '1.4.0', forceString: true },
    ]);
    expect(put.metadata.annotations[PROMOTION_ANNOTATION]).toBe(PROMOTION);
  });

  it('follows a sync from running to succeeded with progress messages', async () => {
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).resolves.toMatchObject({ status: 'running' });
    const follow = () => provider.getStatus(deploymentRequest(), signal());

    await expect(follow()).resolves.toMatchObject({
      status: 'running',
      message: 'Sync requested; waiting for the Argo CD controller',
    });
    argo.controller('Running', 'Progressing', 'OutOfSync');
    await expect(follow()).resolves.toMatchObject({
      status: 'running',
      message: 'Sync Running',
    });
    argo.controller('Succeeded', 'Progressing');
    await expect(follow()).resolves.toMatchObject({
      status: 'running',
      message: 'Sync Succeeded; sync Synced, health Progressing',
    });
    argo.controller('Succeeded', 'Healthy');
    await expect(follow()).resolves.toEqual({
      externalId: `shop-live:${PROMOTION}`,
      url: `${argo.server.url}/applications/shop-live`,
      status: 'succeeded',
      message: 'Sync Succeeded; sync Synced, health Healthy',
    });
  });

  it('reports a failed sync or a degraded application as failed', async () => {
    await provider.deploy(deploymentRequest(), signal());
    argo.controller('Failed', 'Healthy', 'OutOfSync');
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toMatchObject({
      status: 'failed',
      message: 'Sync Failed (one or more objects failed to apply)',
    });
    argo.controller('Succeeded', 'Degraded');
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toMatchObject({
      status: 'failed',
      message: 'Sync Succeeded; sync Synced, health Degraded',
    });
  });

  it('invariant 22: getStatus finds the sync of a promotion before any second dispatch', async () => {
    // deploy's answer is lost (crash before acknowledgement).
    await provider.deploy(deploymentRequest(), signal());
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toMatchObject({ status: 'running' });
    argo.controller('Running', 'Progressing', 'OutOfSync');

    const again = await provider.deploy(deploymentRequest(), signal());
    expect(again).toMatchObject({
      externalId: `shop-live:${PROMOTION}`,
      status: 'running',
      message: 'Already deployed for this promotion; Sync Running',
    });
    expect(argo.received('PUT')).toHaveLength(1);
    expect(argo.received('POST', `${APP_PATH}/sync`)).toHaveLength(1);
  });

  it('invariant 22: an update without its sync is no deployment; deploying again syncs once', async () => {
    provider = providerWith(300);
    argo.fault = req =>
      req.url.endsWith('/sync') ? { kind: 'hang' } : undefined;
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).resolves.toMatchObject({ status: 'unknown' });
    expect(argo.app.metadata.annotations?.[PROMOTION_ANNOTATION]).toBe(
      PROMOTION,
    );
    argo.fault = undefined;

    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toBeNull();
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).resolves.toMatchObject({ status: 'running' });
    expect(argo.app.operation?.info).toEqual([
      { name: PROMOTION_ANNOTATION, value: PROMOTION },
    ]);
  });

  it('invariant 22: getStatus is null when the application carries no or another promotion', async () => {
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toBeNull();

    await provider.deploy(deploymentRequest(OTHER_PROMOTION), signal());
    argo.controller('Succeeded', 'Healthy');
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toBeNull();
    expect(argo.received('GET').length).toBeGreaterThan(0);
  });

  it('counts an automated sync of the promotion’s spec as its deployment', async () => {
    // The sync request was refused because auto-sync picked the change up first.
    argo.fault = req =>
      req.url.endsWith('/sync')
        ? {
            kind: 'status',
            status: 400,
            body: {
              error: 'another operation is already in progress',
              code: 9,
              message: 'another operation is already in progress',
            },
          }
        : undefined;
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).resolves.toMatchObject({
      status: 'unknown',
      message: expect.stringContaining(
        'another operation is already in progress',
      ),
    });
    argo.fault = undefined;
    argo.controller('Succeeded', 'Healthy');

    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toMatchObject({
      status: 'succeeded',
      message:
        'Release synced by another operation; sync Synced, health Healthy',
    });
    await provider.deploy(deploymentRequest(), signal());
    expect(argo.received('PUT')).toHaveLength(1);
  });

  describe('invariant 24: a timeout or malformed answer is unknown, never succeeded', () => {
    it('a 5xx answer is unknown and nothing is changed', async () => {
      argo.fault = () => ({ kind: 'status', status: 503 });
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toMatchObject({
        externalId: `shop-live:${PROMOTION}`,
        status: 'unknown',
        message: expect.stringContaining('HTTP 503'),
      });
      await expect(
        provider.getStatus(deploymentRequest(), signal()),
      ).resolves.toMatchObject({ status: 'unknown' });
      expect(argo.received('PUT')).toHaveLength(0);
    });

    it('a 5xx answer to the sync is unknown', async () => {
      argo.fault = req =>
        req.url.endsWith('/sync') ? { kind: 'status', status: 500 } : undefined;
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toMatchObject({ status: 'unknown' });
    });

    it('a hanging server is unknown within the deadline', async () => {
      provider = providerWith(300);
      argo.fault = () => ({ kind: 'hang' });
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
    });

    it.each([
      ['truncated JSON', '{"metadata": {"name": "shop-live"'],
      ['HTML', '<html><body>502 Bad Gateway</body></html>'],
      ['JSON that is not an Application', '[]'],
    ])('a malformed answer (%s) is unknown', async (_name, text) => {
      argo.fault = () => ({ kind: 'malformed', text });
      await expect(
        provider.deploy(deploymentRequest(), signal()),
      ).resolves.toMatchObject({ status: 'unknown' });
      await expect(
        provider.getStatus(deploymentRequest(), signal()),
      ).resolves.toMatchObject({ status: 'unknown' });
      expect(argo.received('PUT')).toHaveLength(0);
    });

    it('a succeeded sync with unknown health is not succeeded', async () => {
      await provider.deploy(deploymentRequest(), signal());
      argo.controller('Succeeded', 'Unknown');
      await expect(
        provider.getStatus(deploymentRequest(), signal()),
      ).resolves.toMatchObject({ status: 'unknown' });
    });
  });

  it('invariant 28: redirects are not followed', async () => {
    argo.fault = () => ({
      kind: 'redirect',
      location: `${metadata.url}/latest/meta-data`,
    });
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).resolves.toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('redirects are not followed'),
    });
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).resolves.toMatchObject({ status: 'unknown' });
    expect(metadata.requests).toHaveLength(0);
    expect(argo.received('PUT')).toHaveLength(0);
  });

  it('a 4xx answer throws a clear error that does not carry the token', async () => {
    argo.fault = req =>
      req.method === 'PUT'
        ? {
            kind: 'status',
            status: 403,
            body: {
              error: 'permission denied',
              code: 7,
              message: `permission denied: applications, update, default/shop-live, token ${TOKEN}`,
            },
          }
        : undefined;
    const error = await provider.deploy(deploymentRequest(), signal()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain(
      'HTTP 403: permission denied: applications, update, default/shop-live',
    );
    expect(error?.message).not.toContain(TOKEN);
    expect(argo.received('POST', `${APP_PATH}/sync`)).toHaveLength(0);

    argo.fault = () => ({
      kind: 'status',
      status: 404,
      body: { message: 'not found' },
    });
    await expect(
      provider.getStatus(deploymentRequest(), signal()),
    ).rejects.toThrow(/HTTP 404: not found/);
  });

  it('rejects a multi-source application', async () => {
    const { source, ...spec } = kustomizeApp().spec;
    argo.app.spec = { ...spec, sources: [source!] };
    await expect(
      provider.deploy(deploymentRequest(), signal()),
    ).rejects.toThrow(
      'multi-source applications (spec.sources) are not supported',
    );
    expect(argo.received('PUT')).toHaveLength(0);
  });

  it.each([
    [
      'no instance',
      { instance: undefined },
      "phase setting 'instance' is required",
    ],
    [
      'an unknown instance',
      { instance: 'staging' },
      "instance 'staging' is not configured",
    ],
    [
      'a bad application name',
      { application: '../admin' },
      "phase setting 'application'",
    ],
    [
      'both image and helmParameter',
      { helmParameter: 'image.tag' },
      'exactly one of',
    ],
    ['neither image nor helmParameter', { image: undefined }, 'exactly one of'],
  ])('rejects phase settings with %s', async (_name, settings, message) => {
    await expect(
      provider.deploy(
        deploymentRequest(PROMOTION, {
          image: 'ghcr.io/acme/shop',
          ...settings,
        }),
        signal(),
      ),
    ).rejects.toThrow(message);
    expect(argo.server.requests).toHaveLength(0);
  });

  it('rejects an instance url with credentials or another scheme', () => {
    for (const url of [
      'https://admin:pw@argocd.acme.test',
      'file:///etc/passwd',
    ]) {
      expect(() =>
        ArgoCdProvider.fromConfig(
          new ConfigReader({
            release: {
              providers: {
                argocd: { instances: [{ name: 'prod', url, token: TOKEN }] },
              },
            },
          }),
        ),
      ).toThrow('must be a plain http(s) URL');
    }
  });

  describe('the phase configuration reaches the Application by the documented mapping', () => {
    const SECRET = 'SECRET-VALUE-argo-db-password-55aa';
    const withConfig = (
      settings: Record<string, unknown>,
      secrets: Record<string, string> = {},
    ): DeploymentRequest => ({
      ...deploymentRequest(PROMOTION, settings),
      configVersion: 12,
      config: {
        variables: { LOG_LEVEL: 'warn' },
        database: {
          host: 'db.live',
          port: 5432,
          passwordSecret: secrets.DATABASE_PASSWORD
            ? 'DATABASE_PASSWORD'
            : undefined,
        },
        sizing: { replicas: 5, cpu: '750m', memory: '1Gi' },
        secrets,
      },
    });

    it('Helm: replicas, resources and env as Helm parameters, replacing the ones it set before', async () => {
      argo.app = helmApp();
      const result = await provider.deploy(
        withConfig({ helmParameter: 'image.tag' }),
        signal(),
      );
      expect(result.status).toBe('running');
      const put = JSON.parse(argo.received('PUT')[0].body);
      expect(put.spec.source.helm.parameters).toEqual([
        { name: 'image.tag', value: '1.4.0', forceString: true },
        { name: 'replicaCount', value: '5', forceString: false },
        { name: 'resources.requests.cpu', value: '750m', forceString: true },
        { name: 'resources.requests.memory', value: '1Gi', forceString: true },
        { name: 'env[0].name', value: 'CPU', forceString: true },
        { name: 'env[0].value', value: '750m', forceString: true },
        { name: 'env[1].name', value: 'DB_HOST', forceString: true },
        { name: 'env[1].value', value: 'db.live', forceString: true },
        { name: 'env[2].name', value: 'DB_PORT', forceString: true },
        { name: 'env[2].value', value: '5432', forceString: true },
        { name: 'env[3].name', value: 'LOG_LEVEL', forceString: true },
        { name: 'env[3].value', value: 'warn', forceString: true },
        { name: 'env[4].name', value: 'MEMORY', forceString: true },
        { name: 'env[4].value', value: '1Gi', forceString: true },
        { name: 'env[5].name', value: 'REPLICAS', forceString: true },
        { name: 'env[5].value', value: '5', forceString: true },
      ]);
      expect(put.metadata.annotations).toMatchObject({
        [PROMOTION_ANNOTATION]: PROMOTION,
        'release.backstage.io/config-version': '12',
      });
    });

    it('Helm: the parameter names are configurable, and false leaves one out', async () => {
      argo.app = helmApp();
      await provider.deploy(
        withConfig({
          helmParameter: 'image.tag',
          helmValues: {
            replicas: 'app.replicas',
            cpu: false,
            memory: false,
            env: 'app.env',
          },
        }),
        signal(),
      );
      const names = JSON.parse(
        argo.received('PUT')[0].body,
      ).spec.source.helm.parameters.map((p: { name: string }) => p.name);
      expect(names).toContain('app.replicas');
      expect(names).toContain('app.env[0].name');
      expect(names).toContain('replicaCount'); // the chart's own, left alone
      expect(names).not.toContain('resources.requests.cpu');
    });

    it('kustomize: a replicas override and one strategic-merge patch of the container (env, resources)', async () => {
      const result = await provider.deploy(
        withConfig({
          image: 'ghcr.io/acme/shop',
          workload: { name: 'shop', container: 'app' },
        }),
        signal(),
      );
      expect(result.status).toBe('running');
      const kustomize = JSON.parse(argo.received('PUT')[0].body).spec.source
        .kustomize;
      expect(kustomize.replicas).toEqual([{ name: 'shop', count: 5 }]);
      expect(kustomize.patches).toHaveLength(1);
      expect(kustomize.patches[0].target).toEqual({
        kind: 'Deployment',
        name: 'shop',
      });
      expect(JSON.parse(kustomize.patches[0].patch)).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'shop',
          annotations: { 'release.backstage.io/managed-patch': 'phase-config' },
        },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'app',
                  env: [
                    { name: 'CPU', value: '750m' },
                    { name: 'DB_HOST', value: 'db.live' },
                    { name: 'DB_PORT', value: '5432' },
                    { name: 'LOG_LEVEL', value: 'warn' },
                    { name: 'MEMORY', value: '1Gi' },
                    { name: 'REPLICAS', value: '5' },
                  ],
                  resources: { requests: { cpu: '750m', memory: '1Gi' } },
                },
              ],
            },
          },
        },
      });
      // A second deployment replaces its patch instead of adding one.
      argo.controller('Succeeded', 'Healthy');
      await provider.deploy(
        {
          ...withConfig({
            image: 'ghcr.io/acme/shop',
            workload: { name: 'shop', container: 'app' },
          }),
          promotionId: OTHER_PROMOTION,
        },
        signal(),
      );
      expect(argo.app.spec.source!.kustomize).toMatchObject({
        patches: [expect.anything()],
      });
    });

    it('kustomize: a configuration without a workload to patch is refused with a clear error, nothing written', async () => {
      const result = await provider.deploy(
        withConfig({ image: 'ghcr.io/acme/shop' }),
        signal(),
      );
      expect(result).toMatchObject({
        status: 'failed',
        message: expect.stringContaining("no 'workload' setting"),
      });
      expect(argo.server.requests).toHaveLength(0);
    });

    it('a phase with secrets but no secretRef is refused with a configuration error; nothing is written and no value is in the message', async () => {
      argo.app = helmApp();
      const result = await provider.deploy(
        withConfig(
          { helmParameter: 'image.tag' },
          { DATABASE_PASSWORD: SECRET },
        ),
        signal(),
      );
      expect(result.status).toBe('failed');
      expect(result.message).toContain(
        'has secrets (DATABASE_PASSWORD, DB_PASSWORD), and Argo CD would show their values',
      );
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(argo.server.requests).toHaveLength(0);
    });

    it('invariant 29: with secretRef, secrets reach the Application as secretKeyRef references only: no value in the spec the fake received', async () => {
      argo.app = helmApp();
      const result = await provider.deploy(
        withConfig(
          {
            helmParameter: 'image.tag',
            secretRef: { name: 'shop-live-secrets' },
          },
          { DATABASE_PASSWORD: SECRET, API_KEY: 'SECRET-VALUE-argo-api-key' },
        ),
        signal(),
      );
      expect(result.status).toBe('running');
      const params = JSON.parse(argo.received('PUT')[0].body).spec.source.helm
        .parameters as Array<{ name: string; value: string }>;
      const byName = Object.fromEntries(params.map(p => [p.name, p.value]));
      // Variables come first (6 of them), then the secrets by reference.
      expect(byName).toMatchObject({
        'env[6].name': 'API_KEY',
        'env[6].valueFrom.secretKeyRef.name': 'shop-live-secrets',
        'env[6].valueFrom.secretKeyRef.key': 'API_KEY',
        'env[7].name': 'DATABASE_PASSWORD',
        'env[7].valueFrom.secretKeyRef.key': 'DATABASE_PASSWORD',
        'env[8].name': 'DB_PASSWORD',
        'env[8].valueFrom.secretKeyRef.key': 'DB_PASSWORD',
      });
      for (const req of argo.server.requests) {
        expect(req.body).not.toContain('SECRET-VALUE-');
      }
      expect(JSON.stringify(argo.app)).not.toContain('SECRET-VALUE-');
      expect(JSON.stringify(result)).not.toContain('SECRET-VALUE-');
    });

    it('refuses bad mapping settings with a clear error', async () => {
      await expect(
        provider.deploy(
          withConfig({
            helmParameter: 'image.tag',
            helmValues: { replicas: 'a b' },
          }),
          signal(),
        ),
      ).rejects.toThrow(
        "phase setting 'helmValues.replicas' must be a Helm parameter name",
      );
      await expect(
        provider.deploy(
          withConfig({
            image: 'ghcr.io/acme/shop',
            secretRef: { name: 'Bad_Name' },
          }),
          signal(),
        ),
      ).rejects.toThrow(
        "phase setting 'secretRef.name' must name a Kubernetes Secret",
      );
    });
  });
});
