import {
  InputError,
  NotFoundError,
  AuthenticationError,
  ConflictError,
} from '@backstage/errors';
import { createHash } from 'crypto';
import express, { RequestHandler } from 'express';
import Router from 'express-promise-router';
import { LoggerService } from '@backstage/backend-plugin-api';
import { DispatchStore } from '../database/DispatchStore';
import { PromotionStore, StoredPromotion } from '../database/PromotionStore';
import { releaseErrorHandler } from './errors';
import {
  readWebhookStatus,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WebhookProvider,
} from '../providers/WebhookProvider';

/**
 * The paths the callback router answers, matched as Express matches its
 * routes by default: in any case, with or without a trailing slash.
 */
const CALLBACK_PATH = /^\/callbacks(?:\/|$)/i;

const PROMOTION_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `POST /callbacks/:provider`: signed status callbacks from providers. The
 * only route without Backstage credentials; instead the body is HMAC-checked
 * in constant time, bound to a known promotion of that provider, and each
 * signed message is accepted once (replays are refused). It is specified in
 * openapi.yaml and mounted here, ahead of the validated router, because the
 * signature covers the raw body.
 */
export function createCallbackRouter(deps: {
  dispatch: DispatchStore;
  promotions: PromotionStore;
  webhook: WebhookProvider;
  clock: () => Date;
  onFinished: (promotion: StoredPromotion) => Promise<void>;
  /** Starts the after-deploy verification of a reported success; false when the phase has none. */
  startVerification?: (
    promotion: StoredPromotion,
    report: { message?: string; url?: string; externalId?: string },
  ) => Promise<boolean>;
  /** Where failures of the server (5xx) are logged. */
  logger?: LoggerService;
}) {
  const router = Router();
  router.post(
    '/callbacks/:provider',
    express.raw({ type: '*/*', limit: '64kb' }),
    async (req, res) => {
      if (req.params.provider !== 'webhook') {
        throw new NotFoundError(
          `Provider '${req.params.provider}' takes no callbacks`,
        );
      }
      if (!deps.webhook.hasSigningSecret) {
        throw new NotFoundError(
          'Webhook callbacks are not enabled: release.providers.webhook.secret is not configured, so no callback can be verified',
        );
      }
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const problem = verifyWebhook({
        secret: deps.webhook.signingSecret,
        timestamp: req.header(WEBHOOK_TIMESTAMP_HEADER),
        signature: req.header(WEBHOOK_SIGNATURE_HEADER),
        body,
        now: deps.clock(),
      });
      if (problem) {
        throw new AuthenticationError(`Callback refused: ${problem}`);
      }
      let parsed: { promotionId?: unknown } & Record<string, unknown>;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new InputError('Callback body is not JSON');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new InputError('Callback body must be a JSON object');
      }
      const id = parsed.promotionId;
      if (typeof id !== 'string' || !PROMOTION_ID.test(id)) {
        throw new InputError('Callback body needs promotionId (a UUID)');
      }
      const shapeProblem = callbackShapeProblem(parsed);
      if (shapeProblem) {
        throw new InputError(`Callback body: ${shapeProblem}`);
      }
      const promotion = await deps.promotions.getPromotion(id);
      if (!promotion || promotion.snapshot?.provider.type !== 'webhook') {
        throw new NotFoundError(`No webhook promotion ${id}`);
      }
      const digest = createHash('sha256')
        .update(`${req.header(WEBHOOK_TIMESTAMP_HEADER)}.${body}`)
        .digest('hex');
      if (!(await deps.dispatch.rememberCallback(digest, id))) {
        throw new ConflictError(
          'Callback refused: this signed message was already processed',
        );
      }
      const status = readWebhookStatus(parsed);
      if (
        status.status === 'succeeded' &&
        promotion.status === 'deploying' &&
        !promotion.verifyUntil &&
        deps.startVerification
      ) {
        try {
          if (await deps.startVerification(promotion, status)) {
            res.status(204).end();
            return;
          }
        } catch (e) {
          if (!(e instanceof ConflictError)) throw e;
          throw new ConflictError(
            `Promotion ${id} is ${promotion.status}; the callback cannot change it`,
          );
        }
      }
      if (status.status === 'succeeded' && promotion.verifyUntil) {
        // Being verified: the checks decide, not the provider.
        res.status(204).end();
        return;
      }
      if (status.status === 'succeeded' || status.status === 'failed') {
        const done = await deps.dispatch.finish(id, undefined, status.status, {
          actor: 'system:webhook-callback',
          report: {
            message: status.message,
            url: status.url,
            externalId: status.externalId,
            percent: status.progress,
          },
        });
        if (!done) {
          throw new ConflictError(
            `Promotion ${id} is ${promotion.status}; the callback cannot change it`,
          );
        }
        await deps.onFinished(done);
      }
      res.status(204).end();
    },
  );
  // Last: no stack trace or internal error text in any answer.
  router.use('/callbacks', releaseErrorHandler(deps.logger));
  // Every other request of the plugin passes here on its way to the API
  // router. A router that answers none of its layers hands the request on
  // in a later turn of the event loop (Express's setImmediate), so only
  // callback paths enter it.
  const handler: RequestHandler = (req, res, next) =>
    CALLBACK_PATH.test(req.path) ? router(req, res, next) : next();
  return handler;
}

const CALLBACK_STATUSES = ['pending', 'running', 'succeeded', 'failed'];

/** What is wrong with the fields of a callback body (openapi.yaml's shape). */
function callbackShapeProblem(
  body: Record<string, unknown>,
): string | undefined {
  if (
    body.status !== undefined &&
    (typeof body.status !== 'string' ||
      !CALLBACK_STATUSES.includes(body.status))
  ) {
    return `status must be one of ${CALLBACK_STATUSES.join(', ')}`;
  }
  for (const key of ['externalId', 'url', 'message'] as const) {
    if (body[key] !== undefined && typeof body[key] !== 'string') {
      return `${key} must be a string`;
    }
  }
  if (
    body.progress !== undefined &&
    (typeof body.progress !== 'number' || !Number.isFinite(body.progress))
  ) {
    return 'progress must be a number';
  }
  return undefined;
}
