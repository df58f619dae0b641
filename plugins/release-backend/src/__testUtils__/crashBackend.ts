/*
 * A release backend as its own OS process, for the real-process crash test
 * (src/invariants/crash.test.ts): the real wiring (`createBackend()` from
 * @backstage/backend-defaults) with the release plugin, the catalog (reading
 * a file location) and the auth backend with the guest provider, so that the
 * test signs in as a real user and approves through the HTTP API.
 *
 * Started as
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     src/__testUtils__/crashBackend.ts --config <app-config.yaml>
 * (the transform `backstage-cli package start` uses; it compiles the plugin's
 * TypeScript sources on the fly). Configuration comes only from the file.
 */
import { createBackend } from '@backstage/backend-defaults';

const feature = (m: any) => (m && m.default ? m.default : m);

const backend = createBackend();
backend.add(feature(require('@backstage/plugin-auth-backend')));
backend.add(
  feature(require('@backstage/plugin-auth-backend-module-guest-provider')),
);
backend.add(feature(require('@backstage/plugin-catalog-backend')));
backend.add(feature(require('../index')));

backend.start().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
