import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import releasePlugin from '@release-manager/backstage-plugin-release-backend';
import request from 'supertest';
import {
  actorAwareAuthFactory,
  userInfoFactory,
} from '../__testUtils__/services';
import {
  releasePermissionPolicyModule,
  RELEASE_MANAGERS,
} from './releasePermissionPolicy';

jest.setTimeout(60_000);

const MEMBERS: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-payments'],
  'user:default/guest': ['group:default/team-payments', RELEASE_MANAGERS],
};

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'release.backstage.io/pipeline': 'default' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-payments',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};

describe('example permission policy: Live is for release managers', () => {
  it('lets only release managers request promotions to Live, through the real permission backend', async () => {
    const { server } = await startTestBackend({
      features: [
        releasePlugin,
        permissionPlugin,
        releasePermissionPolicyModule,
        permissionsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            // Dev and Live, with no order between them, so the policy alone decides.
            release: {
              pipelines: {
                default: {
                  phases: [
                    { id: 'dev', requires: false },
                    { id: 'live', requires: false },
                  ],
                },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: [entity] }),
        actorAwareAuthFactory(),
        userInfoFactory(MEMBERS),
      ],
    });

    const base = '/api/release/entities/component/default/payments-api';
    const ci = mockCredentials.service.header();
    const created = await request(server)
      .post(`${base}/releases`)
      .set('Authorization', ci)
      .send({ version: '1.0.0', artifact: 'img@sha256:1' });
    expect(created.status).toBe(201);

    const promote = (user: string, phase: string, extra: object = {}) =>
      request(server)
        .post(`${base}/promotions`)
        .set('Authorization', mockCredentials.user.header(user))
        .send({ version: '1.0.0', phase, ...extra });

    // The conditional decision (not phase 'live') is applied by the release
    // plugin's rules: Dev is open to the owners…
    const dev = await promote('user:default/alice', 'dev');
    expect(dev.status).toBe(202);
    // …Live is refused for alice…
    const alice = await promote('user:default/alice', 'live');
    expect(alice.status).toBe(403);
    expect(alice.body.error.message).toMatch(
      /release.promotion.create was denied .*#live/,
    );
    // …and allowed for a release manager.
    const guest = await promote('user:default/guest', 'live');
    expect(guest.status).toBe(202);
    // Overrides are for release managers only.
    const override = await promote('user:default/alice', 'dev', {
      override: { reason: 'urgent' },
    });
    expect(override.status).toBe(403);
  });
});
