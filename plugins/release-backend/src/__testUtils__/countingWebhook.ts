import http from 'http';
import { signWebhook } from '../providers/WebhookProvider';

/*
 * A deployment system behind the `webhook` provider's real API, for the
 * crash test: `POST /deploy` starts a deployment (the idempotency key is the
 * promotion id), `GET /status/:promotionId` answers 404 for a deployment it
 * never received, else `running` then `succeeded`. It counts every deploy
 * call per promotion, and tells which backend process made each call by the
 * process's own signing secret.
 *
 * The first deploy of a promotion is held: the deployment has started, but
 * the answer is not sent until `release()` (or never, when the caller is
 * killed meanwhile) — the window between dispatch and acknowledgement.
 */

/** One call the fake received. */
export interface WebhookCall {
  kind: 'deploy' | 'status';
  promotionId: string;
  idempotencyKey?: string;
  /** The backend process whose secret signed the call, or undefined. */
  sender?: string;
  at: number;
}

interface Deployment {
  externalId: string;
  receivedAt: number;
  /** When the first status query came (running until a moment after). */
  firstStatusAt?: number;
  held?: http.ServerResponse;
}

export async function startCountingWebhook(options: {
  port: number;
  /** Signing secret of each backend process, by process name. */
  secrets: Record<string, string>;
  /** How long a deployment runs after it was first asked about. */
  runningMs?: number;
}) {
  const runningMs = options.runningMs ?? 300;
  const calls: WebhookCall[] = [];
  const deployments = new Map<string, Deployment>();
  const waiters: Array<{
    match: (c: WebhookCall) => boolean;
    resolve: (c: WebhookCall) => void;
  }> = [];
  const sockets = new Set<import('net').Socket>();

  function senderOf(req: http.IncomingMessage, body: string) {
    const timestamp = String(req.headers['x-release-timestamp'] ?? '');
    const signature = String(req.headers['x-release-signature'] ?? '');
    return Object.entries(options.secrets).find(
      ([, secret]) => signWebhook(secret, timestamp, body) === signature,
    )?.[0];
  }

  function record(call: WebhookCall) {
    calls.push(call);
    for (const w of waiters.splice(0)) {
      if (w.match(call)) w.resolve(call);
      else waiters.push(w);
    }
  }

  function send(res: http.ServerResponse, status: number, body?: unknown) {
    res.statusCode = status;
    if (body !== undefined) res.setHeader('content-type', 'application/json');
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      const sender = senderOf(req, req.method === 'POST' ? body : '');
      const now = Date.now();
      if (req.method === 'POST' && req.url === '/deploy') {
        const parsed = JSON.parse(body) as { promotionId: string };
        const key = req.headers['idempotency-key'] as string | undefined;
        const existing = deployments.get(parsed.promotionId);
        record({
          kind: 'deploy',
          promotionId: parsed.promotionId,
          idempotencyKey: key,
          sender,
          at: now,
        });
        if (existing) {
          // A repeated deploy with the same key: the same deployment.
          send(res, 202, {
            status: 'running',
            externalId: existing.externalId,
          });
          return;
        }
        deployments.set(parsed.promotionId, {
          externalId: `deploy-${deployments.size + 1}`,
          receivedAt: now,
          held: res,
        });
        return;
      }
      const m = /^\/status\/([^/?]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && m) {
        const promotionId = decodeURIComponent(m[1]);
        record({ kind: 'status', promotionId, sender, at: now });
        const d = deployments.get(promotionId);
        if (!d) {
          send(res, 404, { message: 'No such deployment' });
          return;
        }
        d.firstStatusAt ??= now;
        send(res, 200, {
          status: now - d.firstStatusAt >= runningMs ? 'succeeded' : 'running',
          externalId: d.externalId,
          message: `Deployment ${d.externalId}`,
        });
        return;
      }
      send(res, 404, { message: 'Not found' });
    });
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });

  return {
    url: `http://127.0.0.1:${options.port}`,
    calls,
    deployments,
    /** The next call (already received or future) matching `match`. */
    next(
      match: (c: WebhookCall) => boolean,
      timeoutMs: number,
      what: string,
    ): Promise<WebhookCall> {
      const seen = calls.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Timed out waiting for ${what}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: c => {
            clearTimeout(timer);
            resolve(c);
          },
        });
      });
    },
    /** Deploy calls per promotion id. */
    deployCounts(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const c of calls) {
        if (c.kind === 'deploy') {
          counts.set(c.promotionId, (counts.get(c.promotionId) ?? 0) + 1);
        }
      }
      return counts;
    },
    async close() {
      for (const d of deployments.values()) d.held?.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
