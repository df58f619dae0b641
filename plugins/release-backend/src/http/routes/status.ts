import { callerCredentials, ReleaseApiRouter, RouteContext } from '../context';
import { releaseStatusJson } from '../status';

/** Bulk status: a fixed number of queries, whatever the number of entities. */
export function registerStatusRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.post('/status', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const { body, etag } = await releaseStatusJson(
      ctx,
      credentials,
      req.body.entityRefs,
    );
    res.set('ETag', etag).type('application/json').send(body);
  });
}
