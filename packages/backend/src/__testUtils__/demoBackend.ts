import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import releasePlugin from '@release-manager/backstage-plugin-release-backend';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { releaseDemoDataModule } from '../modules/releaseDemoData';

const ROOT = resolve(__dirname, '../../../..');

/**
 * The demo as `yarn start` seeds it: app-config.yaml's pipelines, the
 * example entities and the demo data module, in a test backend (no
 * dispatcher: nothing deploys while a test reads).
 */
export async function startDemoBackend() {
  const appConfig = YAML.parse(
    readFileSync(resolve(ROOT, 'app-config.yaml'), 'utf8'),
  );
  const entities = YAML.parseAllDocuments(
    readFileSync(resolve(ROOT, 'examples/entities.yaml'), 'utf8'),
  ).map(d => d.toJSON() as Entity);
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: {
          release: { ...appConfig.release, dispatcher: { enabled: false } },
          events: { useEventBus: 'never' },
        },
      }),
      catalogServiceMock.factory({ entities }),
      releasePlugin,
      releaseDemoDataModule,
    ],
  });
  return backend.server;
}
