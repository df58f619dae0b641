import { useApi } from '@backstage/core-plugin-api';
import { Promotion } from '@release-manager/backstage-plugin-release-common';
import { useMemo, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseApiRef } from '../api';

/** The last failed and last successful attempt of one release in one phase. */
export interface AttemptOutcomes {
  lastFailure?: Promotion;
  lastSuccess?: Promotion;
}

/** The key of {@link AttemptOutcomes} for a release in a phase. */
export function attemptKey(version: string, phase: string): string {
  return `${phase}\u0000${version}`;
}

/** How many recent failed and succeeded promotions are looked at. */
const LOOK_BACK = 100;

function index(
  failed: Promotion[],
  succeeded: Promotion[],
): Map<string, AttemptOutcomes> {
  const map = new Map<string, AttemptOutcomes>();
  // Both lists are newest first: the first of each key is the latest.
  for (const p of failed) {
    const key = attemptKey(p.version, p.phase);
    const entry = map.get(key) ?? {};
    entry.lastFailure ??= p;
    map.set(key, entry);
  }
  for (const p of succeeded) {
    const key = attemptKey(p.version, p.phase);
    const entry = map.get(key) ?? {};
    entry.lastSuccess ??= p;
    map.set(key, entry);
  }
  return map;
}

/**
 * The latest failed and the latest successful attempt of each release in
 * each phase of an entity (from its 100 most recent failed and succeeded
 * promotions), so that the release matrix can show a failure's reason and
 * the last success next to a newer failed or cancelled attempt.
 */
export function useAttemptOutcomes(entityRef: string) {
  const api = useApi(releaseApiRef);
  const state = useAsyncRetry(async () => {
    const [failed, succeeded] = await Promise.all([
      api.listPromotions(entityRef, { status: 'failed', limit: LOOK_BACK }),
      api.listPromotions(entityRef, { status: 'succeeded', limit: LOOK_BACK }),
    ]);
    return index(failed, succeeded);
  }, [api, entityRef]);
  const last = useRef<Map<string, AttemptOutcomes>>();
  if (state.value) last.current = state.value;
  const outcomes = useMemo(
    () => state.value ?? last.current ?? new Map<string, AttemptOutcomes>(),
    [state.value],
  );
  return { outcomes, reload: state.retry, error: state.error };
}
