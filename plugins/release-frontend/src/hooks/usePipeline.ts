import { useApi } from '@backstage/core-plugin-api';
import { isActiveStatus } from '@release-manager/backstage-plugin-release-common';
import { PipelineView } from '@release-manager/backstage-plugin-release-common';
import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseApiRef } from '../api';

/** How often a pipeline with a running deployment is reloaded. */
export const PIPELINE_POLL_INTERVAL_MS = 5000;

/** Options of {@link usePipeline}. */
export interface UsePipelineOptions {
  /** Reload every `intervalMs` while a promotion is queued or deploying. */
  pollWhileActive?: boolean;
  intervalMs?: number;
}

/**
 * Loads the pipeline of an entity. While it reloads (`retry` or polling) the
 * previous value stays, so the page does not fall back to a spinner; when a
 * reload fails the last value stays too (with `error` set) and polling goes
 * on, so a passing failure does not empty the page.
 */
export function usePipeline(
  entityRef: string,
  options: UsePipelineOptions = {},
) {
  const { pollWhileActive = false, intervalMs = PIPELINE_POLL_INTERVAL_MS } =
    options;
  const api = useApi(releaseApiRef);
  const state = useAsyncRetry(
    () => api.getPipeline(entityRef),
    [api, entityRef],
  );
  const last = useRef<{ entityRef: string; value: PipelineView }>();
  if (state.value) {
    last.current = { entityRef, value: state.value };
  }
  const value =
    state.value ??
    (last.current?.entityRef === entityRef ? last.current.value : undefined);
  const running = Boolean(
    value?.phases.some(p => p.active && isActiveStatus(p.active.status)),
  );
  const { loading, retry } = state;

  useEffect(() => {
    if (!pollWhileActive || !running || loading) {
      return undefined;
    }
    const timer = setTimeout(retry, intervalMs);
    return () => clearTimeout(timer);
  }, [pollWhileActive, running, loading, retry, intervalMs]);

  return { ...state, value };
}
