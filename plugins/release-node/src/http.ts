/**
 * HTTP for deployment providers: every call has a deadline, redirects are
 * never followed, and faults are classified so the caller can report
 * `unknown` instead of guessing.
 */

/** Why a provider call did not produce an answer. @public */
export type ProviderCallFault = 'timeout' | 'network' | 'redirect';

/** A provider call that produced no usable answer. @public */
export class ProviderCallError extends Error {
  constructor(readonly fault: ProviderCallFault, message: string) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

/** An HTTP answer with its body read as text. @public */
export interface ProviderHttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Default deadline of one provider HTTP call. @public */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/**
 * `fetch` with a deadline (the caller's signal and `timeoutMs`, whichever
 * ends first) that never follows redirects: a 3xx is a ProviderCallError.
 * The URL is named in errors without its query string (it may hold tokens).
 * @public
 */
export async function fetchWithDeadline(
  url: string,
  init: RequestInit & { timeoutMs?: number; signal?: AbortSignal },
): Promise<ProviderHttpResponse> {
  const { timeoutMs = DEFAULT_CALL_TIMEOUT_MS, signal, ...rest } = init;
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const where = url.split('?')[0];
  let res: Response;
  try {
    res = await fetch(url, { ...rest, redirect: 'manual', signal: combined });
  } catch (e) {
    if (combined.aborted) {
      throw new ProviderCallError(
        'timeout',
        `No answer from ${where} within the deadline`,
      );
    }
    throw new ProviderCallError(
      'network',
      `Could not reach ${where}: ${(e as Error).message}`,
    );
  }
  if (res.status >= 300 && res.status < 400) {
    // Drain nothing, follow nothing.
    await res.body?.cancel().catch(() => undefined);
    throw new ProviderCallError(
      'redirect',
      `${where} answered with a redirect (HTTP ${res.status}); redirects are not followed`,
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    if (combined.aborted) {
      throw new ProviderCallError(
        'timeout',
        `No complete answer from ${where} within the deadline`,
      );
    }
    throw new ProviderCallError(
      'network',
      `Reading the answer of ${where} failed: ${(e as Error).message}`,
    );
  }
  return { status: res.status, headers: res.headers, text };
}

/** Parses JSON; undefined when the text is not JSON (a malformed answer). @public */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
