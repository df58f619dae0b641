import { NotAllowedError } from '@backstage/errors';
import {
  isInAccessList,
  PhaseDefinition,
  resolvePhaseAccess,
} from '@release-manager/backstage-plugin-release-common';

/*
 * Layer 1 of access — the phase roles of the pipeline config (deployers,
 * approvers, config editors; default: the entity's owners) — in one place.
 * It holds whether or not the permission framework is installed (invariant
 * 4). Every route and action asks here, after resolving the entity and
 * before looking at any state of the phase.
 */

/** A role a user can hold in a phase. */
export type PhaseRole =
  /** May request promotions, rollbacks and retries, and cancel others' requests. */
  | 'deployer'
  /** May approve or reject promotions. */
  | 'approver'
  /** May change the phase configuration and secrets. */
  | 'configEditor'
  /**
   * May lock and unlock the phase (including a lock someone else set):
   * its deployers and its approvers.
   */
  | 'locker';

const ROLE_NAMES: Record<PhaseRole, string> = {
  deployer: 'a deployer',
  approver: 'an approver',
  configEditor: 'a config editor',
  locker: 'a deployer or approver',
};

/** Who holds `role` in `phase` (user and group refs). */
export function phaseRoleMembers(
  phase: PhaseDefinition,
  owners: string[],
  role: PhaseRole,
): string[] {
  const access = resolvePhaseAccess(phase, owners);
  switch (role) {
    case 'deployer':
      return access.deployers;
    case 'approver':
      return access.approvers;
    case 'configEditor':
      return access.configEditors;
    default:
      return [...new Set([...access.deployers, ...access.approvers])];
  }
}

/** Whether a user with these ownership refs holds `role` in `phase`. */
export function hasPhaseRole(
  ownership: string[],
  phase: PhaseDefinition,
  owners: string[],
  role: PhaseRole,
): boolean {
  return isInAccessList(ownership, phaseRoleMembers(phase, owners, role));
}

/** A 403 unless the user holds `role` in `phase`; the message names the phase by title. */
export function requirePhaseRole(
  ownership: string[],
  target: { entityRef: string; owners: string[] },
  phase: PhaseDefinition,
  role: PhaseRole,
): void {
  if (!hasPhaseRole(ownership, phase, target.owners, role)) {
    const members = phaseRoleMembers(phase, target.owners, role);
    throw new NotAllowedError(
      `You are not ${ROLE_NAMES[role]} of ${phase.title} of ${
        target.entityRef
      } (${members.join(', ') || 'nobody'})`,
    );
  }
}
