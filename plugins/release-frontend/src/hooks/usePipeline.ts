import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseApiRef } from '../api';

/** Loads the pipeline of an entity. */
export function usePipeline(entityRef: string) {
  const api = useApi(releaseApiRef);
  return useAsyncRetry(() => api.getPipeline(entityRef), [api, entityRef]);
}
