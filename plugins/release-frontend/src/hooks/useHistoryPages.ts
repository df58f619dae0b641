import { useApi } from '@backstage/core-plugin-api';
import { useCallback } from 'react';
import { releaseApiRef } from '../api';
import { useCursorPages } from './useCursorPages';

/** The ledger of an entity (optionally of one phase), newest first, page by page. */
export function useHistoryPages(
  entityRef: string,
  options: { phase?: string; pageSize: number },
) {
  const { phase, pageSize } = options;
  const api = useApi(releaseApiRef);
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      api.getHistory(entityRef, { phase, limit: pageSize, cursor }),
    [api, entityRef, phase, pageSize],
  );
  return useCursorPages(fetchPage);
}
