import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  RELEASE_SIGNAL_CHANNEL,
  ReleaseSignalMessage,
} from '@release-manager/backstage-plugin-release-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { PortfolioFilters, releaseApiRef } from '../../api';

/** How often the page is read again when signals are not installed. */
const POLL_MS = 30_000;

/**
 * One page of the portfolio with server-side pagination: the cursors of the
 * pages seen so far make "previous" possible; new filters or a new page size
 * start again at the first page. A lifecycle signal of an entity on the page
 * (or, without signals, a timer) reads the page again.
 */
export function usePortfolio(filters: PortfolioFilters, pageSize: number) {
  const api = useApi(releaseApiRef);
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const [index, setIndex] = useState(0);
  const filterKey = JSON.stringify([filters, pageSize]);
  const lastKey = useRef(filterKey);
  if (lastKey.current !== filterKey) {
    lastKey.current = filterKey;
    setCursors([undefined]);
    setIndex(0);
  }
  const cursor = cursors[index];
  const page = useAsyncRetry(
    () => api.getPortfolio({ ...filters, limit: pageSize, cursor }),
    // `filterKey` stands for `filters` and `pageSize`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, filterKey, cursor],
  );

  const { lastSignal, isSignalsAvailable } = useSignal<ReleaseSignalMessage>(
    RELEASE_SIGNAL_CHANNEL,
  );
  const { retry } = page;
  const refs = page.value?.items.map(i => i.entityRef) ?? [];
  const onPage = lastSignal ? refs.includes(lastSignal.entityRef) : false;
  useEffect(() => {
    if (lastSignal && onPage) retry();
    // Only a new signal reads again, not a new page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);
  useInterval(retry, isSignalsAvailable ? null : POLL_MS);

  const nextCursor = page.value?.nextCursor;
  const next = useCallback(() => {
    if (!nextCursor) return;
    setCursors(c => [...c.slice(0, index + 1), nextCursor]);
    setIndex(i => i + 1);
  }, [nextCursor, index]);
  const previous = useCallback(() => setIndex(i => Math.max(0, i - 1)), []);

  return {
    ...page,
    index,
    hasNext: Boolean(nextCursor),
    hasPrevious: index > 0,
    next,
    previous,
  };
}
