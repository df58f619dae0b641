import { useCallback, useState } from 'react';
import { errorMessage } from '../../errors';

/** @internal */
export interface Submission {
  /** True while a submission runs. */
  submitting: boolean;
  /** The message of the last failed submission; undefined otherwise. */
  error?: string;
  /** Sets or clears the message, e.g. when the dialog opens again. */
  setError: (error: string | undefined) => void;
  /**
   * Runs `fn` as the submission: clears the message, marks the form as
   * submitting, and shows the message of what `fn` throws.
   */
  run: (fn: () => Promise<void>) => Promise<void>;
}

/**
 * The state of a form dialog's submission: whether it runs, and the message
 * of the last failure.
 *
 * @internal
 */
export function useSubmission(): Submission {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (fn: () => Promise<void>) => {
    setSubmitting(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  }, []);
  return { submitting, error, setError, run };
}
