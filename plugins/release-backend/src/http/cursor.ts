import { InputError } from '@backstage/errors';

/** Encodes a row id as an opaque page cursor. */
export function encodeCursor(id: string): string {
  return Buffer.from(`id:${id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor from {@link encodeCursor}; a 400 when it is not one. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^id:(\d{1,19})$/.exec(decoded);
  if (!m) {
    throw new InputError(
      `Invalid cursor '${cursor}'; pass nextCursor from a previous page`,
    );
  }
  return m[1];
}
