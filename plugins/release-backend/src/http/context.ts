import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import {
  isApprovalValid,
  releaseReadPermission,
} from '@release-manager/backstage-plugin-release-common';
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
import { ConfigService } from '../engine/ConfigService';
import { PromotionService } from '../engine/PromotionService';

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
  entities: EntityResolver;
  access: AccessGuard;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  clock: () => Date;
  /** Cached reads to drop when a mutation of an entity commits. */
  readCache?: EntityReadCache;
}

type AnyRequest = Request<any, any, any, any>;

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
): Promise<{ credentials: CallerCredentials; target: ReleaseEntity }> {
  const credentials = await callerCredentials(ctx, req);
  const ref = EntityResolver.toEntityRef(
    params.kind,
    params.namespace,
    params.name,
  );
  return { credentials, target: await readableTarget(ctx, credentials, ref) };
}

/**
 * The entity as the caller may see it in the catalog (else a 404), once the
 * release read permission allows it (else a 403).
 */
export async function readableTarget(
  ctx: Pick<RouteContext, 'entities' | 'access'>,
  credentials: CallerCredentials,
  entityRef: string,
): Promise<ReleaseEntity> {
  const target = await ctx.entities.resolve(entityRef, credentials);
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
  try {
    const result = await fn();
    await event.success();
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  } finally {
    // Committed (or rolled back) by now: the caller's next read of the
    // entity must not come from the cache. Other processes learn of the
    // change from the database's change feed.
    if (typeof meta.entityRef === 'string') {
      ctx.readCache?.invalidate(meta.entityRef);
    }
  }
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
  const approvals = await ctx.promotions.listApprovals(list.map(p => p.id));
  const versions = [...new Set(list.map(p => p.version))];
  const releases = new Map<string, StoredRelease>();
  for (const version of versions) {
    const release = await ctx.releases.getRelease(target.entityRef, version);
    if (release) releases.set(version, release);
  }
  return list.map(p =>
    toPromotionDetail(
      p,
      approvals,
      releases.get(p.version)!,
      target.template.phases.find(ph => ph.id === p.phase)?.approvals
        .required ?? 0,
    ),
  );
}

/** A JSON body as sent: bytes and their entity tag, computed once. */
export interface RenderedJson {
  body: Buffer;
  etag: string;
}

/** Renders a JSON text for {@link sendRendered} (weak ETag, as express makes). */
export function renderJson(json: string): RenderedJson {
  const body = Buffer.from(json, 'utf8');
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return { body, etag: `W/"${body.length.toString(16)}-${hash}"` };
}

/**
 * Sends a rendered JSON body; a cached body is sent without serializing,
 * encoding or hashing it again, and a client holding it gets a 304.
 */
export function sendRendered(res: Response, rendered: RenderedJson) {
  res.set('ETag', rendered.etag);
  res.type('application/json');
  res.send(rendered.body);
}
