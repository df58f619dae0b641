import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createReleasePhaseConditionalDecision,
  releasePhaseConditions,
} from '@release-manager/backstage-plugin-release-backend';
import {
  releaseFreezeOverridePermission,
  releasePromotionApprovePermission,
  releasePromotionCreatePermission,
  releasePromotionSkipPermission,
} from '@release-manager/backstage-plugin-release-common';

/** The group whose members may promote to, approve for and override Live. */
export const RELEASE_MANAGERS = 'group:default/release-managers';

const LIVE_GUARDED = [
  releasePromotionCreatePermission,
  releasePromotionApprovePermission,
];
const RELEASE_MANAGERS_ONLY = [
  releaseFreezeOverridePermission,
  releasePromotionSkipPermission,
];

/**
 * An example policy: promotions into (and approvals for) the `live` phase
 * are for release managers only; freeze overrides and skipping a phase are
 * for release managers anywhere. Everything else is allowed.
 */
export class ReleaseManagersPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const isReleaseManager =
      user?.info.ownershipEntityRefs.includes(RELEASE_MANAGERS) ?? false;
    if (RELEASE_MANAGERS_ONLY.some(p => isPermission(request.permission, p))) {
      return {
        result: isReleaseManager ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    for (const guarded of LIVE_GUARDED) {
      if (isPermission(request.permission, guarded) && !isReleaseManager) {
        return createReleasePhaseConditionalDecision(guarded, {
          not: releasePhaseConditions.isPhase({ phases: ['live'] }),
        });
      }
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link ReleaseManagersPolicy} as the permission policy. */
export const releasePermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'release-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new ReleaseManagersPolicy());
      },
    });
  },
});
