import { LoggerService } from '@backstage/backend-plugin-api';
import { serializeError } from '@backstage/errors';
import { randomBytes } from 'crypto';
import { ErrorRequestHandler } from 'express';

const STATUS_BY_NAME: Record<string, number> = {
  NotModifiedError: 304,
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** The HTTP status of an error, as Backstage's error handler works it out. */
export function statusOf(error: unknown): number {
  const e = (error ?? {}) as { statusCode?: unknown; status?: unknown };
  for (const value of [e.statusCode, e.status]) {
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 100 &&
      value <= 599
    ) {
      return value;
    }
  }
  return STATUS_BY_NAME[(error as Error)?.name] ?? 500;
}

/**
 * The last handler of the release routers: the standard Backstage error
 * body, but never a stack trace (Backstage's own handler adds one in
 * development mode) and never an internal error's text. A 4xx carries its
 * message, which says what is wrong with the request; anything else is
 * logged with an id, and the answer names only that id.
 */
export function releaseErrorHandler(
  logger?: LoggerService,
): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const statusCode = statusOf(error);
    let body: { name: string; message: string };
    if (statusCode < 500) {
      const { name, message } = serializeError(error as Error);
      body = { name, message };
    } else {
      const logId = randomBytes(6).toString('hex');
      logger?.error(
        `Request ${req.method} ${req.originalUrl} failed (logId=${logId})`,
        error,
      );
      body = {
        name: 'Error',
        message: `An internal error occurred (logId=${logId})`,
      };
    }
    res.status(statusCode).json({
      error: body,
      request: { method: req.method, url: req.url },
      response: { statusCode },
    });
  };
}
