import { statusOf } from './errors';
import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import {
  isApprovalValid,
  releaseReadPermission,
  semverProblem,
} from '@release-manager/backstage-plugin-release-common';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { createHash } from 'crypto';
import { Request, Response } from 'express';
import {
  PromotionStore,
  StoredApproval,
  StoredPromotion,
} from '../database/PromotionStore';
import { ReleaseStore, StoredRelease } from '../database/ReleaseStore';
import { MetricsStore } from '../database/DatabaseMetricsStore';
import { spec } from '../schema/openapi.generated';
import { EntityReadCache } from '../cache/EntityReadCache';
import { AccessGuard, CallerCredentials } from '../access/AccessGuard';
import { EntityResolver, ReleaseEntity } from '../access/EntityResolver';
import { ChangeSetService } from '../changes/ChangeSetService';
import { ConfigVersions } from '../changes/ConfigVersions';
import { ConfigService } from '../engine/ConfigService';
import { PromotionService } from '../engine/PromotionService';
import { CheckRunner } from '../checks/CheckRunner';
import { TrainService } from '../engine/TrainService';

/** The typed router of the release API. */
export type ReleaseApiRouter = ApiRouter<typeof spec>;

/** What every route module gets. */
export interface RouteContext {
  releases: ReleaseStore;
  promotions: PromotionStore;
  /** Reads for delivery metrics. */
  metrics: MetricsStore;
  service: PromotionService;
  configs: ConfigService;
  /** Change sets of promotions (read-only). */
  changes: ChangeSetService;
  /** The versions of phase configurations (read-only). */
  configVersions: ConfigVersions;
  entities: EntityResolver;
  access: AccessGuard;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  clock: () => Date;
  /** Cached reads to drop when a mutation of an entity commits. */
  readCache?: EntityReadCache;
  /** Verification checks and their last results. */
  checks?: CheckRunner;
  /** Where failures of the server (5xx) are logged. */
  logger?: LoggerService;
  /** Release trains. */
  trains?: TrainService;
}

type AnyRequest = Request<any, any, any, any>;

/**
 * A 400 unless the version is a semantic version the project accepts: every
 * route that takes a version (path or body) calls this before anything
 * reads the database with it.
 */
export function requireSemver(version: string | undefined): void {
  if (version === undefined) return;
  const problem = semverProblem(version);
  if (problem) {
    throw new InputError(problem);
  }
}

/** The caller's credentials: users and services, never limited (cookie) tokens. */
export async function callerCredentials(
  ctx: RouteContext,
  req: AnyRequest,
): Promise<CallerCredentials> {
  return ctx.httpAuth.credentials(req, { allow: ['user', 'service'] });
}

/**
 * Resolves the entity named by the path with the caller's own credentials
 * (a caller who may not read it in the catalog gets a 404) and checks the
 * release read permission.
 */
export async function readableEntity(
  ctx: RouteContext,
  req: AnyRequest,
  params: { kind: string; namespace: string; name: string },
  /**
   * Further permission decisions the request will need (checked where they
   * apply), asked for in the same permission call as the read permission.
   */
  alsoNeeded?: (target: ReleaseEntity) => PermissionRequest[],
): Promise<{ credentials: CallerCredentials; target: ReleaseEntity }> {
  const credentials = await callerCredentials(ctx, req);
  const ref = EntityResolver.toEntityRef(
    params.kind,
    params.namespace,
    params.name,
  );
  return {
    credentials,
    target: await readableTarget(ctx, credentials, ref, alsoNeeded),
  };
}

/** A permission decision to ask for ahead (see `AccessGuard.prefetch`). */
export type PermissionRequest = Parameters<AccessGuard['prefetch']>[1][number];

/**
 * The entity as the caller may see it in the catalog (else a 404), once the
 * release read permission allows it (else a 403).
 */
export async function readableTarget(
  ctx: Pick<RouteContext, 'entities' | 'access'>,
  credentials: CallerCredentials,
  entityRef: string,
  alsoNeeded?: (target: ReleaseEntity) => PermissionRequest[],
): Promise<ReleaseEntity> {
  const target = await ctx.entities.resolve(entityRef, credentials);
  if (alsoNeeded) {
    ctx.access.prefetch(credentials, [
      { permission: releaseReadPermission, resourceRef: target.entityRef },
      ...alsoNeeded(target),
    ]);
  }
  await ctx.access.authorize(
    credentials,
    releaseReadPermission,
    target.entityRef,
  );
  return target;
}

/**
 * Runs a mutation inside an auditor event: initiated, then success or
 * failure (rethrown). Without an HTTP request (an action invocation) the
 * caller belongs in `meta`.
 */
