import { useApi } from '@backstage/core-plugin-api';
import { useCallback } from 'react';
import { releaseApiRef } from '../api';
import { useCursorPages } from './useCursorPages';

/** The releases of an entity, newest first, loaded page by page. */
export function useReleasePages(entityRef: string, pageSize: number) {
  const api = useApi(releaseApiRef);
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      api.listReleases(entityRef, { limit: pageSize, cursor }),
    [api, entityRef, pageSize],
  );
  return useCursorPages(fetchPage);
}
