import { useApi } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { toPhaseResourceRef } from '@release-manager/backstage-plugin-release-common';
import useAsync from 'react-use/esm/useAsync';

/**
 * Which phases of an entity's pipeline a phase permission is allowed for,
 * asked in one go (what `usePermission` does for one resource). `allowed` is
 * undefined while loading.
 */
export function usePhasePermissions(
  permission: ResourcePermission<'release-phase'>,
  entityRef: string,
  phaseIds: string[],
) {
  const permissionApi = useApi(permissionApiRef);
  const key = phaseIds.join(',');
  const { value, loading, error } = useAsync(async () => {
    const results = await Promise.all(
      phaseIds.map(phase =>
        permissionApi.authorize({
          permission,
          resourceRef: toPhaseResourceRef(entityRef, phase),
        }),
      ),
    );
    return new Set(
      phaseIds.filter((_, i) => results[i].result === AuthorizeResult.ALLOW),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [permissionApi, permission, entityRef, key]);
  return { allowed: value, loading, error };
}
