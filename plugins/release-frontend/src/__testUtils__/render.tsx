import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
  TestAppOptions,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { ReactElement } from 'react';
import { releaseApiRef } from '../api';
import { FakeReleaseApi, GUEST, releaseEntity } from './fixtures';

/** What the fake permission framework answers. */
export type Authorize =
  | AuthorizeResult.ALLOW
  | AuthorizeResult.DENY
  | ((
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);

/**
 * Renders `element` in a test app with the typed fake release API, a fake
 * permission framework and the guest signed in (a member of the payments
 * team), inside an EntityProvider when `entity` is not null.
 *
 * `usePermission` caches decisions for the whole test file (swr), so a file
 * should not give the same permission different answers in different tests.
 */
export function renderWithApis(
  element: ReactElement,
  options: {
    api: FakeReleaseApi;
    authorize?: Authorize;
    entity?: Entity | null;
    user?: string;
    mountedRoutes?: TestAppOptions['mountedRoutes'];
    initialRouteEntries?: TestAppOptions['initialRouteEntries'];
  },
) {
  const user = options.user ?? GUEST;
  const entity = options.entity === undefined ? releaseEntity : options.entity;
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseApiRef, options.api],
        mockApis.permission({
          authorize: options.authorize ?? AuthorizeResult.ALLOW,
        }),
        mockApis.identity({
          userEntityRef: user,
          ownershipEntityRefs: [user, 'group:default/team-payments'],
        }),
      ]}
    >
      {entity ? (
        <EntityProvider entity={entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>,
    {
      // People and entities link to the catalog's entity page.
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...options.mountedRoutes,
      },
      initialRouteEntries: options.initialRouteEntries,
    },
  );
}
