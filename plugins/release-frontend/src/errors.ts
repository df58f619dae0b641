import { ResponseError } from '@backstage/errors';

/**
 * The message to show for a failed call: the server's own message for a
 * {@link @backstage/errors#ResponseError}, the error's message otherwise.
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
