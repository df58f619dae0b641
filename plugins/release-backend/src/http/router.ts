import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';
import { RouteContext } from './context';
import { registerConfigRoutes } from './routes/config';
import { registerMetricsRoutes } from './routes/metrics';
import { registerPhaseRoutes } from './routes/phases';
import { registerPromotionRoutes } from './routes/promotions';
import { registerReleaseRoutes } from './routes/releases';
import { registerStatusRoutes } from './routes/status';

/**
 * The release API router, typed and validated from the OpenAPI spec
 * (`src/schema/openapi.yaml`). Everything it uses is injected.
 */
export async function createRouter(ctx: RouteContext) {
  const router = await createValidatedOpenApiRouter(spec);
  registerReleaseRoutes(router, ctx);
  registerPromotionRoutes(router, ctx);
  registerPhaseRoutes(router, ctx);
  registerStatusRoutes(router, ctx);
  registerConfigRoutes(router, ctx);
  registerMetricsRoutes(router, ctx);
  return router;
}
