import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  PromotionStatus,
  releaseReadPermission,
} from '@release-manager/backstage-plugin-release-common';
import { CallerCredentials } from './AccessGuard';
import { RouteContext } from './context';

/** One entity's phases in a bulk status answer. */
export interface EntityStatus {
  entityRef: string;
  phases: Array<{
    id: string;
    title: string;
    currentVersion?: string;
    activeStatus?: PromotionStatus;
    pending: number;
  }>;
}

/** Parses and normalises entity refs; a malformed one is a 400 naming it. */
export function parseEntityRefs(refs: string[]): string[] {
  return refs.map(ref => {
    try {
      return stringifyEntityRef(parseEntityRef(ref));
    } catch (e) {
      throw new InputError(
        `Invalid entity ref '${ref}': ${(e as Error).message}`,
      );
    }
  });
}

/**
 * The phase summary of each entity the caller may read, in a fixed number
 * of queries whatever the number of entities. Entities that do not exist,
 * that the catalog hides from the caller, that have no pipeline or whose
 * release read permission is denied are left out (a list filters, it does
 * not fail). Used by `POST /status` and the `get-release-status` action.
 */
export async function releaseStatus(
  ctx: Pick<RouteContext, 'entities' | 'access' | 'releases'>,
  credentials: CallerCredentials,
  entityRefs: string[],
): Promise<EntityStatus[]> {
  const unique = [...new Set(parseEntityRefs(entityRefs))];
  const targets = await ctx.entities.resolveMany(unique, credentials);
  const readable = await ctx.access.filter(credentials, releaseReadPermission, [
    ...targets.keys(),
  ]);
  const refsToShow = unique.filter(r => readable.has(r));
  const summary = await ctx.releases.getStatusSummary(refsToShow);
  return refsToShow.map(entityRef => {
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
  });
}
