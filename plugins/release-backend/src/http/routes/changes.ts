import { releaseReadPermission } from '@release-manager/backstage-plugin-release-common';
import { callerKey } from '../../access/AccessGuard';
import {
  callerCredentials,
  readableEntity,
  ReleaseApiRouter,
  RouteContext,
  sendRendered,
} from '../context';

/** The change set of a promotion, and the preview of one not yet requested. */
export function registerChangeRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.get('/promotions/:id/changes', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const promotion = await ctx.service.get(req.params.id);
    const target = await ctx.entities.resolve(promotion.entityRef, credentials);
    await ctx.access.authorize(
      credentials,
      releaseReadPermission,
      target.entityRef,
    );
    sendRendered(
      res,
      ctx.changes.toJson(
        await ctx.changes.ofPromotion(
          target,
          promotion,
          ctx.access.configReader(credentials, target),
        ),
      ),
    );
  });

  router.get('/entities/:kind/:namespace/:name/changes', async (req, res) => {
    const { target, credentials } = await readableEntity(ctx, req, req.params);
    const { version, phase } = req.query;
    const render = async () =>
      ctx.changes.toJson(
        await ctx.changes.preview(
          target,
          version,
          phase,
          ctx.access.configReader(credentials, target),
        ),
      );
    // A preview that depends on stored data alone is kept as sent, with the
    // entity's other reads and, as it holds which configuration the caller
    // may read, for at most release.readCache.listDecisionsMs.
    const rendered =
      ctx.readCache && ctx.changes.timeless(target, phase)
        ? await ctx.readCache.read(
            target.entityRef,
            `changes-for:${version}:${phase}:${callerKey(credentials)}`,
            render,
            ctx.access.listDecisionTtlMs,
          )
        : await render();
    sendRendered(res, rendered);
  });
}
