import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { RequestHandler } from 'express';

function dropStacks(error: unknown, seen = new Set<unknown>()) {
  let node = error as { stack?: unknown; cause?: unknown } | undefined;
  while (node && typeof node === 'object' && !seen.has(node)) {
    seen.add(node);
    delete node.stack;
    node = node.cause as typeof node;
  }
}

/**
 * Leaves stack traces out of every error body the backend sends. Backstage's
 * error handlers add them when NODE_ENV is development (what `yarn start`
 * runs), on every plugin's routes, including the 401 of the credentials
 * check that runs before a plugin's own routes; a stack trace tells a caller
 * about the server's code and is no help in fixing a request.
 */
export function withoutStackTraces(): RequestHandler {
  return (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body?: any) => {
      if (res.statusCode >= 400 && body && typeof body === 'object') {
        dropStacks(body.error);
      }
      return json(body);
    };
    next();
  };
}

/** The root HTTP router with Backstage's defaults, minus stack traces. */
export const rootHttpRouterWithoutStackTraces = rootHttpRouterServiceFactory({
  configure({ app, applyDefaults }) {
    app.use(withoutStackTraces());
    applyDefaults();
  },
});
