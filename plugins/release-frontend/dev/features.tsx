import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import {
  ApiBlueprint,
  createFrontendModule,
  FrontendFeature,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { Navigate } from 'react-router-dom';
import releasePlugin from '../src/alpha';
import { ReleaseApi, releaseApiRef } from '../src/api';
import { DEMO_ENTITY_REF, demoEntities } from './demoData';
import { DemoPermissionApi } from './DemoPermissionApi';
import { DemoReleaseApi } from './DemoReleaseApi';

/** Where the dev app opens: the Releases tab of the demo service. */
export const DEMO_ENTITY_PATH = `/catalog/default/component/${
  DEMO_ENTITY_REF.split('/')[1]
}`;

/** Options of {@link createDevFeatures}. */
export interface DevFeaturesOptions {
  /** Default: a new {@link DemoReleaseApi}. */
  releaseApi?: ReleaseApi;
  /** Default: a {@link DemoPermissionApi} that allows everything. */
  permissionApi?: PermissionApi;
}

/**
 * The features of the dev app: the release plugin (new frontend system) with
 * its API replaced by the in-memory demo, the catalog plugin over an
 * in-memory catalog holding the demo entities, an allow-all permission API,
 * and `/` sending you to the demo service. Nothing needs a backend.
 */
export function createDevFeatures(
  options: DevFeaturesOptions = {},
): FrontendFeature[] {
  const releaseApi = options.releaseApi ?? new DemoReleaseApi();
  const permissionApi = options.permissionApi ?? new DemoPermissionApi();
  return [
    releasePlugin.withOverrides({
      extensions: [
        releasePlugin.getExtension('api:release').override({
          params: defineParams =>
            defineParams({
              api: releaseApiRef,
              deps: {},
              factory: () => releaseApi,
            }),
        }),
      ],
    }),
    catalogPlugin.withOverrides({
      extensions: [
        catalogPlugin.getExtension('api:catalog').override({
          params: defineParams =>
            defineParams({
              api: catalogApiRef,
              deps: {},
              factory: () =>
                new InMemoryCatalogClient({ entities: demoEntities }),
            }),
        }),
      ],
    }),
    createFrontendModule({
      pluginId: 'app',
      extensions: [
        ApiBlueprint.make({
          name: 'permission',
          params: defineParams =>
            defineParams({
              api: permissionApiRef,
              deps: {},
              factory: () => permissionApi,
            }),
        }),
        PageBlueprint.make({
          name: 'dev-home',
          params: {
            path: '/',
            loader: async () => (
              <Navigate to={`${DEMO_ENTITY_PATH}/releases`} replace />
            ),
          },
        }),
      ],
    }),
  ];
}
