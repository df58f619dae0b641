import { callerCredentials, ReleaseApiRouter, RouteContext } from '../context';
import { releaseStatus } from '../status';

/** Bulk status: a fixed number of queries, whatever the number of entities. */
export function registerStatusRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.post('/status', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    res.json({
      items: await releaseStatus(ctx, credentials, req.body.entityRefs),
    });
  });
}
