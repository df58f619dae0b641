import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizePermissionRequest } from '@backstage/plugin-permission-common';
import { shareInFlight } from '../cache/inFlight';
import { callerKey, CallerCredentials } from './AccessGuard';

/**
 * The permissions service with identical questions asked at the same time
 * by the same caller sharing one call to the permission backend.
 *
 * A burst of requests from one person (a double-clicked button, a script, a
 * page opening several tabs) asks the same decisions many times within a few
 * milliseconds; each ask is an HTTP round trip in which the permission
 * backend verifies the token again. Here only the first of them goes out and
 * the others wait for its answer. Nothing is kept once the answer has
 * arrived: a question asked after that is asked again, so no decision is
 * older than the request that reads it.
 */
export function coalescePermissions(
  permissions: PermissionsService,
): PermissionsService {
  const inFlight = new Map<string, Promise<unknown>>();
  const authorize: PermissionsService['authorize'] = (requests, options) => {
    const caller = callerOf(options.credentials);
    if (caller === undefined) {
      return permissions.authorize(requests, options);
    }
    const key = `${caller}\n${requests.map(questionKey).join('\n')}`;
    return shareInFlight(inFlight, key, () =>
      permissions.authorize(requests, options),
    );
  };
  return {
    authorize,
    authorizeConditional: (requests, options) =>
      permissions.authorizeConditional(requests, options),
  };
}

function callerOf(credentials: BackstageCredentials): string | undefined {
  const type = (credentials.principal as { type?: string }).type;
  return type === 'user' || type === 'service'
    ? callerKey(credentials as CallerCredentials)
    : undefined;
}

function questionKey(request: AuthorizePermissionRequest): string {
  return `${request.permission.name}|${
    'resourceRef' in request ? request.resourceRef ?? '' : ''
  }`;
}
