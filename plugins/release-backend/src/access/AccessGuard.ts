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
import { setExpiring } from '../cache/expiring';

/** Credentials the release routes accept. */
export type CallerCredentials = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

/** The ref recorded as the actor of a request. */
export function actorRef(credentials: CallerCredentials): string {
  const p = credentials.principal;
  return p.type === 'user' ? p.userEntityRef : `service:${p.subject}`;
}

function decisionKey(
  permission: ResourcePermission | BasicPermission,
  resourceRef: string | undefined,
) {
  return `${permission.name}|${
    permission.type === 'resource' ? resourceRef ?? '' : ''
  }`;
}

/** Who asks, as a cache key: a user (and who acts for them) or a service. */
export function callerKey(credentials: CallerCredentials): string {
  const p = credentials.principal;
  return p.type === 'user'
    ? `user:${p.userEntityRef}:${p.actor?.subject ?? ''}`
    : `service:${p.subject}:${JSON.stringify(p.accessRestrictions ?? null)}`;
}

/**
 * The permission framework layer of access, plus the identity checks shared
 * by every route. Phase access from the pipeline config is checked by the
 * callers with the pure functions of release-common.
 */
export class AccessGuard {
  /**
   * Decisions asked for ahead with {@link AccessGuard.prefetch}, per
   * credentials object (one per HTTP request), so that a request that needs
   * several decisions makes one permission call. Dropped with the request.
   */
  private readonly prefetched = new WeakMap<
    object,
    Map<string, Promise<AuthorizeResult>>
  >();

  /**
   * Read decisions, per caller, permission and resource, for a few seconds
   * (`listDecisionTtlMs`): the inbox and the portfolio ask for dozens on
   * every page, and every single read asks for one; each ask is a round
   * trip to the permission backend. List filters reuse allowed and denied
   * decisions; {@link AccessGuard.authorize} reuses only an allowed read.
   * Actions (any permission that is not a read) always ask.
   */
  private readonly listDecisions = new Map<
    string,
    { allowed: boolean; at: number }
  >();

  constructor(
    private readonly permissions: PermissionsService,
    private readonly userInfo: UserInfoService,
    private readonly options: {
      /** How long a list filter's decision is kept; 0 keeps none. */
      listDecisionTtlMs: number;
      maxListDecisions: number;
    } = { listDecisionTtlMs: 5_000, maxListDecisions: 50_000 },
  ) {}

  /** How long a list may reuse a permission decision, ms (0: never). */
  get listDecisionTtlMs(): number {
    return this.options.listDecisionTtlMs;
  }

  /**
   * Asks the permission framework for several decisions in one call; later
   * {@link AccessGuard.authorize} calls with the same credentials object
   * (the same request) use them instead of asking again. Nothing is allowed
   * or denied here: each decision still applies where it is checked.
   */
  prefetch(
    credentials: CallerCredentials,
    requests: Array<{
      permission: ResourcePermission | BasicPermission;
      resourceRef?: string;
    }>,
  ): void {
    let memo = this.prefetched.get(credentials);
    if (!memo) {
      memo = new Map();
      this.prefetched.set(credentials, memo);
    }
    const missing = requests.filter(
      r => !memo!.has(decisionKey(r.permission, r.resourceRef)),
    );
    if (missing.length === 0) return;
    const all = this.permissions.authorize(
      missing.map(r =>
        r.permission.type === 'resource'
          ? {
              permission: r.permission as ResourcePermission,
              resourceRef: r.resourceRef!,
            }
          : { permission: r.permission as BasicPermission },
      ),
      { credentials },
    );
    missing.forEach((r, i) => {
      const decision = all.then(d => d[i].result);
      // Unobserved until authorize() asks; a failed call surfaces there.
      decision.catch(() => {});
      memo!.set(decisionKey(r.permission, r.resourceRef), decision);
    });
  }

  /** Throws NotAllowedError unless the permission framework allows it. */
  async authorize(
    credentials: CallerCredentials,
    permission: ResourcePermission | BasicPermission,
    resourceRef: string,
  ): Promise<void> {
    const ahead = this.prefetched
      .get(credentials)
      ?.get(
        decisionKey(
          permission,
          permission.type === 'resource' ? resourceRef : undefined,
        ),
      );
    const result =
      (await ahead) ??
      (await this.decide(credentials, permission, resourceRef));
    if (result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Permission ${permission.name} was denied for ${resourceRef}`,
      );
    }
  }

  /**
   * The key a read decision is kept under (the same as a list filter's), or
   * undefined when it is not kept: actions, and no cache time.
   */
  private readKey(
    credentials: CallerCredentials,
    permission: ResourcePermission | BasicPermission,
    resourceRef: string,
  ): string | undefined {
    if (
      this.options.listDecisionTtlMs <= 0 ||
      permission.attributes.action !== 'read'
    ) {
      return undefined;
    }
    return `${callerKey(credentials)}|${permission.name}|${resourceRef}`;
  }

  /**
   * A single read's decision: an allowed one kept from the last
   * `listDecisionTtlMs` is used; a kept denial is not, so a refused read
   * asks again. Actions are asked on every request.
   */
  private async decide(
    credentials: CallerCredentials,
    permission: ResourcePermission | BasicPermission,
    resourceRef: string,
  ): Promise<AuthorizeResult> {
    const key = this.readKey(credentials, permission, resourceRef);
    const hit = key === undefined ? undefined : this.listDecisions.get(key);
    if (hit?.allowed && Date.now() - hit.at < this.options.listDecisionTtlMs) {
      return AuthorizeResult.ALLOW;
    }
    const [{ result }] = await this.permissions.authorize(
      [
        permission.type === 'resource'
          ? { permission, resourceRef }
          : { permission },
      ],
      { credentials },
    );
    if (key !== undefined) {
      this.keep(key, result === AuthorizeResult.ALLOW, Date.now());
    }
    return result;
  }

  private keep(key: string, allowed: boolean, at: number) {
    const { listDecisionTtlMs, maxListDecisions } = this.options;
    setExpiring(
      this.listDecisions,
      key,
      { allowed, at },
      {
        maxEntries: maxListDecisions,
        expired: e => at - e.at >= listDecisionTtlMs,
      },
    );
  }

  /**
   * Which of the resource refs the permission framework allows, for a list
   * that leaves out what the caller may not see or do. Decisions up to
   * `listDecisionTtlMs` old are reused; the rest are asked in one call.
   */
  async filter(
    credentials: CallerCredentials,
    permission: ResourcePermission,
    resourceRefs: string[],
  ): Promise<Set<string>> {
    const unique = [...new Set(resourceRefs)];
    const allowed = new Set<string>();
    if (unique.length === 0) {
      return allowed;
    }
    const { listDecisionTtlMs } = this.options;
    const caller = `${callerKey(credentials)}|${permission.name}|`;
    const now = Date.now();
    const missing: string[] = [];
    for (const ref of unique) {
      const hit =
        listDecisionTtlMs > 0
          ? this.listDecisions.get(caller + ref)
          : undefined;
      if (hit && now - hit.at < listDecisionTtlMs) {
        if (hit.allowed) allowed.add(ref);
      } else {
        missing.push(ref);
      }
    }
    if (missing.length === 0) {
      return allowed;
    }
    const decisions = await this.permissions.authorize(
      missing.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    const at = Date.now();
    missing.forEach((ref, i) => {
      const ok = decisions[i].result === AuthorizeResult.ALLOW;
      if (ok) allowed.add(ref);
      if (listDecisionTtlMs <= 0) return;
      this.keep(caller + ref, ok, at);
    });
    return allowed;
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
