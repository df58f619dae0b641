import { JsonObject } from '@backstage/types';
import { ServerResponse } from 'http';
import {
  LocalServer,
  ReceivedRequest,
  sendJson,
  startLocalServer,
} from '@internal/release-test-utils';

export const TOKEN = 'argocd-test-secret-token-0123456789';
export const PROMOTION = '6f1c2b9e-4d7a-4a53-9a4e-0c1f1e2d3a4b';
export const OTHER_PROMOTION = '0a8f3e21-77b3-4c1e-8f0e-9d2c3b4a5e6f';
export const APP_PATH = '/api/v1/applications/shop-live';

export type Fault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'malformed'; text: string }
  | { kind: 'redirect'; location: string };

export interface Application {
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

export function kustomizeApp(): Application {
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

export function helmApp(): Application {
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
export class FakeArgoCd {
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
