import { Config } from '@backstage/config';
import {
  DeploymentProvider,
  DeploymentRequest,
  DeploymentResult,
  DeploymentStatus,
  phaseEnvironment,
  readEnvironmentNaming,
} from '@release-manager/backstage-plugin-release-node';
import { createHmac, timingSafeEqual } from 'crypto';
import {
  fetchWithDeadline,
  parseJsonOrUndefined,
  ProviderCallError,
} from './http';

/** Header carrying the unix time (seconds) a webhook message was signed at. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-release-timestamp';
/** Header carrying `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-release-signature';
/** How far a signed message's time may be from ours. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

const STATUSES: DeploymentStatus[] = [
  'pending',
  'running',
  'succeeded',
  'failed',
];

/** Signs a webhook message. */
export function signWebhook(
  secret: string,
  timestamp: string,
  body: string,
): string {
  return `sha256=${createHmac('sha256', secret)
    .update(`${timestamp}.${body}`)
    .digest('hex')}`;
}

/**
 * Verifies a signed webhook message in constant time and checks its time is
 * within the tolerance. Returns a reason when it is not acceptable.
 */
export function verifyWebhook(options: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  now: Date;
}): string | undefined {
  const { secret, timestamp, signature, body, now } = options;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) {
    return 'missing or malformed signature headers';
  }
  if (
    Math.abs(now.getTime() - Number(timestamp) * 1000) > WEBHOOK_TOLERANCE_MS
  ) {
    return 'the signature timestamp is too old or in the future';
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return 'the signature does not match';
  }
  return undefined;
}

/** What a webhook receiver may answer (and send to the callback route). */
export interface WebhookStatusMessage {
  status?: string;
  externalId?: string;
  url?: string;
  message?: string;
  progress?: number;
}

/** Reads a receiver's answer; `unknown` when it is not one we understand. */
export function readWebhookStatus(body: unknown): DeploymentResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return {
      status: 'unknown',
      message: 'The webhook answered with something that is not a JSON object',
    };
  }
  const b = body as WebhookStatusMessage;
  const status = STATUSES.includes(b.status as DeploymentStatus)
    ? (b.status as DeploymentStatus)
    : undefined;
  if (b.status !== undefined && !status) {
    return {
      status: 'unknown',
      message: `The webhook answered with an unknown status '${String(
        b.status,
      ).slice(0, 40)}'`,
    };
  }
  const str = (v: unknown, max: number) =>
    typeof v === 'string' && v.length <= max ? v : undefined;
  return {
    status: status === 'pending' ? 'running' : status ?? 'running',
    externalId: str(b.externalId, 255),
    url: str(b.url, 1024)?.match(/^https?:\/\//) ? str(b.url, 1024) : undefined,
    message: str(b.message, 500),
    progress:
      typeof b.progress === 'number'
        ? Math.max(0, Math.min(100, b.progress))
        : undefined,
  };
}

/**
 * Deploys by POSTing the release and its resolved phase configuration to a
 * URL from the pipeline config, signed with HMAC-SHA256. Status comes from
 * the answer, from signed callbacks to `POST /api/release/callbacks/webhook`,
 * or by polling `statusUrl`.
 */
export class WebhookProvider implements DeploymentProvider {
  readonly type = 'webhook';

  static fromConfig(config: Config) {
    const c = config.getOptionalConfig('release.providers.webhook');
    return new WebhookProvider(
      c?.getOptionalString('secret'),
      c?.getOptionalNumber('timeoutMs'),
    );
  }

  constructor(
    private readonly secret: string | undefined,
    private readonly timeoutMs: number = 10_000,
  ) {}

  /** The shared secret, or an error naming the missing config key. */
  get signingSecret(): string {
    if (!this.secret) {
      throw new Error('release.providers.webhook.secret is not configured');
    }
    return this.secret;
  }

  private settings(request: DeploymentRequest) {
    const { url, statusUrl } = request.settings as {
      url?: unknown;
      statusUrl?: unknown;
    };
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
      throw new Error(
        `Phase '${request.phase}' uses the webhook provider without a provider.url (http or https)`,
      );
    }
    return {
      url,
      statusUrl: typeof statusUrl === 'string' ? statusUrl : undefined,
    };
  }

  private async call(
    method: 'POST' | 'GET',
    url: string,
    body: string,
    promotionId: string,
    signal: AbortSignal,
  ): Promise<{ status: number; result: DeploymentResult }> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const res = await fetchWithDeadline(url, {
        method,
        body: method === 'POST' ? body : undefined,
        signal,
        timeoutMs: this.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': promotionId,
          [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(
            this.signingSecret,
            timestamp,
            body,
          ),
        },
      });
      if (res.status >= 500) {
        return {
          status: res.status,
          result: {
            status: 'unknown',
            message: `The webhook answered HTTP ${res.status}`,
          },
        };
      }
      if (res.status >= 400) {
        return {
          status: res.status,
          result: {
            status: 'failed',
            message: `The webhook refused the deployment (HTTP ${res.status})`,
          },
        };
      }
      if (res.status === 202 && !res.text.trim()) {
        return {
          status: res.status,
          result: { status: 'running', message: 'Accepted by the webhook' },
        };
      }
      return {
        status: res.status,
        result: readWebhookStatus(parseJsonOrUndefined(res.text)),
      };
    } catch (e) {
      if (e instanceof ProviderCallError) {
        return { status: 0, result: { status: 'unknown', message: e.message } };
      }
      throw e;
    }
  }

  async deploy(request: DeploymentRequest, options: { signal: AbortSignal }) {
    const { url } = this.settings(request);
    let environment;
    try {
      environment = phaseEnvironment(
        request.config,
        readEnvironmentNaming(request.settings.naming),
      );
    } catch (e) {
      return {
        status: 'failed' as const,
        message: `Configuration error: ${(e as Error).message}`,
      };
    }
    // The shape is published as schema/webhook-payload.schema.json.
    const body = JSON.stringify({
      promotionId: request.promotionId,
      entityRef: request.entityRef,
      phase: request.phase,
      ...(request.configVersion === undefined
        ? {}
        : { configVersion: request.configVersion }),
      release: request.release,
      config: request.config,
      environment,
    });
    const { result } = await this.call(
      'POST',
      url,
      body,
      request.promotionId,
      options.signal,
    );
    return result;
  }

  async getStatus(
    request: DeploymentRequest & { externalId?: string },
    options: { signal: AbortSignal },
  ): Promise<DeploymentResult | null> {
    const { statusUrl } = this.settings(request);
    if (!statusUrl) {
      // Status arrives by callback; until then the deployment is running.
      return request.externalId
        ? { status: 'running', message: 'Waiting for the webhook to call back' }
        : {
            status: 'unknown',
            message:
              'The webhook has no statusUrl to ask whether it received the deployment',
          };
    }
    const url = statusUrl
      .replace('{promotionId}', encodeURIComponent(request.promotionId))
      .replace('{externalId}', encodeURIComponent(request.externalId ?? ''));
    const { status, result } = await this.call(
      'GET',
      url,
      '',
      request.promotionId,
      options.signal,
    );
    if (status === 404) {
      return null;
    }
    return result;
  }
}
