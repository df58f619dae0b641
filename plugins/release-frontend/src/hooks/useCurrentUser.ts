import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';

/** The signed-in user: `userEntityRef` and `ownershipEntityRefs`. */
export function useCurrentUser() {
  const identityApi = useApi(identityApiRef);
  return useAsync(() => identityApi.getBackstageIdentity(), [identityApi]);
}
