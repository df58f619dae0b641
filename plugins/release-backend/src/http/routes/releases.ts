import { hasPhaseRole } from '../../access/phaseAccess';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  findActiveFreeze,
  mergeReleasePlan,
  nextDeploymentWindow,
  validateReleasePlan,
  PipelineView,
  releaseCreatePermission,
  ReleaseWithStatus,
  validateCreateRelease,
} from '@release-manager/backstage-plugin-release-common';
import { StoredRelease } from '../../database/ReleaseStore';
import { actorRef, CallerCredentials } from '../../access/AccessGuard';
import { ReleaseEntity } from '../../access/EntityResolver';
import {
  audited,
  readableEntity,
  renderJson,
  sendRendered,
  ReleaseApiRouter,
  RouteContext,
} from '../context';
import { decodeCursor, encodeCursor } from '../cursor';

const DEFAULT_PAGE_SIZE = 20;

/** Pipeline and release routes. */
export function registerReleaseRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  async function withPhaseStatuses(
    entityRef: string,
    releases: StoredRelease[],
  ): Promise<ReleaseWithStatus[]> {
    const statuses = await ctx.releases.getReleasePhaseStatuses(
      entityRef,
      releases.map(r => r.id),
    );
    return releases.map(({ id, ...release }) => ({
      ...release,
      phases: statuses.get(id) ?? {},
    }));
  }

  /**
   * Release creation rights: the permission, and for users the phase
   * access from the pipeline config (deployers of any phase; default the
   * entity's owners).
   */
  async function mayCreateReleases(
    credentials: CallerCredentials,
    target: ReleaseEntity,
  ) {
    await ctx.access.authorize(
      credentials,
      releaseCreatePermission,
      target.entityRef,
    );
    if (credentials.principal.type === 'user') {
      // Phase access from the pipeline config: deployers of any phase
      // (default: owners).
      const mine = await ctx.access.ownership(credentials);
      if (
        !target.template.phases.some(p =>
          hasPhaseRole(mine, p, target.owners, 'deployer'),
        )
      ) {
        throw new NotAllowedError(
          `Only the owners or deployers of ${target.entityRef} may create releases`,
        );
      }
    }
  }

  router.get('/entities/:kind/:namespace/:name/pipeline', async (req, res) => {
    const { target } = await readableEntity(ctx, req, req.params);
    const renderView = async () => {
      const state = await ctx.releases.getPipelineState(
        target.entityRef,
        target.template.phases.map(p => p.id),
      );
      const now = ctx.clock();
      const view: PipelineView = {
        entityRef: target.entityRef,
        template: target.template.name,
        phases: target.template.phases.map(phase => ({
          id: phase.id,
          title: phase.title,
          order: phase.order,
          providerType: phase.provider.type,
          current: state.current[phase.id] ?? null,
          active: state.active[phase.id] ?? null,
          pending: state.pending[phase.id] ?? [],
          lastOutcome: state.lastOutcome[phase.id] ?? null,
          lock: state.locks[phase.id] ?? null,
          freeze: findActiveFreeze(phase.freezeWindows, now) ?? null,
          gates: {
            requires: phase.requires,
            approvalsRequired: phase.approvals.required,
            allowSelfApproval: phase.approvals.allowSelfApproval,
            freezeWindows: phase.freezeWindows.length,
            soakTime: phase.soakTime,
            autoPromote: phase.autoPromote,
          },
          deploymentWindows: {
            ...nextDeploymentWindow(phase, now),
            windows: phase.deploymentWindows ?? [],
          },
        })),
      };
      return renderJson(JSON.stringify(view));
    };
    // Without freeze or deployment windows the view depends only on the
    // stored state, so the rendered view is cached with the entity's other
    // reads; with them it is rendered for the current time (from the cached
    // state).
    const timeless = target.template.phases.every(
      p =>
        p.freezeWindows.length === 0 &&
        (p.deploymentWindows ?? []).length === 0,
    );
    const body =
      ctx.readCache && timeless
        ? await ctx.readCache.read(
            target.entityRef,
            `pipeline-json:${target.template.name}`,
            renderView,
          )
        : await renderView();
    sendRendered(res, body);
  });

  router.get('/entities/:kind/:namespace/:name/releases', async (req, res) => {
    const { target } = await readableEntity(ctx, req, req.params);
    const limit = req.query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = decodeCursor(req.query.cursor);
    const renderPage = async () => {
      const page = await ctx.releases.listReleasesWithStatuses(
        target.entityRef,
        { limit, afterId },
      );
      const items = page.items.map(({ id: _id, ...release }) => release);
      const last = page.items[page.items.length - 1];
      return renderJson(
        JSON.stringify({
          items,
          nextCursor: page.hasMore && last ? encodeCursor(last.id) : undefined,
        }),
      );
    };
    // The page as sent, cached with the entity's other reads (PostgreSQL).
    const body = ctx.readCache
      ? await ctx.readCache.read(
          target.entityRef,
          `releases-json:${limit}:${afterId ?? ''}`,
          renderPage,
        )
      : await renderPage();
    sendRendered(res, body);
  });

  router.get(
    '/entities/:kind/:namespace/:name/releases/:version',
    async (req, res) => {
      const { target } = await readableEntity(ctx, req, req.params);
      const release = await ctx.releases.getRelease(
        target.entityRef,
        req.params.version,
      );
      if (!release) {
        throw new NotFoundError(
          `Release ${req.params.version} of ${target.entityRef} does not exist`,
        );
      }
      const [item] = await withPhaseStatuses(target.entityRef, [release]);
      res.json(item);
    },
  );

  router.post('/entities/:kind/:namespace/:name/releases', async (req, res) => {
    const { credentials, target } = await readableEntity(ctx, req, req.params);
    const body = req.body;
    const release = await audited(
      ctx,
      req,
      'release-create',
      'medium',
      { entityRef: target.entityRef, version: body.version },
      async () => {
        const problems = [
          ...validateCreateRelease(body),
          ...validateReleasePlan(body.plannedAt ?? {}, target.template),
        ];
        if (problems.length) {
          throw new InputError(problems.join('; '));
        }
        await mayCreateReleases(credentials, target);
        const { id: _id, ...created } = await ctx.releases.createRelease({
          entityRef: target.entityRef,
          version: body.version,
          artifact: body.artifact,
          commit: body.commit,
          notes: body.notes,
          committedAt: body.committedAt
            ? new Date(body.committedAt).toISOString()
            : undefined,
          plannedAt: body.plannedAt
            ? mergeReleasePlan(undefined, body.plannedAt)
            : undefined,
          createdBy: actorRef(credentials),
          createdAt: ctx.clock().toISOString(),
        });
        return created;
      },
    );
    res.status(201).json(release);
  });
  router.patch(
    '/entities/:kind/:namespace/:name/releases/:version/plan',
    async (req, res) => {
      const { credentials, target } = await readableEntity(
        ctx,
        req,
        req.params,
      );
      const { plannedAt } = req.body;
      const updated = await audited(
        ctx,
        req,
        'release-plan-update',
        'low',
        { entityRef: target.entityRef, version: req.params.version },
        async () => {
          // Access before state: 403 before 400/404.
          await mayCreateReleases(credentials, target);
          const problems = validateReleasePlan(plannedAt, target.template, {
            allowNull: true,
          });
          if (problems.length) {
            throw new InputError(problems.join('; '));
          }
          const release = await ctx.releases.updateReleasePlan({
            entityRef: target.entityRef,
            version: req.params.version,
            actor: actorRef(credentials),
            plan: current => mergeReleasePlan(current, plannedAt),
          });
          if (!release) {
            throw new NotFoundError(
              `Release ${req.params.version} of ${target.entityRef} does not exist`,
            );
          }
          return release;
        },
      );
      const [item] = await withPhaseStatuses(target.entityRef, [updated]);
      res.json(item);
    },
  );
}
