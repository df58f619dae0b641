import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Server } from 'http';

/**
 * Invariant 29, across every suite that starts the plugin through the
 * harness: tests seed secret values containing SECRET_MARKER, and every HTTP
 * response body, log line, audit event and ledger row is checked for them.
 */
export const SECRET_MARKER = 'SECRET-VALUE-';

const seen: Array<{ where: string; text: string }> = [];

export function record(where: string, text: string) {
  seen.push({ where, text });
}

/** Everything captured so far that contains a secret value. */
export function findLeaks(): Array<{ where: string; excerpt: string }> {
  return seen
    .filter(s => s.text.includes(SECRET_MARKER))
    .map(s => {
      const i = s.text.indexOf(SECRET_MARKER);
      return {
        where: s.where,
        excerpt: s.text.slice(Math.max(0, i - 60), i + 60),
      };
    });
}

/** Drops what was recorded after `mark` (for the scanner's own control test). */
export function forgetSince(mark: number) {
  seen.splice(mark);
}

/** The texts captured where `where` starts with the given prefix (e.g. `log warn`). */
export function capturedLines(prefix: string): string[] {
  return seen.filter(s => s.where.startsWith(prefix)).map(s => s.text);
}

export function capturedCount() {
  return seen.length;
}

/** Records every response body the server sends. */
export function scanResponses(server: Server) {
  server.prependListener('request', (req, res) => {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
      else if (Buffer.isBuffer(chunk)) chunks.push(chunk);
    };
    (res as { write: unknown }).write = (
      chunk: unknown,
      ...rest: unknown[]
    ) => {
      keep(chunk);
      return write(chunk, ...rest);
    };
    (res as { end: unknown }).end = (chunk: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') keep(chunk);
      record(
        `response ${req.method} ${req.url}`,
        Buffer.concat(chunks).toString('utf8'),
      );
      return end(chunk, ...rest);
    };
  });
}

class CapturingLogger implements LoggerService {
  constructor(private readonly meta: JsonObject = {}) {}
  private log(level: string, message: string, meta?: Error | JsonObject) {
    const extra =
      meta instanceof Error
        ? `${meta.message} ${meta.stack}`
        : JSON.stringify(meta ?? {});
    record(`log ${level}`, `${message} ${extra} ${JSON.stringify(this.meta)}`);
  }
  error(m: string, meta?: Error | JsonObject) {
    this.log('error', m, meta);
  }
  warn(m: string, meta?: Error | JsonObject) {
    this.log('warn', m, meta);
  }
  info(m: string, meta?: Error | JsonObject) {
    this.log('info', m, meta);
  }
  debug(m: string, meta?: Error | JsonObject) {
    this.log('debug', m, meta);
  }
  child(meta: JsonObject) {
    return new CapturingLogger({ ...this.meta, ...meta });
  }
}

/** A root logger that records every line, at every level. */
export const capturingRootLoggerFactory = createServiceFactory({
  service: coreServices.rootLogger,
  deps: {},
  factory: () => new CapturingLogger(),
});
