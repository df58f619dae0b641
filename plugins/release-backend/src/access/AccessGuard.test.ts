import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  releasePromotionApprovePermission,
  releaseReadPermission,
} from '@release-manager/backstage-plugin-release-common';
import { AccessGuard } from './AccessGuard';

const A = 'component:default/a';
const B = 'component:default/b';

/** A permissions service allowing only `a`, counting its round trips. */
function permissions() {
  const service = mockServices.permissions.mock();
  service.authorize.mockImplementation(async requests =>
    requests.map(r => ({
      result:
        'resourceRef' in r && r.resourceRef === A
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
  );
  return service;
}

/** A guard over `service` keeping decisions for `listDecisionTtlMs`. */
function guardOver(
  service: ReturnType<typeof permissions>,
  listDecisionTtlMs: number,
) {
  return new AccessGuard(service, mockServices.userInfo(), {
    listDecisionTtlMs,
    maxListDecisions: 100,
  });
}

describe('AccessGuard', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  it('keeps the decisions of a list filter per caller and permission for a few seconds, asking only for what it has not seen', async () => {
    const service = permissions();
    const guard = guardOver(service, 60_000);

    expect(await guard.filter(alice, releaseReadPermission, [A, B])).toEqual(
      new Set([A]),
    );
    expect(await guard.filter(alice, releaseReadPermission, [B, A])).toEqual(
      new Set([A]),
    );
    expect(service.authorize).toHaveBeenCalledTimes(1);

    // Only the one not seen yet is asked.
    const C = 'component:default/c';
    expect(await guard.filter(alice, releaseReadPermission, [A, C])).toEqual(
      new Set([A]),
    );
    expect(service.authorize).toHaveBeenCalledTimes(2);
    expect(service.authorize.mock.calls[1][0]).toEqual([
      { permission: releaseReadPermission, resourceRef: C },
    ]);

    // Another caller or another permission: asked again.
    await guard.filter(bob, releaseReadPermission, [A]);
    await guard.filter(alice, releasePromotionApprovePermission, [A]);
    expect(service.authorize).toHaveBeenCalledTimes(4);

    // A single read reuses an allowed read decision (the list's, here)...
    await guard.authorize(alice, releaseReadPermission, A);
    expect(service.authorize).toHaveBeenCalledTimes(4);
    // ...but not a denied one: a refused read asks again, each time.
    await expect(
      guard.authorize(alice, releaseReadPermission, B),
    ).rejects.toThrow(/denied/);
    await expect(
      guard.authorize(alice, releaseReadPermission, B),
    ).rejects.toThrow(/denied/);
    expect(service.authorize).toHaveBeenCalledTimes(6);
  });

  it("keeps a single read's allowed decision per caller for the cache time; an action always asks", async () => {
    const service = permissions();
    const guard = guardOver(service, 60_000);
    await guard.authorize(alice, releaseReadPermission, A);
    await guard.authorize(alice, releaseReadPermission, A);
    expect(service.authorize).toHaveBeenCalledTimes(1);
    // Another caller asks for their own.
    await guard.authorize(bob, releaseReadPermission, A);
    expect(service.authorize).toHaveBeenCalledTimes(2);
    // An action (not a read) is asked on every request.
    await guard.authorize(alice, releasePromotionApprovePermission, A);
    await guard.authorize(alice, releasePromotionApprovePermission, A);
    expect(service.authorize).toHaveBeenCalledTimes(4);

    // With no cache time every read asks.
    const uncached = permissions();
    const fresh = guardOver(uncached, 0);
    await fresh.authorize(alice, releaseReadPermission, A);
    await fresh.authorize(alice, releaseReadPermission, A);
    expect(uncached.authorize).toHaveBeenCalledTimes(2);
  });

  it('a read decision older than the cache time is asked again', async () => {
    const service = permissions();
    const guard = guardOver(service, 50);
    await guard.authorize(alice, releaseReadPermission, A);
    await guard.authorize(alice, releaseReadPermission, A);
    expect(service.authorize).toHaveBeenCalledTimes(1);
    await new Promise(r => setTimeout(r, 80));
    await guard.authorize(alice, releaseReadPermission, A);
    expect(service.authorize).toHaveBeenCalledTimes(2);
  });

  it('asks every time once a decision is older than the cache time', async () => {
    const service = permissions();
    const guard = guardOver(service, 0);
    await guard.filter(alice, releaseReadPermission, [A]);
    await guard.filter(alice, releaseReadPermission, [A]);
    expect(service.authorize).toHaveBeenCalledTimes(2);
  });
});
