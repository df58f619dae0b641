import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  EntityStatus,
  parseReleaseEntityRef,
  releaseReadPermission,
} from '@release-manager/backstage-plugin-release-common';
import { CallerCredentials } from '../access/AccessGuard';
import { ReleaseEntity } from '../access/EntityResolver';
import { RouteContext } from './context';

/** Parses and normalises entity refs; a malformed one is a 400 naming it. */
export function parseEntityRefs(refs: string[]): string[] {
  return refs.map(ref => {
    const parsed = parseReleaseEntityRef(ref);
    if ('problem' in parsed) {
      throw new InputError(parsed.problem);
    }
    return parsed.entityRef;
  });
}

/** A status item, and the same as JSON (what the HTTP route sends). */
export interface StatusEntry {
  item: EntityStatus;
  json: string;
  /** A hash of `json`, for the entity tag of a body joined from entries. */
  hash: string;
}

/**
 * The phase summary of each entity the caller may read, in a fixed number
 * of queries whatever the number of entities (none when every entity is in
 * the read cache). Entities that do not exist, that the catalog hides from
 * the caller, that have no pipeline or whose release read permission is
 * denied are left out (a list filters, it does not fail).
 */
async function statusEntries(
  ctx: Pick<RouteContext, 'entities' | 'access' | 'releases' | 'readCache'>,
  credentials: CallerCredentials,
  entityRefs: string[],
): Promise<StatusEntry[]> {
  const unique = [...new Set(parseEntityRefs(entityRefs))];
  const targets = await ctx.entities.resolveMany(unique, credentials);
  return readableStatusEntries(
    ctx,
    credentials,
    unique.filter(ref => targets.has(ref)).map(ref => targets.get(ref)!),
  );
}

/**
 * The phase summaries of entities already resolved for the caller, in their
 * order; those whose release read permission is denied are left out. One
 * permission call and at most one query, whatever the number.
 */
export async function readableStatusEntries(
  ctx: Pick<RouteContext, 'access' | 'releases' | 'readCache'>,
  credentials: CallerCredentials,
  targets: ReleaseEntity[],
): Promise<StatusEntry[]> {
  const byRef = new Map(targets.map(t => [t.entityRef, t]));
  const readable = await ctx.access.filter(credentials, releaseReadPermission, [
    ...byRef.keys(),
  ]);
  const refsToShow = [...byRef.keys()].filter(r => readable.has(r));
  const load = async (refs: string[]) => {
    const summary = await ctx.releases.getStatusSummary(refs);
    return new Map(
      refs.map(entityRef => {
        const target = byRef.get(entityRef)!;
        const phases = summary.get(entityRef) ?? {};
        const item: EntityStatus = {
          entityRef,
          phases: target.template.phases.map(p => ({
            id: p.id,
            title: p.title,
            currentVersion: phases[p.id]?.currentVersion,
            activeStatus: phases[p.id]?.activeStatus,
            pending: phases[p.id]?.pending ?? 0,
            ...(phases[p.id]?.scheduled
              ? { scheduled: phases[p.id]!.scheduled }
              : {}),
            ...(phases[p.id]?.failed ? { failed: true } : {}),
          })),
        };
        const json = JSON.stringify(item);
        const hash = createHash('sha1').update(json).digest('base64url');
        return [entityRef, { item, json, hash }];
      }),
    );
  };
  // Cached per entity and pipeline; dropped when the entity changes.
  const entries = ctx.readCache
    ? await ctx.readCache.readMany(
        refsToShow,
        ref => `status:${byRef.get(ref)!.template.name}`,
        load,
      )
    : await load(refsToShow);
  return refsToShow.map(ref => entries.get(ref)!);
}

/** Used by the `get-release-status` action; see {@link statusEntries}. */
export async function releaseStatus(
  ctx: Pick<RouteContext, 'entities' | 'access' | 'releases' | 'readCache'>,
  credentials: CallerCredentials,
  entityRefs: string[],
): Promise<EntityStatus[]> {
  return (await statusEntries(ctx, credentials, entityRefs)).map(e => e.item);
}

/**
 * The body of `POST /status`, joined from each entity's JSON (hundreds of
 * entities per request: serializing them again each time was most of its
 * cost).
 */
export async function releaseStatusJson(
  ctx: Pick<RouteContext, 'entities' | 'access' | 'releases' | 'readCache'>,
  credentials: CallerCredentials,
  entityRefs: string[],
): Promise<{ body: string; etag: string }> {
  const entries = await statusEntries(ctx, credentials, entityRefs);
  // The body is the entries joined in order: its tag is made of theirs
  // (hashing the whole body again on every request cost as much as
  // joining it).
  const hash = createHash('sha1');
  for (const e of entries) hash.update(e.hash);
  return {
    body: `{"items":[${entries.map(e => e.json).join(',')}]}`,
    etag: `W/"${entries.length.toString(16)}-${hash.digest('base64url')}"`,
  };
}
