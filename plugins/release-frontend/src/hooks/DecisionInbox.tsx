import { useApi } from '@backstage/core-plugin-api';
import { createContext, ReactNode, useContext, useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseApiRef } from '../api';
import { useLiveUpdates } from './useLiveUpdates';

/** What the approvals inbox tells the actions of a page. */
export interface DecisionInbox {
  /**
   * Ids of the promotions the server says the signed-in user may decide
   * (`GET /approvals`); undefined while loading or when it failed, in which
   * case the server decides when the user clicks.
   */
  decidable?: Set<string>;
  /** Loads the inbox again, after a decision. */
  refresh: () => void;
}

const DecisionInboxContext = createContext<DecisionInbox | undefined>(
  undefined,
);

/**
 * Loads the signed-in user's approvals inbox once for a page, so that every
 * approve and reject button on it can say why it is disabled for a promotion
 * the user may not decide (for example, not an approver of the phase).
 */
export function DecisionInboxProvider(props: { children: ReactNode }) {
  const api = useApi(releaseApiRef);
  const { value, retry } = useAsyncRetry(() => api.listApprovals(), [api]);
  useLiveUpdates({ refresh: retry });
  const inbox = useMemo(
    () => ({
      decidable: value ? new Set(value.map(p => p.id)) : undefined,
      refresh: retry,
    }),
    [value, retry],
  );
  return (
    <DecisionInboxContext.Provider value={inbox}>
      {props.children}
    </DecisionInboxContext.Provider>
  );
}

const NO_INBOX: DecisionInbox = { refresh: () => {} };

/** The page's approvals inbox; without a provider nothing is known. */
export function useDecisionInbox(): DecisionInbox {
  return useContext(DecisionInboxContext) ?? NO_INBOX;
}
