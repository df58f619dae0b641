import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';

/**
 * The route function of the catalog's entity page, or undefined when the app
 * has none bound (then names are shown without links). Works in both
 * frontend systems.
 */
export function useEntityRoute() {
  try {
    // Throws "No path for routeRef" when the route is not bound; the hooks
    // it calls run either way, so the hook order stays the same.
    return useRouteRef(entityRouteRef);
  } catch {
    return undefined;
  }
}
