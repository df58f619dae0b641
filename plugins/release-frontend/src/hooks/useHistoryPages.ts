import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useState } from 'react';
import useMountedState from 'react-use/esm/useMountedState';
import { HistoryEntry, releaseApiRef } from '../api';

interface State {
  items: HistoryEntry[];
  nextCursor?: string;
  loading: boolean;
  error?: Error;
}

/**
 * The ledger of an entity (optionally of one phase), newest first, loaded
 * page by page. `loadMore` appends the next page; `reload` starts again.
 */
export function useHistoryPages(
  entityRef: string,
  options: { phase?: string; pageSize: number },
) {
  const { phase, pageSize } = options;
  const api = useApi(releaseApiRef);
  const isMounted = useMountedState();
  const [state, setState] = useState<State>({ items: [], loading: true });

  const load = useCallback(
    async (cursor?: string) => {
      setState(s => ({ ...s, loading: true, error: undefined }));
      try {
        const page = await api.getHistory(entityRef, {
          phase,
          limit: pageSize,
          cursor,
        });
        if (isMounted()) {
          setState(s => ({
            items: cursor ? [...s.items, ...page.items] : page.items,
            nextCursor: page.nextCursor,
            loading: false,
          }));
        }
      } catch (error) {
        if (isMounted()) {
          setState(s => ({ ...s, loading: false, error: error as Error }));
        }
      }
    },
    [api, entityRef, phase, pageSize, isMounted],
  );

  useEffect(() => {
    load();
  }, [load]);

  const { nextCursor } = state;
  const loadMore = useCallback(() => {
    if (nextCursor) {
      load(nextCursor);
    }
  }, [load, nextCursor]);
  const reload = useCallback(() => load(), [load]);

  return { ...state, loadMore, reload };
}
