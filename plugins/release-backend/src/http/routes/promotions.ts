import {
  isInAccessList,
  releasePromotionApprovePermission,
  releaseReadPermission,
  resolvePhaseAccess,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import {
  audited,
  callerCredentials,
  promotionDetails,
  readableEntity,
  requireSemver,
  ReleaseApiRouter,
  RouteContext,
} from '../context';
import { PromotionService } from '../../engine/PromotionService';

const INBOX_SCAN_LIMIT = 500;

/** Promotion, decision and inbox routes. */
export function registerPromotionRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  /** A promotion and its entity, as the caller may see them. */
  async function readablePromotion(
    req: Parameters<typeof callerCredentials>[1],
    id: string,
  ) {
    const credentials = await callerCredentials(ctx, req);
    const promotion = await ctx.service.get(id);
    const target = await ctx.entities.resolve(promotion.entityRef, credentials);
    await ctx.access.authorize(
      credentials,
      releaseReadPermission,
      target.entityRef,
    );
    return { credentials, promotion, target };
  }

  router.post(
    '/entities/:kind/:namespace/:name/promotions',
    async (req, res) => {
      requireSemver(req.body.version);
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      const body = req.body;
      const idempotencyKey = req.header('Idempotency-Key') ?? undefined;
      const critical = Boolean(body.skipRequires || body.override);
      const { promotion } = await audited(
        ctx,
        req,
        'promotion-request',
        critical ? 'critical' : 'medium',
        {
          entityRef: target.entityRef,
          phase: body.phase,
          version: body.version,
          skipRequires: Boolean(body.skipRequires),
          override: Boolean(body.override),
        },
        () =>
          ctx.service.requestPromotion({
            credentials,
            target,
            version: body.version,
            phaseId: body.phase,
            kind: 'promote',
            comment: body.comment,
            idempotencyKey,
            skipRequires: body.skipRequires,
            override: body.override,
          }),
      );
      const [detail] = await promotionDetails(ctx, target, [promotion]);
      res.status(202).json(detail);
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/promotions',
    async (req, res) => {
      const { target } = await readableEntity(ctx, req, req.params);
      if (req.query.phase) {
        PromotionService.phaseOf(target, req.query.phase);
      }
      const list = await ctx.promotions.listPromotions({
        entityRef: target.entityRef,
        phase: req.query.phase,
        status: req.query.status ? [req.query.status] : undefined,
        limit: req.query.limit ?? 20,
      });
      res.json({ items: await promotionDetails(ctx, target, list) });
    },
  );

  router.get('/promotions/:id', async (req, res) => {
    const { promotion, target } = await readablePromotion(req, req.params.id);
    const [detail] = await promotionDetails(ctx, target, [promotion]);
    res.json(detail);
  });

  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/promotions/:id/${decision}`, async (req, res) => {
      const { credentials, promotion, target } = await readablePromotion(
        req,
        req.params.id,
      );
      const body = req.body ?? {};
      const updated = await audited(
        ctx,
        req,
        `promotion-${decision}`,
        body.override ? 'critical' : 'high',
        {
          promotionId: promotion.id,
          entityRef: promotion.entityRef,
          phase: promotion.phase,
          version: promotion.version,
          override: Boolean(body.override),
        },
        () =>
          ctx.service.decide({
            credentials,
            target,
            promotion,
            decision,
            comment: body.comment,
            override: body.override,
          }),
      );
      const [detail] = await promotionDetails(ctx, target, [updated]);
      res.json(detail);
    });
  }

  router.post('/promotions/:id/cancel', async (req, res) => {
    const { credentials, promotion, target } = await readablePromotion(
      req,
      req.params.id,
    );
    const updated = await audited(
      ctx,
      req,
      'promotion-cancel',
      'medium',
      {
        promotionId: promotion.id,
        entityRef: promotion.entityRef,
        phase: promotion.phase,
      },
      () =>
        ctx.service.cancel({
          credentials,
          target,
          promotion,
          comment: req.body?.comment,
        }),
    );
    const [detail] = await promotionDetails(ctx, target, [updated]);
    res.json(detail);
  });

  router.get('/approvals', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    if (credentials.principal.type !== 'user' || credentials.principal.actor) {
      // Only people decide; everyone else has an empty inbox.
      res.json({ items: [] });
      return;
    }
    const userRef = credentials.principal.userEntityRef;
    const pending = await ctx.promotions.listPromotions({
      status: ['pending_approval'],
      limit: INBOX_SCAN_LIMIT,
    });
    const targets = await ctx.entities.resolveMany(
      [...new Set(pending.map(p => p.entityRef))],
      credentials,
    );
    const readable = await ctx.access.filter(
      credentials,
      releaseReadPermission,
      [...targets.keys()],
    );
    const mine = await ctx.access.ownership(credentials);
    const approvals = await ctx.promotions.listApprovals(
      pending.map(p => p.id),
    );
    const candidates = pending.filter(p => {
      const target = targets.get(p.entityRef);
      const phase = target?.template.phases.find(ph => ph.id === p.phase);
      if (!target || !phase || !readable.has(target.entityRef)) return false;
      if (!phase.approvals.allowSelfApproval && p.requestedBy === userRef)
        return false;
      if (approvals.some(a => a.promotionId === p.id && a.userRef === userRef))
        return false;
      return isInAccessList(
        mine,
        resolvePhaseAccess(phase, target.owners).approvers,
      );
    });
    const allowed = await ctx.access.filter(
      credentials,
      releasePromotionApprovePermission,
      candidates.map(p => toPhaseResourceRef(p.entityRef, p.phase)),
    );
    const items = [];
    for (const p of candidates) {
      if (!allowed.has(toPhaseResourceRef(p.entityRef, p.phase))) continue;
      const [detail] = await promotionDetails(ctx, targets.get(p.entityRef)!, [
        p,
      ]);
      items.push(detail);
    }
    res.json({ items });
  });
}
