import { ServerResponse } from 'http';
import {
  LocalServer,
  ReceivedRequest,
  sendJson,
  startLocalServer,
} from '@internal/release-test-utils';

export const TOKEN = 'k8s-test-service-account-token-0123456789';

/** How the fake deployment controller rolls a new generation out. */
export type RolloutMode = 'complete' | 'stuck' | 'deadline';

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'hang' }
  | { kind: 'redirect'; location: string }
  /** Applies the request, then never answers (a crash before the acknowledgement). */
  | { kind: 'applyThenHang' };

type Obj = Record<string, any>;

/** A Deployment `shop` in namespace `shop-live`, rolled out, one container `app`. */
export function shopDeployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'shop',
      namespace: 'shop-live',
      generation: 3,
      resourceVersion: '500',
      annotations: { 'acme.test/team': 'shop' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'shop' } },
      template: {
        metadata: { labels: { app: 'shop' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'ghcr.io/acme/shop:1.3.0',
              env: [{ name: 'SET_BY_HAND', value: 'keep' }],
            },
            { name: 'proxy', image: 'envoyproxy/envoy:v1.30' },
          ],
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
        },
      ],
    },
  };
}

/**
 * The Kubernetes API server's apps/v1 Deployment and core/v1 Secret
 * endpoints as documented: PUT replaces and checks `resourceVersion` (409
 * on a stale one), a spec change bumps `metadata.generation`, the
 * controller observes it and rolls it out over the next reads.
 */
export class FakeKubernetes {
  deployments = new Map<string, Obj>([['shop-live/shop', shopDeployment()]]);
  secrets = new Map<string, Obj>();
  rollout: RolloutMode = 'complete';
  fault?: (req: ReceivedRequest) => Fault | undefined;
  server!: LocalServer;
  private steps = new Map<string, number>();

  static async start(): Promise<FakeKubernetes> {
    const fake = new FakeKubernetes();
    fake.server = await startLocalServer((req, res) => fake.handle(req, res));
    return fake;
  }

  deployment(): Obj {
    return this.deployments.get('shop-live/shop')!;
  }

  /** The Secret's values, decoded from `data`. */
  secretValues(key = 'shop-live/shop-release-live'): Record<string, string> {
    const s = this.secrets.get(key);
    return Object.fromEntries(
      Object.entries((s?.data ?? {}) as Record<string, string>).map(
        ([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')],
      ),
    );
  }

  puts(): ReceivedRequest[] {
    return this.server.requests.filter(
      r => r.method === 'PUT' && r.url.includes('/deployments/'),
    );
  }

  /** One step of the controller on a read. */
  private advance(key: string, d: Obj) {
    const desired = d.spec.replicas ?? 1;
    if (d.status.observedGeneration < d.metadata.generation) {
      d.status = {
        ...d.status,
        observedGeneration: d.metadata.generation,
        updatedReplicas: 0,
        availableReplicas: desired,
        replicas: desired,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
          },
          { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
        ],
      };
      this.steps.set(key, 1);
      return;
    }
    const step = this.steps.get(key);
    if (step === 1) {
      d.status.updatedReplicas = desired;
      d.status.replicas = desired + 1;
      d.status.availableReplicas = desired;
      this.steps.set(key, 2);
    } else if (step === 2 && this.rollout === 'complete') {
      d.status.replicas = desired;
      d.status.availableReplicas = desired;
      d.status.conditions[1] = {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
      };
      this.steps.delete(key);
    } else if (step === 2 && this.rollout === 'deadline') {
      d.status.conditions[1] = {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "shop-7d9" has timed out progressing.',
      };
    }
  }

  private handle(req: ReceivedRequest, res: ServerResponse) {
    const fault = this.fault?.(req);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') {
      sendJson(res, fault.status, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'the server is currently unable to handle the request',
        code: fault.status,
      });
      return;
    }
    if (fault?.kind === 'redirect') {
      res.writeHead(302, { Location: fault.location });
      res.end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      sendJson(res, 401, {
        kind: 'Status',
        status: 'Failure',
        message: 'Unauthorized',
        code: 401,
      });
      return;
    }
    const answer = (status: number, body: unknown) => {
      if (fault?.kind === 'applyThenHang') return;
      sendJson(res, status, body);
    };
    const notFound = (what: string) =>
      answer(404, {
        kind: 'Status',
        status: 'Failure',
        message: `${what} not found`,
        reason: 'NotFound',
        code: 404,
      });
    const path = req.url.split('?')[0];
    const dep =
      /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/.exec(
        path,
      );
    const secretList = /^\/api\/v1\/namespaces\/([^/]+)\/secrets$/.exec(path);
    const secret = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(
      path,
    );
    if (dep) {
      const key = `${dep[1]}/${dep[2]}`;
      const d = this.deployments.get(key);
      if (!d) {
        notFound(`deployments.apps "${dep[2]}"`);
        return;
      }
      if (req.method === 'GET') {
        this.advance(key, d);
        answer(200, d);
      } else if (req.method === 'PUT') {
        const body = JSON.parse(req.body);
        if (body.metadata?.resourceVersion !== d.metadata.resourceVersion) {
          answer(409, {
            kind: 'Status',
            status: 'Failure',
            reason: 'Conflict',
            message: 'the object has been modified',
            code: 409,
          });
          return;
        }
        const specChanged =
          JSON.stringify(body.spec) !== JSON.stringify(d.spec);
        const next = {
          ...body,
          metadata: {
            ...body.metadata,
            generation: d.metadata.generation + (specChanged ? 1 : 0),
            resourceVersion: String(Number(d.metadata.resourceVersion) + 1),
          },
          status: d.status,
        };
        this.deployments.set(key, next);
        answer(200, next);
      } else {
        answer(405, { kind: 'Status', code: 405 });
      }
    } else if (secretList && req.method === 'POST') {
      const body = JSON.parse(req.body);
      const key = `${secretList[1]}/${body.metadata.name}`;
      if (this.secrets.has(key)) {
        answer(409, { kind: 'Status', reason: 'AlreadyExists', code: 409 });
        return;
      }
      const stored = {
        ...body,
        metadata: { ...body.metadata, resourceVersion: '1' },
      };
      this.secrets.set(key, stored);
      answer(201, stored);
    } else if (secret) {
      const key = `${secret[1]}/${secret[2]}`;
      const s = this.secrets.get(key);
      if (!s) {
        notFound(`secrets "${secret[2]}"`);
        return;
      }
      if (req.method === 'GET') {
        answer(200, s);
      } else if (req.method === 'PUT') {
        const body = JSON.parse(req.body);
        if (body.metadata?.resourceVersion !== s.metadata.resourceVersion) {
          answer(409, { kind: 'Status', reason: 'Conflict', code: 409 });
          return;
        }
        const stored = {
          ...body,
          metadata: {
            ...body.metadata,
            resourceVersion: String(Number(s.metadata.resourceVersion) + 1),
          },
        };
        this.secrets.set(key, stored);
        answer(200, stored);
      }
    } else {
      notFound(path);
    }
  }
}
