import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * The mock auth service, except that plugin-to-plugin calls on a user's
 * behalf carry the calling plugin as the actor, as the real auth service
 * does (the mock leaves it out).
 */
export function actorAwareAuthFactory() {
  return createServiceFactory({
    service: coreServices.auth,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => {
      const auth = mockServices.auth({ pluginId: plugin.getId() });
      return Object.assign(Object.create(auth), {
        async getPluginRequestToken(options: {
          onBehalfOf: BackstageCredentials;
          targetPluginId: string;
        }) {
          if (auth.isPrincipal(options.onBehalfOf, 'user')) {
            return {
              token: mockCredentials.user.token(
                options.onBehalfOf.principal.userEntityRef,
                { actor: { subject: `plugin:${plugin.getId()}` } },
              ),
            };
          }
          return auth.getPluginRequestToken(options);
        },
      });
    },
  });
}

/** User info with the given group membership (user ref → group refs). */
export function userInfoFactory(members: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials) {
        const { userEntityRef } = credentials.principal as {
          userEntityRef: string;
        };
        return {
          userEntityRef,
          ownershipEntityRefs: [
            userEntityRef,
            ...(members[userEntityRef] ?? []),
          ],
        };
      },
    }),
  });
}
