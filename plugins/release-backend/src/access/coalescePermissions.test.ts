import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizePermissionResponse,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import {
  releasePromotionCreatePermission,
  releaseReadPermission,
} from '@release-manager/backstage-plugin-release-common';
import { coalescePermissions } from './coalescePermissions';

const A = 'component:default/a';

/** A permissions service whose answers arrive when the test releases them. */
function heldPermissions() {
  const service = mockServices.permissions.mock();
  const waiting: Array<() => void> = [];
  let result: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;
  service.authorize.mockImplementation(
    requests =>
      new Promise<AuthorizePermissionResponse[]>(resolve =>
        waiting.push(() => resolve(requests.map(() => ({ result })))),
      ),
  );
  return {
    service,
    answer: () => waiting.splice(0).forEach(release => release()),
    set: (r: AuthorizeResult.ALLOW | AuthorizeResult.DENY) => {
      result = r;
    },
  };
}

describe('coalescePermissions', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');
  const read = [{ permission: releaseReadPermission, resourceRef: A }];

  it('asks the permission backend once for identical questions asked at the same time by one caller', async () => {
    const held = heldPermissions();
    const permissions = coalescePermissions(held.service);

    const asks = Array.from({ length: 50 }, () =>
      permissions.authorize(read, { credentials: alice }),
    );
    await Promise.resolve();
    expect(held.service.authorize).toHaveBeenCalledTimes(1);
    held.answer();
    const answers = await Promise.all(asks);
    expect(answers.every(a => a[0].result === AuthorizeResult.ALLOW)).toBe(
      true,
    );
  });

  it('asks separately for another caller or another question', async () => {
    const held = heldPermissions();
    const permissions = coalescePermissions(held.service);

    const asks = [
      permissions.authorize(read, { credentials: alice }),
      permissions.authorize(read, { credentials: bob }),
      permissions.authorize(
        [{ permission: releasePromotionCreatePermission, resourceRef: A }],
        { credentials: alice },
      ),
      permissions.authorize(
        [{ permission: releaseReadPermission, resourceRef: 'component:x/b' }],
        { credentials: alice },
      ),
      permissions.authorize(read, {
        credentials: mockCredentials.service('plugin:catalog'),
      }),
    ];
    expect(held.service.authorize).toHaveBeenCalledTimes(5);
    held.answer();
    await Promise.all(asks);
  });

  it('keeps nothing once the answer arrived: a later question is asked again and sees a changed policy', async () => {
    const held = heldPermissions();
    const permissions = coalescePermissions(held.service);

    const first = permissions.authorize(read, { credentials: alice });
    held.answer();
    expect((await first)[0].result).toBe(AuthorizeResult.ALLOW);

    held.set(AuthorizeResult.DENY);
    const second = permissions.authorize(read, { credentials: alice });
    expect(held.service.authorize).toHaveBeenCalledTimes(2);
    held.answer();
    expect((await second)[0].result).toBe(AuthorizeResult.DENY);
  });

  it('a failed call fails every waiting question, and the next one is asked again', async () => {
    const service = mockServices.permissions.mock();
    service.authorize
      .mockRejectedValueOnce(new Error('permission backend down'))
      .mockResolvedValueOnce([{ result: AuthorizeResult.ALLOW }]);
    const permissions = coalescePermissions(service);

    const asks = [
      permissions.authorize(read, { credentials: alice }),
      permissions.authorize(read, { credentials: alice }),
    ];
    await expect(asks[0]).rejects.toThrow('permission backend down');
    await expect(asks[1]).rejects.toThrow('permission backend down');
    expect(
      (await permissions.authorize(read, { credentials: alice }))[0].result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(service.authorize).toHaveBeenCalledTimes(2);
  });
});
