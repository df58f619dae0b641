import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { pipelineActions } from './capabilities';
import {
  PhaseActions,
  PhaseDefinition,
  releaseConfigReadPermission,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Credentials the release routes accept. */
export type CallerCredentials = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

/** The ref recorded as the actor of a request. */
export function actorRef(credentials: CallerCredentials): string {
  const p = credentials.principal;
  return p.type === 'user' ? p.userEntityRef : `service:${p.subject}`;
}

/**
 * The permission framework layer of access, plus the identity checks shared
 * by every route. Phase access from the pipeline config is checked by the
 * callers with the pure functions of release-common.
 */
export class AccessGuard {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly userInfo: UserInfoService,
  ) {}

  /** Throws NotAllowedError unless the permission framework allows it. */
  async authorize(
    credentials: CallerCredentials,
    permission: ResourcePermission | BasicPermission,
    resourceRef: string,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize(
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

  /** Which of the resource refs the permission framework allows. */
  async filter(
    credentials: CallerCredentials,
    permission: ResourcePermission,
    resourceRefs: string[],
  ): Promise<Set<string>> {
    const unique = [...new Set(resourceRefs)];
    if (unique.length === 0) {
      return new Set();
    }
    const decisions = await this.permissions.authorize(
      unique.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    return new Set(
      unique.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
    );
  }

  /**
   * Which phases of the entity the caller may read the configuration of
   * (`release.config.read`), decided in one permission call on first use.
   */
  configReader(
    credentials: CallerCredentials,
    target: { entityRef: string; template: { phases: Array<{ id: string }> } },
  ): (phaseId: string) => Promise<boolean> {
    let allowed: Promise<Set<string>> | undefined;
    return async phaseId => {
      allowed ??= this.filter(
        credentials,
        releaseConfigReadPermission,
        target.template.phases.map(p =>
          toPhaseResourceRef(target.entityRef, p.id),
        ),
      );
      return (await allowed).has(toPhaseResourceRef(target.entityRef, phaseId));
    };
  }

  /**
   * A signed-in person acting directly: not a service token, and not a
   * service acting on a user's behalf. Approvals and overrides need this.
   */
  requireDirectUser(
    credentials: CallerCredentials,
    action: string,
  ): asserts credentials is BackstageCredentials<BackstageUserPrincipal> {
    const p = credentials.principal;
    if (p.type !== 'user') {
      throw new NotAllowedError(
        `Only a signed-in user may ${action}; service tokens cannot`,
      );
    }
    if (p.actor) {
      throw new NotAllowedError(
        `Only a signed-in user acting directly may ${action}; a service acting on a user's behalf (${p.actor.subject}) cannot`,
      );
    }
  }

  /** The user's own ref and their groups; services own nothing. */
  async ownership(credentials: CallerCredentials): Promise<string[]> {
    if (credentials.principal.type !== 'user') {
      return [];
    }
    const info = await this.userInfo.getUserInfo(credentials);
    return info.ownershipEntityRefs;
  }

  /**
   * What the caller may do in each phase (both layers, one permission call
   * for all phases and actions); see `capabilities.ts`.
   */
  async phaseActions(
    credentials: CallerCredentials,
    target: { entityRef: string; owners: string[]; phases: PhaseDefinition[] },
  ): Promise<Map<string, PhaseActions>> {
    return pipelineActions({
      permissions: this.permissions,
      credentials,
      ownership: c => this.ownership(c),
      ...target,
    });
  }
}