export async function audited<T>(
  ctx: Pick<RouteContext, 'auditor' | 'readCache'>,
  req: AnyRequest | undefined,
  eventId: string,
  severityLevel: AuditorServiceEventSeverityLevel,
  meta: JsonObject,
  fn: () => Promise<T>,
): Promise<T> {
  const event = await ctx.auditor.createEvent({
    eventId,
    severityLevel,
    request: req,
    meta,
  });
  // Committed (or rolled back) by now: the caller's next read of the entity
  // must not come from the cache. Other processes learn of the change from
  // the database's change feed. A request refused with a 4xx changed
  // nothing, and leaves the cache alone: in a burst of refused requests,
  // each one would otherwise send the next to the database.
  const changed = () => {
    if (typeof meta.entityRef === 'string') {
      ctx.readCache?.invalidate(meta.entityRef);
    }
  };
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    if (statusOf(error) >= 500) changed();
    await event.fail({ error: error as Error });
    throw error;
  }
  changed();
  await event.success();
  return result;
}

/** A promotion as the API shows it, with its approvals and release. */
export function toPromotionDetail(
  promotion: StoredPromotion,
  approvals: StoredApproval[],
  release: StoredRelease,
  approvalsRequired: number,
) {
  const {
    releaseId: _r,
    externalId: _e,
    snapshot,
    attempts: _a,
    nextAttemptAt: _n,
    secretCiphertexts: _s,
    ...rest
  } = promotion;
  const { id: _i, ...releaseView } = release;
  return {
    ...rest,
    approvalsRequired,
    providerType: snapshot?.provider.type,
    approvals: approvals
      .filter(a => a.promotionId === promotion.id)
      .map(a => ({
        userRef: a.userRef,
        decision: a.decision,
        comment: a.comment,
        decidedAt: a.decidedAt,
        valid: isApprovalValid(a, {
          artifact: release.artifact,
          configHash: promotion.configHash,
        }),
      })),
    release: releaseView,
  };
}

/** Loads approvals and releases for promotions and renders their details. */
export async function promotionDetails(
  ctx: Pick<RouteContext, 'promotions' | 'releases'>,
  target: ReleaseEntity,
  list: StoredPromotion[],
) {
  return promotionDetailsOf(
    ctx,
    list.map(promotion => ({ target, promotion })),
  );
}

/**
 * Promotions of any entities as the API shows them: their approvals and
 * releases in two reads, whatever the number of promotions (the inbox).
 */
export async function promotionDetailsOf(
  ctx: Pick<RouteContext, 'promotions' | 'releases'>,
  list: Array<{ target: ReleaseEntity; promotion: StoredPromotion }>,
) {
  if (list.length === 0) return [];
  const approvals = await ctx.promotions.listApprovals(
    list.map(i => i.promotion.id),
  );
  const releases = await ctx.releases.getReleasesByIds(
    list.map(i => i.promotion.releaseId),
  );
  return list.map(({ target, promotion: p }) =>
    toPromotionDetail(
      p,
      approvals,
      releases.get(String(p.releaseId))!,
      target.template.phases.find(ph => ph.id === p.phase)?.approvals
        .required ?? 0,
    ),
  );
}

/** A JSON body as sent, its length in bytes and its entity tag, computed once. */
export interface RenderedJson {
  body: string;
  etag: string;
  /** UTF-8 bytes of `body`; counted when sent if not given. */
  length?: number;
}

/**
 * Renders a JSON text for {@link sendRendered} (weak ETag, as express makes).
 *
 * The body stays a string, in V8's heap. A `Buffer` per kept body would be a
 * block of the C library's malloc arena of its own: kept for seconds, freed
 * in scattered order when a major collection finds it dead, those blocks
 * fragmented the arena, and the backend's resident set grew by about 9 MB
 * with each pass over 5,000 entities (bench P13) while the live heap did
 * not. V8 compacts its own heap.
 */
export function renderJson(json: string): RenderedJson {
  const length = Buffer.byteLength(json, 'utf8');
  const hash = createHash('sha1').update(json, 'utf8').digest('base64');
  return {
    body: json,
    etag: `W/"${length.toString(16)}-${hash.slice(0, 27)}"`,
    length,
  };
}

/**
 * Sends a rendered JSON body as `res.send` would (the same headers, a 304
 * for a client that holds it, no body for HEAD), without serializing or
 * hashing it again. Written with the headers in one go: `res.send` would
 * copy the string into a buffer of its own first.
 */
export function sendRendered(res: Response, rendered: RenderedJson) {
  res.setHeader('ETag', rendered.etag);
  if (res.req.fresh) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader(
    'Content-Length',
    rendered.length ?? Buffer.byteLength(rendered.body, 'utf8'),
  );
  if (res.req.method === 'HEAD') res.end();
  else res.end(rendered.body, 'utf8');
}
