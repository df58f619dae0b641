/*
 * The bench backend: the real backend wiring (createBackend from
 * @backstage/backend-defaults) with the real release plugin, the real catalog
 * (reading the generated entity YAML), the permission backend with the
 * allow-all policy, the auth backend with the guest provider (user tokens for
 * P5/P6), the signals backend (the release plugin pushes its lifecycle
 * changes to open pages through it: P12), and the bench plugin (floor
 * baseline, readiness).
 *
 * Run by bench/run.js as
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     bench/backend/index.js --config <generated app-config.yaml>
 * (the transform is what `backstage-cli package start` uses; it compiles the
 * release plugin's TypeScript sources on the fly).
 */
'use strict';

const queryCounter = require('./queryCounter');

queryCounter.install();

const { createBackend } = require('@backstage/backend-defaults');
const {
  rootHttpRouterServiceFactory,
} = require('@backstage/backend-defaults/rootHttpRouter');
const { benchPlugin, seedModule } = require('./benchFeatures');

const feature = m => (m && m.default ? m.default : m);

const backend = createBackend();

backend.add(
  rootHttpRouterServiceFactory({
    configure({ app, applyDefaults }) {
      app.use(queryCounter.middleware);
      applyDefaults();
    },
  }),
);
backend.add(feature(require('@backstage/plugin-auth-backend')));
backend.add(
  feature(require('@backstage/plugin-auth-backend-module-guest-provider')),
);
backend.add(feature(require('@backstage/plugin-catalog-backend')));
backend.add(feature(require('@backstage/plugin-permission-backend')));
backend.add(
  feature(
    require('@backstage/plugin-permission-backend-module-allow-all-policy'),
  ),
);
backend.add(
  feature(require('@release-manager/backstage-plugin-release-backend')),
);
// As in packages/backend: open pages learn of release changes by push (P12).
backend.add(feature(require('@backstage/plugin-signals-backend')));
if (process.env.BENCH_APP === '1') {
  // Serves packages/app/dist, with this backend's URL injected (P7).
  backend.add(feature(require('@backstage/plugin-app-backend')));
}
backend.add(benchPlugin);
backend.add(seedModule);

backend.start().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
