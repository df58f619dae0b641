import { Response } from 'express';
import {
  ChangeSet,
  releaseReadPermission,
} from '@release-manager/backstage-plugin-release-common';
import { callerKey } from '../../access/AccessGuard';
import {
  callerCredentials,
  readableEntity,
  ReleaseApiRouter,
  RouteContext,
} from '../context';

/** The change set of a promotion, and the preview of one not yet requested. */
export function registerChangeRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  /** Sends a change set, its list of releases serialized once while cached. */
  const send = (res: Response, changeSet: ChangeSet) => {
    const { body, etag } = ctx.changes.toJson(changeSet);
    res.setHeader('ETag', etag);
    res.type('application/json').send(body);
  };

  router.get('/promotions/:id/changes', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const promotion = await ctx.service.get(req.params.id);
    const target = await ctx.entities.resolve(promotion.entityRef, credentials);
    await ctx.access.authorize(
      credentials,
      releaseReadPermission,
      target.entityRef,
    );
    send(
      res,
      await ctx.changes.ofPromotion(
        target,
        promotion,
        ctx.access.configReader(credentials, target),
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
    const { body, etag } =
      ctx.readCache && ctx.changes.timeless(target, phase)
        ? await ctx.readCache.read(
            target.entityRef,
            `changes-for:${version}:${phase}:${callerKey(credentials)}`,
            render,
            ctx.access.listDecisionTtlMs,
          )
        : await render();
    res.setHeader('ETag', etag);
    res.type('application/json').send(body);
  });
}
