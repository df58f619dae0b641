import {
  audited,
  readableEntity,
  ReleaseApiRouter,
  RouteContext,
} from '../context';

/** Phase configuration, secrets and the diff between phases. */
export function registerConfigRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.get(
    '/entities/:kind/:namespace/:name/phases/:phase/config',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      res.json(await ctx.configs.view(credentials, target, req.params.phase));
    },
  );

  router.put(
    '/entities/:kind/:namespace/:name/phases/:phase/config',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      const saved = await audited(
        ctx,
        req,
        'config-update',
        'high',
        {
          entityRef: target.entityRef,
          phase: req.params.phase,
          expectedVersion: req.body.expectedVersion,
        },
        () =>
          ctx.configs.replace(credentials, target, req.params.phase, req.body),
      );
      res.json({
        version: saved.version,
        hash: saved.hash,
        createdBy: saved.createdBy,
        createdAt: saved.createdAt,
        change: saved.change,
        comment: saved.comment,
      });
    },
  );

  /** Sets (value) or removes (undefined) a secret; answers 204 either way. */
  async function changeSecret(
    req: Parameters<typeof readableEntity>[1] & {
      params: {
        kind: string;
        namespace: string;
        name: string;
        phase: string;
        secret: string;
      };
    },
    value: string | undefined,
  ) {
    const { credentials, target } = await readableEntity(ctx, req, req.params);
    const { phase, secret } = req.params;
    await audited(
      ctx,
      req,
      value === undefined ? 'secret-delete' : 'secret-update',
      'high',
      { entityRef: target.entityRef, phase, secret },
      () => ctx.configs.changeSecret(credentials, target, phase, secret, value),
    );
  }

  router.put(
    '/entities/:kind/:namespace/:name/phases/:phase/secrets/:secret',
    async (req, res) => {
      await changeSecret(req, req.body.value);
      res.status(204).end();
    },
  );

  router.delete(
    '/entities/:kind/:namespace/:name/phases/:phase/secrets/:secret',
    async (req, res) => {
      await changeSecret(req, undefined);
      res.status(204).end();
    },
  );

  router.get('/entities/:kind/:namespace/:name/diff', async (req, res) => {
    const { credentials, target } = await readableEntity(ctx, req, req.params);
    res.json(
      await ctx.configs.diff(credentials, target, req.query.from, req.query.to),
    );
  });

  router.get(
    '/entities/:kind/:namespace/:name/phases/:phase/config/versions',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      res.json(
        await ctx.configVersions.list(credentials, target, req.params.phase, {
          limit: req.query.limit ?? 20,
          beforeVersion:
            req.query.cursor !== undefined
              ? Number(req.query.cursor)
              : undefined,
        }),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/phases/:phase/config/versions/:configVersion',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      res.json(
        await ctx.configVersions.view(
          credentials,
          target,
          req.params.phase,
          Number(req.params.configVersion),
        ),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/phases/:phase/config/diff',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      res.json(
        await ctx.configVersions.diff(
          credentials,
          target,
          req.params.phase,
          Number(req.query.from),
          Number(req.query.to),
        ),
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/phases/:phase/config/restore',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      const saved = await audited(
        ctx,
        req,
        'config-restore',
        'high',
        {
          entityRef: target.entityRef,
          phase: req.params.phase,
          restoredVersion: req.body.version,
          expectedVersion: req.body.expectedVersion,
        },
        () =>
          ctx.configs.restore(credentials, target, req.params.phase, req.body),
      );
      res.json({
        version: saved.version,
        hash: saved.hash,
        createdBy: saved.createdBy,
        createdAt: saved.createdAt,
        change: saved.change,
        comment: saved.comment,
      });
    },
  );
}
