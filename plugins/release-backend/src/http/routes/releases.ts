import { hasPhaseRole } from '../../access/phaseAccess';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  findActiveFreeze,
  PipelinePhaseView,
  mergeReleasePlan,
  nextDeploymentWindow,
  validateReleasePlan,
  releaseCreatePermission,
  ReleaseWithStatus,
  validateCreateRelease,
} from '@release-manager/backstage-plugin-release-common';
import { StoredRelease } from '../../database/ReleaseStore';
import {
  actorRef,
  CallerCredentials,
  callerKey,
} from '../../access/AccessGuard';
import { ReleaseEntity } from '../../access/EntityResolver';
import {
  audited,
  readableEntity,
  requireSemver,
  renderJson,
  sendRendered,
  ReleaseApiRouter,
  RouteContext,
} from '../context';
import { decodeCursor, encodeCursor } from '../cursor';

const DEFAULT_PAGE_SIZE = 20;

/** The shared part of a pipeline view, as JSON pieces (see the route). */
interface RenderedPipeline {
  head: string;
  phases: string[];
}

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
    const { credentials, target } = await readableEntity(ctx, req, req.params);
    const renderView = async (): Promise<RenderedPipeline> => {
      const state = await ctx.releases.getPipelineState(
        target.entityRef,
        target.template.phases.map(p => p.id),
      );
      const now = ctx.clock();
      const results = target.template.phases.some(p => p.checks?.length)
        ? await ctx.checks?.lastResults(target.entityRef)
        : undefined;
      const phases: Omit<PipelinePhaseView, 'actions'>[] =
        target.template.phases.map(phase => ({
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
          checks: (phase.checks ?? []).map(c => ({
            name: c.name,
            type: c.type,
            when: c.when,
            window: c.window,
            onFailure: c.onFailure,
            last: results?.get(phase.id)?.find(r => r.name === c.name) ?? null,
          })),
        }));
      const head = JSON.stringify({
        entityRef: target.entityRef,
        template: target.template.name,
      });
      return {
        head: `${head.slice(0, -1)},"phases":[`,
        // Each phase's JSON without its closing brace: the caller's actions
        // are appended per request.
        phases: phases.map(p => JSON.stringify(p).slice(0, -1)),
      };
    };
    // Without freeze or deployment windows the view depends only on the
    // stored state, so the rendered view is cached with the entity's other
    // reads; with them it is rendered for the current time (from the cached
    // state). Check results are not part of the cached state either. What
    // the caller may do is per caller: it is never cached with the shared
    // view.
    const timeless = target.template.phases.every(
      p =>
        p.freezeWindows.length === 0 &&
        (p.deploymentWindows ?? []).length === 0 &&
        !p.checks?.length,
    );
    const render = async () => {
      const [view, actions] = await Promise.all([
        ctx.readCache && timeless
          ? ctx.readCache.read(
              target.entityRef,
              `pipeline-parts:${target.template.name}`,
              renderView,
            )
          : renderView(),
        ctx.access.phaseActions(credentials, {
          entityRef: target.entityRef,
          owners: target.owners,
          phases: target.template.phases,
        }),
      ]);
      const phasesJson = view.phases.map(
        (json, i) =>
          `${json},"actions":${JSON.stringify(
            actions.get(target.template.phases[i].id),
          )}}`,
      );
      return renderJson(`${view.head}${phasesJson.join(',')}]}`);
    };
    // The view as this caller sees it (with what they may do), kept with the
    // entity's other reads and, like a list's permission decisions, for at
    // most release.readCache.listDecisionsMs. The read permission itself
    // was checked above, on this request.
    sendRendered(
      res,
      ctx.readCache && timeless
        ? await ctx.readCache.read(
            target.entityRef,
            `pipeline-for:${target.template.name}:${callerKey(credentials)}`,
            render,
            ctx.access.listDecisionTtlMs,
          )
        : await render(),
    );
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
      requireSemver(req.params.version);
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
