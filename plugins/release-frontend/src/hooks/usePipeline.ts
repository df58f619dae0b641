import { useApi } from '@backstage/core-plugin-api';
import { isActiveStatus } from '@release-manager/backstage-plugin-release-common';
import { PipelineView } from '@release-manager/backstage-plugin-release-common';
import { useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseApiRef } from '../api';
import { useLiveUpdates } from './useLiveUpdates';

/** Options of {@link usePipeline}. */
export interface UsePipelineOptions {
  /**
   * Keep the pipeline current (default true): reload on a
   * `release:lifecycle` signal about the entity, and poll as the fallback.
   */
  live?: boolean;
}

/** True while a promotion of the pipeline is queued or deploying. */
export function isPipelineRunning(value?: PipelineView): boolean {
  return Boolean(
    value?.phases.some(p => p.active && isActiveStatus(p.active.status)),
  );
}

/**
 * Loads the pipeline of an entity and keeps it current (see
 * {@link useLiveUpdates}). While it reloads the previous value stays, so the
 * page does not fall back to a spinner; when a reload fails the last value
 * stays too (with `error` set) and the updates go on, so a passing failure
 * does not empty the page.
 */
export function usePipeline(
  entityRef: string,
  options: UsePipelineOptions = {},
) {
  const { live = true } = options;
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
  const running = isPipelineRunning(value);
  const updates = useLiveUpdates({
    entityRef,
    refresh: state.retry,
    active: running,
    enabled: live,
  });

  return { ...state, value, running, updates };
}
