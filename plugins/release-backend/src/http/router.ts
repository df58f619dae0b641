import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';
import { RouteContext } from './context';
import { releaseErrorHandler } from './errors';
import { registerChangeRoutes } from './routes/changes';
import { registerConfigRoutes } from './routes/config';
import { registerMetricsRoutes } from './routes/metrics';
import { registerPhaseRoutes } from './routes/phases';
import { registerPortfolioRoutes } from './routes/portfolio';
import { registerPromotionRoutes } from './routes/promotions';
import { registerReleaseRoutes } from './routes/releases';
import { registerStatusRoutes } from './routes/status';
import { registerTrainRoutes } from './routes/trains';

/**
 * The release API router, typed and validated from the OpenAPI spec
 * (`src/schema/openapi.yaml`). Everything it uses is injected.
 */
export async function createRouter(ctx: RouteContext) {
  const router = await createValidatedOpenApiRouter(spec, {
    validatorOptions: {
      // Every operation's security requirement includes `{}` (the token is
      // checked by Backstage's credentials barrier and `httpAuth`), so the
      // validator's own security check could never refuse a request: it is
      // skipped rather than run on every request for nothing.
      validateSecurity: false,
      // No operation takes multipart/form-data: no upload middleware to run
      // (and check the content type of) on every request.
      fileUploader: false,
    },
  });
  registerReleaseRoutes(router, ctx);
  registerPromotionRoutes(router, ctx);
  registerPhaseRoutes(router, ctx);
  registerStatusRoutes(router, ctx);
  registerPortfolioRoutes(router, ctx);
  registerConfigRoutes(router, ctx);
  registerChangeRoutes(router, ctx);
  registerMetricsRoutes(router, ctx);
  if (ctx.trains) registerTrainRoutes(router, { ...ctx, trains: ctx.trains });
  // Last: no stack trace or internal error text in any answer.
  router.use(releaseErrorHandler(ctx.logger));
  return router;
}
