import { createHash } from 'node:crypto';
import { callerKey } from '../../access/AccessGuard';
import {
  callerCredentials,
  ReleaseApiRouter,
  RouteContext,
  sendRendered,
} from '../context';
import { releaseStatusJson } from '../status';

/** Bulk status: a fixed number of queries, whatever the number of entities. */
export function registerStatusRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.post('/status', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const refs: string[] = req.body.entityRefs;
    const render = () => releaseStatusJson(ctx, credentials, refs);
    // The same refs asked again by the same caller: the answer as sent, kept
    // while no entity changed and for at most as long as a list reuses
    // permission decisions.
    const { body, etag } = ctx.readCache
      ? await ctx.readCache.readAcross(
          `status|${callerKey(credentials)}|${createHash('sha1')
            .update(refs.join('\n'))
            .digest('base64url')}|${refs.length}`,
          ctx.access.listDecisionTtlMs,
          render,
        )
      : await render();
    sendRendered(res, { body, etag });
  });
}
