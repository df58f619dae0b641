import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PhaseActions,
  PhaseCapability,
  PhaseDefinition,
  releaseConfigUpdatePermission,
  releasePhaseLockPermission,
  releasePromotionApprovePermission,
  releasePromotionCreatePermission,
  releasePromotionSkipPermission,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import { CallerCredentials } from './AccessGuard';
import { hasPhaseRole, PhaseRole } from './phaseAccess';

/**
 * The permissions that decide the actions of a phase, in the order they are
 * asked of the permission framework for each phase.
 */
export const CAPABILITY_PERMISSIONS = {
  deploy: releasePromotionCreatePermission,
  approve: releasePromotionApprovePermission,
  editConfig: releaseConfigUpdatePermission,
  lock: releasePhaseLockPermission,
  skip: releasePromotionSkipPermission,
} satisfies Record<string, ResourcePermission>;

/** Which kind of caller asks. */
export interface CallerKind {
  /** A user (not a service token). */
  user: boolean;
  /** A user acting directly, not a service on their behalf. */
  direct: boolean;
}

/** The caller as the capability rules see it. */
export interface CapabilityCaller extends CallerKind {
  /** The caller's own ref and their groups (empty for services). */
  ownershipEntityRefs: string[];
}

/** What the permission framework decided for one phase. */
export type PhaseDecisions = Record<
  keyof typeof CAPABILITY_PERMISSIONS,
  boolean
>;

/**
 * Allowed when every check holds; otherwise not, with the reason of the
 * first check that fails (the checks in the order the operation makes them).
 */
function firstDenial(checks: Array<[boolean, string]>): PhaseCapability {
  const failed = checks.find(([ok]) => !ok);
  return failed ? { allowed: false, reason: failed[1] } : { allowed: true };
}

/**
 * What a caller may do in one phase: both access layers, the same checks in
 * the same order as the operations themselves make them, with the reason in
 * words a person reads (the phase by its title). Pure: the caller's
 * ownership and the permission decisions are given.
 */
export function phaseActions(options: {
  phase: PhaseDefinition;
  /** The title of the phase `phase.requires` names, if any. */
  requiresTitle?: string;
  /** The entity's owners (the default of every access list). */
  owners: string[];
  caller: CapabilityCaller;
  decisions: PhaseDecisions;
}): PhaseActions {
  const { phase, caller, decisions } = options;
  const title = phase.title || phase.id;
  // Layer 1, phase access from the pipeline config, in its one home.
  const holds = (role: PhaseRole) =>
    hasPhaseRole(caller.ownershipEntityRefs, phase, options.owners, role);
  const policyDenies = (what: string) =>
    `The permission policy does not allow you to ${what} ${title}`;

  const deploy = firstDenial([
    [caller.user, `Only signed-in users may deploy to ${title}`],
    [holds('deployer'), `You are not a deployer of ${title}`],
    [decisions.deploy, policyDenies('deploy to')],
  ]);

  const approve = firstDenial([
    [caller.user, `Only signed-in users may approve promotions to ${title}`],
    [
      caller.direct,
      `Only a signed-in user acting directly may approve promotions to ${title}`,
    ],
    [decisions.approve, policyDenies('approve promotions to')],
    [holds('approver'), `You are not an approver of ${title}`],
  ]);

  const editConfig = firstDenial([
    [
      caller.user,
      `Only signed-in users may change the configuration of ${title}`,
    ],
    [decisions.editConfig, policyDenies('change the configuration of')],
    [holds('configEditor'), `You are not a config editor of ${title}`],
  ]);

  const lock = firstDenial([
    [caller.user, `Only signed-in users may lock or unlock ${title}`],
    [decisions.lock, policyDenies('lock or unlock')],
    [
      holds('locker'),
      `Only deployers or approvers of ${title} may lock or unlock it`,
    ],
  ]);

  const skipped = options.requiresTitle ?? phase.requires;
  const skip = firstDenial([
    [Boolean(phase.requires), `${title} has no earlier phase to skip`],
    [deploy.allowed, deploy.reason ?? ''],
    [
      caller.direct,
      `Only a signed-in user acting directly may skip ${skipped}`,
    ],
    [
      decisions.skip,
      `The permission policy does not allow you to skip ${skipped} on the way to ${title}`,
    ],
  ]);

  // A rollback is a promotion of an earlier release through the same gates.
  const rollback: PhaseCapability = deploy.allowed
    ? deploy
    : {
        allowed: false,
        reason: deploy.reason!.replace('deploy to', 'roll back'),
      };

  return { deploy, approve, editConfig, lock, skip, rollback };
}

/**
 * The actions of every phase of a pipeline for one caller: one call of the
 * permission framework for all phases and actions together.
 */
export async function pipelineActions(options: {
  permissions: PermissionsService;
  credentials: CallerCredentials;
  /** The caller's ownership refs (resolved only for users). */
  ownership: (credentials: CallerCredentials) => Promise<string[]>;
  entityRef: string;
  owners: string[];
  phases: PhaseDefinition[];
}): Promise<Map<string, PhaseActions>> {
  const { credentials, phases } = options;
  const keys = Object.keys(
    CAPABILITY_PERMISSIONS,
  ) as (keyof typeof CAPABILITY_PERMISSIONS)[];
  const requests = phases.flatMap(phase =>
    keys.map(key => ({
      permission: CAPABILITY_PERMISSIONS[key],
      resourceRef: toPhaseResourceRef(options.entityRef, phase.id),
    })),
  );
  const principal = credentials.principal;
  const [results, ownershipEntityRefs] = await Promise.all([
    requests.length
      ? options.permissions.authorize(requests, { credentials })
      : Promise.resolve([]),
    options.ownership(credentials),
  ]);
  const caller: CapabilityCaller = {
    user: principal.type === 'user',
    direct: principal.type === 'user' && !principal.actor,
    ownershipEntityRefs,
  };
  const titles = new Map(phases.map(p => [p.id, p.title || p.id]));
  return new Map(
    phases.map((phase, i) => {
      const decisions = Object.fromEntries(
        keys.map((key, k) => [
          key,
          results[i * keys.length + k]?.result === AuthorizeResult.ALLOW,
        ]),
      ) as PhaseDecisions;
      return [
        phase.id,
        phaseActions({
          phase,
          requiresTitle: phase.requires
            ? titles.get(phase.requires)
            : undefined,
          owners: options.owners,
          caller,
          decisions,
        }),
      ];
    }),
  );
}
