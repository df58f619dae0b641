import { InputError } from '@backstage/errors';
import { releaseReadPermission } from '@release-manager/backstage-plugin-release-common';
import {
  audited,
  callerCredentials,
  readableTarget,
  ReleaseApiRouter,
  RouteContext,
} from '../context';
import { EntityResolver } from '../../access/EntityResolver';
import { TrainService } from '../../engine/TrainService';

/** Page cursors of train lists: the offset, opaque to clients. */
function encodeOffset(offset: number) {
  return Buffer.from(`train:${offset}`, 'utf8').toString('base64url');
}

function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const m = /^train:(\d{1,9})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!m) {
    throw new InputError(
      `Invalid cursor '${cursor}'; pass nextCursor from a previous page`,
    );
  }
  return Number(m[1]);
}

/** Release train routes (spec: openapi.yaml, `Train`). */
export function registerTrainRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext & { trains: TrainService },
) {
  const { trains } = ctx;

  router.get('/train-definitions', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    res.json(await trains.definitions(credentials));
  });

  router.get(
    '/entities/:kind/:namespace/:name/train-plan',
    async (req, res) => {
      const credentials = await callerCredentials(ctx, req);
      const ref = EntityResolver.toEntityRef(
        req.params.kind,
        req.params.namespace,
        req.params.name,
      );
      res.json(await trains.plan(credentials, ref, req.query.phase));
    },
  );

  router.post('/trains', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const body = req.body;
    const { train } = await audited(
      ctx,
      req,
      'train-request',
      'medium',
      {
        system: body.system,
        phase: body.phase,
        members: (body.members ?? []).map(m => `${m.entityRef}@${m.version}`),
      },
      () =>
        trains.request({
          credentials,
          system: body.system,
          phase: body.phase,
          members: body.members,
          comment: body.comment,
          idempotencyKey: req.header('Idempotency-Key') ?? undefined,
        }),
    );
    for (const m of train.members) ctx.readCache?.invalidate(m.entityRef);
    res.status(202).json(train);
  });

  const list = async (
    credentials: Awaited<ReturnType<typeof callerCredentials>>,
    query: {
      system?: string;
      entity?: string;
      status?: 'open' | 'all';
      limit?: number;
      cursor?: string;
    },
  ) => {
    const offset = decodeOffset(query.cursor);
    const page = await trains.list(credentials, {
      system: query.system?.toLocaleLowerCase('en-US'),
      entity: query.entity?.toLocaleLowerCase('en-US'),
      open: query.status === 'open',
      limit: query.limit ?? 20,
      offset,
    });
    return {
      items: page.items,
      ...(page.next !== undefined
        ? { nextCursor: encodeOffset(page.next) }
        : {}),
    };
  };

  router.get('/trains', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    res.json(await list(credentials, req.query));
  });

  router.get('/entities/:kind/:namespace/:name/trains', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const ref = EntityResolver.toEntityRef(
      req.params.kind,
      req.params.namespace,
      req.params.name,
    );
    res.json(await list(credentials, { ...req.query, entity: ref }));
  });

  router.get('/trains/:id', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const train = await trains.readable(credentials, req.params.id);
    res.json(await trains.view(train, credentials));
  });

  router.get('/trains/:id/changes', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const train = await trains.readable(credentials, req.params.id);
    const members = [];
    for (const m of train.members) {
      if (!m.promotionId) continue;
      const target = await readableTarget(ctx, credentials, m.entityRef);
      await ctx.access.authorize(
        credentials,
        releaseReadPermission,
        target.entityRef,
      );
      const promotion = await ctx.service.get(m.promotionId);
      members.push({
        entityRef: m.entityRef,
        changes: await ctx.changes.ofPromotion(
          target,
          promotion,
          ctx.access.configReader(credentials, target),
        ),
      });
    }
    res.json({ members });
  });

  // A decision, a cancel and a rollback: audited, then every member's
  // cached reads dropped before the answer.
  const trainAction = (
    action: 'approve' | 'reject' | 'cancel' | 'rollback',
    severity: 'medium' | 'high',
    status: number,
    run: (options: {
      credentials: Awaited<ReturnType<typeof callerCredentials>>;
      id: string;
      comment?: string;
    }) => Promise<{ members: { entityRef: string }[] }>,
  ) =>
    router.post(`/trains/:id/${action}`, async (req, res) => {
      const credentials = await callerCredentials(ctx, req);
      const train = await audited(
        ctx,
        req,
        `train-${action}`,
        severity,
        { trainId: req.params.id },
        () =>
          run({ credentials, id: req.params.id, comment: req.body?.comment }),
      );
      for (const m of train.members) ctx.readCache?.invalidate(m.entityRef);
      res.status(status).json(train);
    });

  for (const decision of ['approve', 'reject'] as const) {
    trainAction(decision, 'high', 200, o => trains.decide({ ...o, decision }));
  }
  trainAction('cancel', 'medium', 200, o => trains.cancel(o));
  trainAction('rollback', 'high', 202, o => trains.rollback(o));
}
