import { useSignal } from '@backstage/plugin-signals-react';
import { ReleaseLifecycleEventType } from '@release-manager/backstage-plugin-release-common';
import { useEffect, useRef } from 'react';

/** The Backstage signals channel on which the release backend announces lifecycle changes. */
export const RELEASE_SIGNAL_CHANNEL = 'release:lifecycle';

/**
 * A message on {@link RELEASE_SIGNAL_CHANNEL}: which entity changed and how.
 * It only says that something changed; views load the new state themselves.
 */
export type ReleaseLifecycleSignal = {
  entityRef: string;
  type: ReleaseLifecycleEventType;
  phase?: string;
  promotionId?: string;
  /** Set when the promotion is a member of a release train. */
  trainId?: string;
};

/** How often a view reloads while a deployment runs (progress is not pushed). */
export const ACTIVE_POLL_INTERVAL_MS = 5_000;
/** How often an idle view reloads when Backstage signals are not installed. */
export const IDLE_POLL_INTERVAL_MS = 30_000;
/**
 * How often an idle view reloads although signals are installed: a safety
 * net for messages missed while the connection was down.
 */
export const SIGNALS_SAFETY_POLL_INTERVAL_MS = 60_000;

/** Options of {@link useLiveUpdates}. */
export interface LiveUpdatesOptions {
  /**
   * Only messages about this entity trigger a reload; undefined: every
   * message (the approvals inbox spans all entities).
   */
  entityRef?: string;
  /**
   * Only messages about one of these entities trigger a reload (a train's
   * System and members); takes the place of `entityRef` when given.
   */
  entityRefs?: string[];
  /** Reloads the view's data. */
  refresh: () => void;
  /** True while something deploys: the view then polls every 5 s. */
  active?: boolean;
  /** False pauses the updates (e.g. a closed dialog). */
  enabled?: boolean;
}

/** What {@link useLiveUpdates} tells the view. */
export interface LiveUpdates {
  /** True when Backstage signals are installed (changes are pushed). */
  pushed: boolean;
  /** The reload interval in force now. */
  intervalMs: number;
}

function sameRef(a: string, b: string) {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

/**
 * Keeps a view current: reloads when the release backend announces a change
 * of the entity on the `release:lifecycle` signals channel, and polls as the
 * fallback: every 5 s while something deploys, every 30 s otherwise when
 * signals are not installed (every 60 s when they are, in case a message was
 * missed).
 */
export function useLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const {
    entityRef,
    entityRefs,
    refresh,
    active = false,
    enabled = true,
  } = options;
  const refsKey = entityRefs?.join('|');
  const { lastSignal, isSignalsAvailable } = useSignal<ReleaseLifecycleSignal>(
    RELEASE_SIGNAL_CHANNEL,
  );
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  useEffect(() => {
    if (!enabled || !lastSignal) {
      return;
    }
    const about = lastSignal.entityRef;
    const wanted = refsKey !== undefined ? refsKey.split('|') : undefined;
    if (typeof about === 'string') {
      if (wanted && !wanted.some(ref => ref && sameRef(about, ref))) {
        return;
      }
      if (!wanted && entityRef && !sameRef(about, entityRef)) {
        return;
      }
    }
    refreshRef.current();
  }, [lastSignal, entityRef, refsKey, enabled]);

  let intervalMs = IDLE_POLL_INTERVAL_MS;
  if (active) {
    intervalMs = ACTIVE_POLL_INTERVAL_MS;
  } else if (isSignalsAvailable) {
    intervalMs = SIGNALS_SAFETY_POLL_INTERVAL_MS;
  }

  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    const timer = setInterval(() => refreshRef.current(), intervalMs);
    return () => clearInterval(timer);
  }, [enabled, intervalMs]);

  return { pushed: isSignalsAvailable, intervalMs };
}
