import { applyOpenApiMetadata } from 'express-openapi-validator/dist/middlewares/openapi.metadata';
import { pathToRegexp } from 'path-to-regexp';
import { spec } from '../schema/openapi.generated';

/*
 * The repository patches express-openapi-validator (see the README's
 * "Optional: a faster request validator in your app"): instead of trying
 * every route's pattern in turn, it tries only the routes whose shape
 * (number of segments, literal last segment) can match. This guards that
 * shortcut: for every path, it must find the route the full, ordered scan
 * finds (the first whose pattern matches), whatever the case, trailing slash
 * or extra segments, for the release API's own routes and for route
 * syntaxes the release API does not use.
 */

const apiRoutes = Object.keys(spec.paths).map(p =>
  p.replace(/\{([^}]+)\}/g, ':$1'),
);
/** Syntaxes the shortcut must leave to the full scan, and overlapping routes. */
const otherRoutes = [
  '/files/:name.json',
  '/x/*rest',
  '/v1/:p/:q',
  '/v1/static/:q',
  '/v1/:p/static',
  '/Case/Literal',
];
const routes = [...apiRoutes, ...otherRoutes];

/** What the patched middleware sets as `req.openapi.expressRoute`. */
function validatorRouteFor(sensitive: boolean) {
  const middleware = applyOpenApiMetadata(
    {
      expressRouteMap: Object.fromEntries(
        routes.map(r => [r, { basePath: '' }]),
      ),
      routePair: (r: string) => ({ openApiRoute: r }),
      apiDoc: {
        paths: Object.fromEntries(routes.map(r => [r, { get: {} }])),
      },
      shouldIgnoreRoute: () => false,
      useRequestUrl: true,
      ignoreUndocumented: true,
      isManagedRoute: () => false,
    } as any,
    undefined as any,
  );
  return (path: string): string | null => {
    const req: any = {
      path,
      baseUrl: '',
      url: `${path}?limit=5`,
      originalUrl: path,
      method: 'GET',
      app: {
        enabled: (name: string) =>
          name === 'case sensitive routing' ? sensitive : false,
      },
    };
    middleware(req, {} as any, () => {});
    return req.openapi?.expressRoute ?? null;
  };
}

/** Paths built from every route: values, case, trailing slash, extra or missing segments. */
function pathsToTry(): string[] {
  const values = ['component', 'Default', 'a.b', 'p%20q', 'pipeline', 'live'];
  const literals = [
    ...new Set(
      routes.flatMap(r =>
        r.split('/').filter(s => s && !s.startsWith(':') && !s.includes('*')),
      ),
    ),
  ];
  const paths = new Set<string>(['/', '', 'entities', '//', '/entities//x']);
  routes.forEach((route, r) => {
    values.forEach((value, v) => {
      const base = route
        .replace(/:[A-Za-z0-9_]+/g, (_m, offset) =>
          offset % 2 ? value : values[(v + r) % values.length],
        )
        .replace('*rest', 'a/b');
      paths.add(base);
      paths.add(`${base}/`);
      paths.add(base.toUpperCase());
      paths.add(`${base}/${literals[(r + v) % literals.length]}`);
      paths.add(base.replace(/\/[^/]*$/, ''));
    });
  });
  literals.forEach((a, i) => {
    paths.add(`/${a}`);
    paths.add(`/${a}/${literals[(i + 1) % literals.length]}`);
    paths.add(`/entities/x/y/z/${a}`);
    paths.add(`/entities/x/y/z/phases/live/${a}`);
  });
  return [...paths];
}

describe('the patched request validator (express-openapi-validator)', () => {
  it.each([false, true])(
    'finds the first matching route for every path (case sensitive: %s)',
    sensitive => {
      const lookup = validatorRouteFor(sensitive);
      const compiled = routes.map(route => ({
        route,
        regexp: pathToRegexp(route, { sensitive }).regexp,
      }));
      const paths = pathsToTry();
      expect(paths.length).toBeGreaterThan(1000);
      const mismatches = paths
        .map(path => ({
          path,
          found: lookup(path),
          expected: compiled.find(c => c.regexp.test(path))?.route ?? null,
        }))
        .filter(m => m.found !== m.expected);
      expect(mismatches).toEqual([]);
      // The paths do reach routes of every kind.
      const found = new Set(paths.map(lookup));
      expect(apiRoutes.every(r => found.has(r))).toBe(true);
      expect(found.has('/files/:name.json')).toBe(true);
      expect(found.has('/x/*rest')).toBe(true);
    },
  );
});
