import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { DeploymentRequest } from '@release-manager/backstage-plugin-release-node';
import { ServerResponse } from 'http';
import { ArgoCdProvider, PROMOTION_ANNOTATION } from './ArgoCdProvider';
import {
  LocalServer,
  ReceivedRequest,
  sendJson,
  startLocalServer,
} from './__testUtils__/localServer';

const TOKEN = 'argocd-test-secret-token-0123456789';
const PROMOTION = '6f1c2b9e-4d7a-4a53-9a4e-0c1f1e2d3a4b';
const OTHER_PROMOTION = '0a8f3e21-77b3-4c1e-8f0e-9d2c3b4a5e6f';
const APP_PATH = '/api/v1/applications/shop-live';

type Fault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'malformed'; text: string }
  | { kind: 'redirect'; location: string };

interface Application {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion: string;
    annotations?: Record<string, string>;
  };
  spec: {
    project: string;
    source?: JsonObject;
    sources?: JsonObject[];
    destination: JsonObject;
  };
  operation?: JsonObject;
  status: {
    sync: { status: string; comparedTo?: { source?: JsonObject } };
    health: { status: string };
    operationState?: JsonObject;
  };
}

function kustomizeApp(): Application {
  const source = {
    repoURL: 'https://git.acme.test/shop-deploy.git',
    path: 'overlays/live',
    targetRevision: 'main',
    kustomize: {
      images: ['ghcr.io/acme/shop:1.3.0', 'ghcr.io/acme/sidecar:2.0'],
    },
  };
  return {
    metadata: {
      name: 'shop-live',
      namespace: 'argocd',
      resourceVersion: '100',
      annotations: { 'acme.test/team': 'shop' },
    },
    spec: {
      project: 'default',
      source,
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'shop',
      },
    },
    status: {
      sync: { status: 'Synced', comparedTo: { source } },
      health: { status: 'Healthy' },
      operationState: {
        operation: {
          sync: { revision: 'abc123' },
          initiatedBy: { automated: true },
        },
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
      },
    },
  };
}

function helmApp(): Application {
  const app = kustomizeApp();
  app.spec.source = {
    repoURL: 'https://charts.acme.test',
    chart: 'shop',
    targetRevision: '3.1.0',
    helm: {
      parameters: [
        { name: 'replicaCount', value: '3' },
        { name: 'image.tag', value: '1.3.0' },
      ],
    },
  };
  return app;
}

/**
 * Argo CD's application API as documented: GET and PUT take and return the
 * Application; sync sets `operation` (with the request's `infos`) and refuses
 * while another operation is pending; the controller later moves it to
 * `status.operationState`.
 */
class FakeArgoCd {
  app: Application = kustomizeApp();
  fault?: (req: ReceivedRequest) => Fault | undefined;

  server!: LocalServer;

  static async start(): Promise<FakeArgoCd> {
    const fake = new FakeArgoCd();
    fake.server = await startLocalServer((req, res) => fake.handle(req, res));
    return fake;
  }

  received(method: string, path = APP_PATH): ReceivedRequest[] {
    return this.server.requests.filter(
      r => r.method === method && r.url === path,
    );
  }

  /** The controller runs the requested operation to `phase`. */
  controller(phase: string, health: string, sync = 'Synced') {
    const operation =
      this.app.operation ?? this.app.status.operationState?.operation;
    delete this.app.operation;
    this.app.status.operationState = {
      operation: operation ?? null,
      phase,
      message: phase === 'Failed' ? 'one or more objects failed to apply' : '',
    };
    this.app.status.health.status = health;
    this.app.status.sync = {
      status: sync,
      comparedTo: { source: structuredClone(this.app.spec.source) },
    };
  }

  private handle(req: ReceivedRequest, res: ServerResponse) {
    const fault = this.fault?.(req);
    if (fault?.kind === 'hang') {
      return;
    }
    if (fault?.kind === 'status') {
      sendJson(
        res,
        fault.status,
        fault.body ?? {
          error: 'internal error',
          code: 13,
          message: 'internal error',
        },
      );
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
      sendJson(res, 401, {
        error: 'no session information',
        code: 16,
        message: 'no session information',
      });
      return;
    }
    if (req.method === 'GET' && req.url === APP_PATH) {
      sendJson(res, 200, this.app);
    } else if (req.method === 'PUT' && req.url === APP_PATH) {
      const body = JSON.parse(req.body) as Application;
      if (body.metadata.resourceVersion !== this.app.metadata.resourceVersion) {
        sendJson(res, 409, {
          error: 'conflict',
          code: 10,
          message: 'the object has been modified',
        });
        return;
      }
      this.app.metadata = {
        ...body.metadata,
        resourceVersion: String(Number(body.metadata.resourceVersion) + 1),
      };
      this.app.spec = body.spec;
      sendJson(res, 200, this.app);
    } else if (req.method === 'POST' && req.url === `${APP_PATH}/sync`) {
      if (this.app.operation) {
        sendJson(res, 400, {
          error: 'another operation is already in progress',
          code: 9,
          message: 'another operation is already in progress',
        });
        return;
      }
      const body = JSON.parse(req.body);
      this.app.operation = {
        sync: { prune: body.prune, revision: 'main' },
        initiatedBy: { username: 'release-manager' },
        info: body.infos ?? null,
      };
      sendJson(res, 200, this.app);
    } else {
      sendJson(res, 404, {
        error: 'applications.argoproj.io not found',
        code: 5,
        message: 'applications.argoproj.io not found',
      });
    }
  }
}

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

  beforeEach(async () => {
    argo = await FakeArgoCd.start();
    metadata = await startLocalServer((_req, res) => sendJson(res, 200, {}));
    provider = ArgoCdProvider.fromConfig(
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
      { requestTimeoutMs: 300 },
    );
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
});
