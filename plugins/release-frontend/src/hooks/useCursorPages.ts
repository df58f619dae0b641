import { Page } from '@release-manager/backstage-plugin-release-common';
import { useCallback, useEffect, useState } from 'react';
import useMountedState from 'react-use/esm/useMountedState';

interface State<T> {
  items: T[];
  nextCursor?: string;
  loading: boolean;
  error?: Error;
}

/**
 * A list loaded page by page with the API's opaque cursors. `loadMore`
 * appends the next page; `reload` starts again from the first one. A new
 * `fetchPage` (memoise it on its inputs) starts over too.
 */
export function useCursorPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
) {
  const isMounted = useMountedState();
  const [state, setState] = useState<State<T>>({ items: [], loading: true });

  const load = useCallback(
    async (cursor?: string) => {
      setState(s => ({ ...s, loading: true, error: undefined }));
      try {
        const page = await fetchPage(cursor);
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
    [fetchPage, isMounted],
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
