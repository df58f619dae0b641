import { InputError } from '@backstage/errors';
import {
  releaseFreezeOverridePermission,
  releasePromotionApprovePermission,
  releasePromotionCreatePermission,
  releasePromotionSkipPermission,
  releaseReadPermission,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import {
  audited,
  callerCredentials,
  promotionDetails,
  promotionDetailsOf,
  readableEntity,
  renderJson,
  requireSemver,
  ReleaseApiRouter,
  RouteContext,
  sendRendered,
} from '../context';
import { PromotionService } from '../../engine/PromotionService';
import { hasPhaseRole } from '../../access/phaseAccess';
import { ReleaseEntity } from '../../access/EntityResolver';
import { StoredPromotion } from '../../database/PromotionStore';

/** How many waiting promotions one inbox query reads at a time. */
const INBOX_BATCH = 200;

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
      const body = req.body;
      // Every permission decision of the request in one permission call:
      // read, deploy into the phase, and skip/override when asked for.
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
        t => {
          if (!t.template.phases.some(p => p.id === body.phase)) return [];
          const resourceRef = toPhaseResourceRef(t.entityRef, body.phase);
          return [
            { permission: releasePromotionCreatePermission, resourceRef },
            ...(body.skipRequires
              ? [{ permission: releasePromotionSkipPermission, resourceRef }]
              : []),
            ...(body.override
              ? [{ permission: releaseFreezeOverridePermission, resourceRef }]
              : []),
          ];
        },
      );
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
          override: overrideMeta(body.override),
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
            deployAt: body.deployAt,
            deployInNextWindow: body.deployInNextWindow,
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
          override: overrideMeta(body.override),
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

  router.put('/promotions/:id/schedule', async (req, res) => {
    const { credentials, promotion, target } = await readablePromotion(
      req,
      req.params.id,
    );
    const updated = await audited(
      ctx,
      req,
      'promotion-schedule',
      'medium',
      {
        promotionId: promotion.id,
        entityRef: promotion.entityRef,
        phase: promotion.phase,
        deployAt: req.body.deployAt ?? null,
        deployInNextWindow: req.body.deployInNextWindow ?? false,
      },
      () =>
        ctx.service.reschedule({
          credentials,
          target,
          promotion,
          deployAt: req.body.deployAt,
          deployInNextWindow: req.body.deployInNextWindow,
        }),
    );
    const [detail] = await promotionDetails(ctx, target, [updated]);
    res.json(detail);
  });

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
    const limit = req.query.limit ?? 20;
    const cursor = req.query.cursor;
    const start = decodeInboxCursor(cursor);
    const mine = await ctx.access.ownership(credentials);
    const renderPage = async () => {
      let after = start;
      // The page's promotions; their details are read once, for all of them.
      const kept: Array<{
        target: ReleaseEntity;
        promotion: StoredPromotion;
      }> = [];
      let nextCursor: string | undefined;
      // Pages through the waiting promotions in SQL (keyset, no scan limit)
      // until the page is full of promotions the caller may decide. The first
      // batch is the page's size (an approver usually may decide what waits
      // for them: a full batch fills the page); each further one is larger,
      // up to INBOX_BATCH.
      let size = Math.min(INBOX_BATCH, limit);
      for (;;) {
        const batch = await ctx.promotions.listAwaitingDecision({
          userRef,
          limit: size,
          after,
        });
        const targets = await ctx.entities.resolveMany(
          [...new Set(batch.map(p => p.entityRef))],
          credentials,
        );
        const readable = await ctx.access.filter(
          credentials,
          releaseReadPermission,
          [...targets.keys()],
        );
        const candidates = batch.filter(p => {
          const target = targets.get(p.entityRef);
          const phase = target?.template.phases.find(ph => ph.id === p.phase);
          if (!target || !phase || !readable.has(target.entityRef))
            return false;
          if (!phase.approvals.allowSelfApproval && p.requestedBy === userRef)
            return false;
          return hasPhaseRole(mine, phase, target.owners, 'approver');
        });
        const allowed = await ctx.access.filter(
          credentials,
          releasePromotionApprovePermission,
          candidates.map(p => toPhaseResourceRef(p.entityRef, p.phase)),
        );
        for (const p of batch) {
          after = { requestedAt: p.requestedAt, id: p.id };
          if (
            !candidates.includes(p) ||
            !allowed.has(toPhaseResourceRef(p.entityRef, p.phase))
          ) {
            continue;
          }
          kept.push({ target: targets.get(p.entityRef)!, promotion: p });
          if (kept.length === limit) break;
        }
        if (kept.length === limit) {
          nextCursor = encodeInboxCursor(after!);
          break;
        }
        if (batch.length < size) break;
        size = Math.min(INBOX_BATCH, size * 4);
      }
      const items = await promotionDetailsOf(ctx, kept);
      return renderJson(
        JSON.stringify({ items, ...(nextCursor ? { nextCursor } : {}) }),
      );
    };
    // The rendered page, kept while no entity changed (a decision, a new
    // or finished promotion anywhere drops it) and for at most as long as a
    // list reuses permission decisions.
    const page = ctx.readCache
      ? await ctx.readCache.readAcross(
          `inbox|${userRef}|${mine.join(',')}|${limit}|${cursor ?? ''}`,
          ctx.access.listDecisionTtlMs,
          renderPage,
        )
      : await renderPage();
    sendRendered(res, page);
  });
}

/** What the audit event records of an override: its reason and the gates it names. */
function overrideMeta(
  override: { reason: string; gates?: string[] } | undefined,
) {
  return override
    ? { reason: override.reason, gates: override.gates ?? 'those blocking now' }
    : false;
}

/** Opaque keyset cursor of the inbox: request time and id of the last row seen. */
function encodeInboxCursor(after: { requestedAt: string; id: string }) {
  const text = `${Date.parse(after.requestedAt)}.${after.id.replace(/-/g, '')}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodeInboxCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{1,15})\.([0-9a-f]{32})$/.exec(decoded);
  if (!m) {
    throw new InputError(
      `Invalid cursor '${cursor}'; pass nextCursor from a previous page`,
    );
  }
  const h = m[2];
  return {
    requestedAt: new Date(Number(m[1])).toISOString(),
    id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
      16,
      20,
    )}-${h.slice(20)}`,
  };
}
