import {
  AuthorizeResult,
  EvaluatePermissionRequest,
  EvaluatePermissionResponse,
} from '@backstage/plugin-permission-common';
import { PermissionApi } from '@backstage/plugin-permission-react';

/**
 * The permission API of the dev app: there is no permission backend, so
 * every release permission is allowed, except the names in `deny` (to see
 * how the plugin hides or disables what a policy forbids).
 */
export class DemoPermissionApi implements PermissionApi {
  constructor(private readonly deny: ReadonlySet<string> = new Set()) {}

  async authorize(
    request: EvaluatePermissionRequest,
  ): Promise<EvaluatePermissionResponse> {
    return {
      result: this.deny.has(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    };
  }
}
