import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { releaseReadPermission } from '@release-manager/backstage-plugin-release-common';
import { callerCredentials, ReleaseApiRouter, RouteContext } from '../context';

/** Bulk status: a fixed number of queries, whatever the number of entities. */
export function registerStatusRoutes(
  router: ReleaseApiRouter,
  ctx: RouteContext,
) {
  router.post('/status', async (req, res) => {
    const credentials = await callerCredentials(ctx, req);
    const refs = req.body.entityRefs.map(ref => {
      try {
        return stringifyEntityRef(parseEntityRef(ref));
      } catch (e) {
        throw new InputError(
          `Invalid entity ref '${ref}': ${(e as Error).message}`,
        );
      }
    });
    const unique = [...new Set(refs)];
    const targets = await ctx.entities.resolveMany(unique, credentials);
    const readable = await ctx.access.filter(
      credentials,
      releaseReadPermission,
      [...targets.keys()],
    );
    const refsToShow = unique.filter(r => readable.has(r));
    const summary = await ctx.releases.getStatusSummary(refsToShow);
    res.json({
      items: refsToShow.map(entityRef => {
        const target = targets.get(entityRef)!;
        const phases = summary.get(entityRef) ?? {};
        return {
          entityRef,
          phases: target.template.phases.map(p => ({
            id: p.id,
            title: p.title,
            currentVersion: phases[p.id]?.currentVersion,
            activeStatus: phases[p.id]?.activeStatus,
            pending: phases[p.id]?.pending ?? 0,
          })),
        };
      }),
    });
  });
}
