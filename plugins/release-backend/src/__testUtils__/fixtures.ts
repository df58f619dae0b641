import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

/** Users and the groups they belong to (what the auth backend puts in `ent`). */
export const MEMBERSHIP: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-payments'],
  'user:default/lead': [
    'group:default/team-payments',
    'group:default/team-leads',
  ],
  'user:default/bob': ['group:default/team-payments'],
  'user:default/carol': ['group:default/team-storefront'],
};

function component(name: string, owner: string, pipeline?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: pipeline
        ? { 'release.backstage.io/pipeline': pipeline }
        : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

export const ENTITIES: Entity[] = [
  component('payments-api', 'group:default/team-payments', 'default'),
  component('ledger-worker', 'group:default/team-payments', 'fast-track'),
  component('legacy-reports', 'group:default/team-storefront'),
  component('orphan', 'group:default/team-payments', 'no-such-template'),
];

/**
 * The user info service resolves ownership refs from the user's token; test
 * tokens carry none, so this resolves them from {@link MEMBERSHIP}.
 */
export const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const principal = credentials.principal as { userEntityRef: string };
      return {
        userEntityRef: principal.userEntityRef,
        ownershipEntityRefs: [
          principal.userEntityRef,
          ...(MEMBERSHIP[principal.userEntityRef] ?? []),
        ],
      };
    },
  }),
});

export const TEST_CONFIG = {
  release: {
    pipelines: {
      'fast-track': {
        phases: [
          { id: 'dev', title: 'Dev' },
          { id: 'live', title: 'Live', approvals: { required: 1 } },
        ],
      },
    },
  },
};
