import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';

const READINESS = /^\/live-readiness\/([^/]+)\/([^/]+)$/;
const SMOKE = /^\/stage-smoke\/([^/]+)\/([^/]+)$/;

/**
 * Endpoints the demo's verification checks call (see `checks:` in
 * app-config.yaml), served by the demo backend itself:
 *
 * - `GET /api/demo-checks/live-readiness/{entity}/{version}` answers
 *   `{ ready: true }`: the `http` before-deploy check of Live passes, so a
 *   Live promotion shows the check in its gates and deploys. Set
 *   `RELEASE_DEMO_LIVE_READY=false` (or `warming-up`) to see it block (or wait).
 * - `GET /api/demo-checks/stage-smoke/{entity}/{version}` answers
 *   `{ healthy: false }` for a version whose pre-release part contains
 *   `broken` (e.g. `2.3.0-broken.1`), else `{ healthy: true }`: the Stage
 *   after-deploy check fails for such a release and Stage rolls back.
 */
export const demoChecksPlugin = createBackendPlugin({
  pluginId: 'demo-checks',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        // The release backend's http check calls these without credentials.
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        httpRouter.use((req, res, next) => {
          if (req.method !== 'GET') return next();
          if (READINESS.test(req.path)) {
            const setting = process.env.RELEASE_DEMO_LIVE_READY;
            let ready: boolean | string = true;
            if (setting === 'false') ready = false;
            else if (setting === 'warming-up') ready = 'warming-up';
            res.json({ ready });
            return undefined;
          }
          const smoke = SMOKE.exec(req.path);
          if (smoke) {
            const version = decodeURIComponent(smoke[2]);
            const prerelease = version.split('-').slice(1).join('-');
            res.json({ healthy: !prerelease.includes('broken') });
            return undefined;
          }
          return next();
        });
      },
    });
  },
});
