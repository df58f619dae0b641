import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  isInAccessList,
  PipelineView,
  releaseCreatePermission,
  releaseReadPermission,
  ReleaseWithStatus,
  resolvePhaseAccess,
  validateCreateRelease,
} from '@release-manager/backstage-plugin-release-common';
import { Request } from 'express';
import { ReleaseStore, StoredRelease } from '../database/ReleaseStore';
import { spec } from '../schema/openapi.generated';
import { decodeCursor, encodeCursor } from './cursor';
import { EntityResolver, ReleaseEntity } from './EntityResolver';

/** Everything the router needs, injected so tests can hand in their own. */
export interface RouterOptions {
  store: ReleaseStore;
  entities: EntityResolver;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  auditor: AuditorService;
  clock?: () => Date;
}

const DEFAULT_PAGE_SIZE = 20;

/** The ref recorded as the actor of a request. */
function actorRef(
  credentials: BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >,
): string {
  const p = credentials.principal;
  return p.type === 'user' ? p.userEntityRef : `service:${p.subject}`;
}

export async function createRouter(options: RouterOptions) {
  const { store, entities, httpAuth, userInfo, permissions, auditor } = options;
  const clock = options.clock ?? (() => new Date());
  const router = await createValidatedOpenApiRouter(spec);

  async function authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission | BasicPermission,
    resourceRef: string,
  ) {
    const [decision] = await permissions.authorize(
      [
        permission.type === 'resource'
          ? { permission, resourceRef }
          : { permission },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Permission ${permission.name} was denied for ${resourceRef}`,
      );
    }
  }

  /** Resolves the entity with the caller's credentials and checks read access. */
  async function readableEntity(
    req: Request<any, any, any, any>,
    params: { kind: string; namespace: string; name: string },
  ): Promise<{
    credentials: BackstageCredentials<
      BackstageUserPrincipal | BackstageServicePrincipal
    >;
    target: ReleaseEntity;
  }> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = EntityResolver.toEntityRef(
      params.kind,
      params.namespace,
      params.name,
    );
    const target = await entities.resolve(ref, credentials);
    await authorize(credentials, releaseReadPermission, target.entityRef);
    return { credentials, target };
  }

  async function withPhaseStatuses(
    entityRef: string,
    releases: StoredRelease[],
  ): Promise<ReleaseWithStatus[]> {
    const statuses = await store.getReleasePhaseStatuses(
      entityRef,
      releases.map(r => r.id),
    );
    return releases.map(({ id, ...release }) => ({
      ...release,
      phases: statuses.get(id) ?? {},
    }));
  }

  router.get('/entities/:kind/:namespace/:name/pipeline', async (req, res) => {
    const { target } = await readableEntity(req, req.params);
    const state = await store.getPipelineState(target.entityRef);
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
        freeze: null,
        gates: {
          requires: phase.requires,
          approvalsRequired: phase.approvals.required,
          allowSelfApproval: phase.approvals.allowSelfApproval,
          freezeWindows: phase.freezeWindows.length,
          soakTime: phase.soakTime,
          autoPromote: phase.autoPromote,
        },
      })),
    };
    res.json(view);
  });

  router.get('/entities/:kind/:namespace/:name/releases', async (req, res) => {
    const { target } = await readableEntity(req, req.params);
    const limit = req.query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await store.listReleases(target.entityRef, {
      limit,
      afterId: decodeCursor(req.query.cursor),
    });
    const items = await withPhaseStatuses(target.entityRef, page.items);
    const last = page.items[page.items.length - 1];
    res.json({
      items,
      nextCursor: page.hasMore && last ? encodeCursor(last.id) : undefined,
    });
  });

  router.get(
    '/entities/:kind/:namespace/:name/releases/:version',
    async (req, res) => {
      const { target } = await readableEntity(req, req.params);
      const release = await store.getRelease(target.entityRef, req.params.version);
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
    const { credentials, target } = await readableEntity(req, req.params);
    const body = req.body;
    const auditorEvent = await auditor.createEvent({
      eventId: 'release-create',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef: target.entityRef, version: body.version },
    });
    try {
      const problems = validateCreateRelease(body);
      if (problems.length) {
        throw new InputError(problems.join('; '));
      }
      await authorize(credentials, releaseCreatePermission, target.entityRef);
      if (credentials.principal.type === 'user') {
        // Phase access from the pipeline config: deployers of any phase (default: owners).
        const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
        const deployers = target.template.phases.flatMap(
          p => resolvePhaseAccess(p, target.owners).deployers,
        );
        if (!isInAccessList(ownershipEntityRefs, deployers)) {
          throw new NotAllowedError(
            `Only the owners or deployers of ${target.entityRef} may create releases`,
          );
        }
      }
      const { id: _id, ...release } = await store.createRelease({
        entityRef: target.entityRef,
        version: body.version,
        artifact: body.artifact,
        commit: body.commit,
        notes: body.notes,
        createdBy: actorRef(credentials),
        createdAt: clock().toISOString(),
      });
      await auditorEvent.success({ meta: { version: release.version } });
      res.status(201).json(release);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
