import { V1Deployment } from '@kubernetes/client-node';
import { DeploymentResult } from '@release-manager/backstage-plugin-release-node';

/**
 * The state of a Deployment's rollout, read the way `kubectl rollout status`
 * reads it: the controller must have observed the current generation; the
 * `Progressing` condition with reason `ProgressDeadlineExceeded` is a
 * failure; the rollout is done when every desired replica is updated and
 * available and no old replica is left.
 */
export function rolloutStatus(
  d: V1Deployment,
): Pick<DeploymentResult, 'status' | 'message' | 'progress'> {
  const generation = d.metadata?.generation ?? 0;
  const observed = d.status?.observedGeneration ?? 0;
  if (observed < generation) {
    return {
      status: 'running',
      message: `Waiting for the deployment controller to observe generation ${generation}`,
    };
  }
  const progressing = d.status?.conditions?.find(c => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      status: 'failed',
      message: `Rollout exceeded its progress deadline${
        progressing.message ? `: ${progressing.message}` : ''
      }`,
    };
  }
  const desired = d.spec?.replicas ?? 1;
  const updated = d.status?.updatedReplicas ?? 0;
  const total = d.status?.replicas ?? 0;
  const available = d.status?.availableReplicas ?? 0;
  const progress =
    desired === 0
      ? 100
      : Math.min(
          100,
          Math.round((Math.min(updated, available) / desired) * 100),
        );
  if (updated < desired) {
    return {
      status: 'running',
      progress,
      message: `${updated} of ${desired} replicas updated`,
    };
  }
  if (total > updated) {
    return {
      status: 'running',
      progress,
      message: `${total - updated} old replicas pending termination`,
    };
  }
  if (available < updated) {
    return {
      status: 'running',
      progress,
      message: `${available} of ${updated} updated replicas available`,
    };
  }
  return {
    status: 'succeeded',
    progress: 100,
    message: `Rolled out: ${available} of ${desired} replicas available`,
  };
}
