import { PromotionService } from '../../engine/PromotionService';
import {
  audited,
  promotionDetails,
  readableEntity,
  ReleaseApiRouter,
  RouteContext,
} from '../context';
import { decodeCursor, encodeCursor } from '../cursor';

/** Phase routes: rollback, lock and unlock, history. */
export function registerPhaseRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.post(
    '/entities/:kind/:namespace/:name/phases/:phase/rollback',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      const body = req.body ?? {};
      const { promotion } = await audited(
        ctx,
        req,
        'promotion-rollback',
        'high',
        {
          entityRef: target.entityRef,
          phase: req.params.phase,
          version: body.version ?? null,
        },
        () =>
          ctx.service.requestRollback({
            credentials,
            target,
            phaseId: req.params.phase,
            version: body.version,
            comment: body.comment,
            idempotencyKey: req.header('Idempotency-Key') ?? undefined,
          }),
      );
      const [detail] = await promotionDetails(ctx, target, [promotion]);
      res.status(202).json(detail);
    },
  );

  router.put(
    '/entities/:kind/:namespace/:name/phases/:phase/lock',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      const lock = await audited(
        ctx,
        req,
        'phase-lock',
        'high',
        { entityRef: target.entityRef, phase: req.params.phase },
        () =>
          ctx.service.setLock({
            credentials,
            target,
            phaseId: req.params.phase,
            lock: true,
            reason: req.body.reason,
          }),
      );
      res.json(lock);
    },
  );

  router.delete(
    '/entities/:kind/:namespace/:name/phases/:phase/lock',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      await audited(
        ctx,
        req,
        'phase-unlock',
        'high',
        { entityRef: target.entityRef, phase: req.params.phase },
        () =>
          ctx.service.setLock({
            credentials,
            target,
            phaseId: req.params.phase,
            lock: false,
          }),
      );
      res.status(204).end();
    },
  );

  router.get('/entities/:kind/:namespace/:name/history', async (req, res) => {
    const { target } = await readableEntity(ctx, req, req.params);
    if (req.query.phase) {
      PromotionService.phaseOf(target, req.query.phase);
    }
    const page = await ctx.releases.listHistory(target.entityRef, {
      phase: req.query.phase,
      limit: req.query.limit ?? 50,
      beforeId: decodeCursor(req.query.cursor),
    });
    const last = page.items[page.items.length - 1];
    res.json({
      items: page.items,
      nextCursor: page.hasMore && last ? encodeCursor(last.id) : undefined,
    });
  });
}
