import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { releaseApiRef, ReleaseClient } from '../api';

/**
 * The `ReleaseClient` as the plugin's `ReleaseApi`.
 *
 * @alpha
 */
export const releaseApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: releaseApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ReleaseClient({ discoveryApi, fetchApi }),
    }),
});
