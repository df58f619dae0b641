import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DEFAULT_PIPELINE_TEMPLATE } from '@release-manager/backstage-plugin-release-common';
import { ENTITIES } from '../__testUtils__/fixtures';
import { EntityResolver } from './EntityResolver';

const REF = 'component:default/payments-api';

describe('EntityResolver', () => {
  const templates = new Map([
    ['default', DEFAULT_PIPELINE_TEMPLATE],
    ['fast-track', { ...DEFAULT_PIPELINE_TEMPLATE, name: 'fast-track' }],
  ]);

  /** A resolver over `catalog` keeping answers for `ttlMs`. */
  const resolverOver = (
    catalog: ReturnType<typeof catalogServiceMock>,
    ttlMs: number,
  ) =>
    new EntityResolver(
      catalog,
      templates,
      mockServices.auth({ pluginId: 'release' }),
      { ttlMs, maxEntries: 10 },
    );

  it('asks the catalog once per caller and entity within the cache time', async () => {
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    const resolver = resolverOver(catalog, 60_000);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');

    await resolver.resolve(REF, alice);
    await resolver.resolve(REF, alice);
    expect(spy).toHaveBeenCalledTimes(1);
    // Visibility is the catalog's decision per caller: another caller asks again.
    await resolver.resolve(REF, bob);
    expect(spy).toHaveBeenCalledTimes(2);
    // Entities from a bulk lookup serve later single lookups.
    await resolver.resolveMany(['component:default/ledger-worker'], alice);
    await resolver.resolve('component:default/ledger-worker', alice);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('keeps a catalog query (a portfolio page, the refs of a group) per caller and query within the cache time', async () => {
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const spy = jest.spyOn(catalog, 'queryEntities');
    const resolver = resolverOver(catalog, 60_000);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    const page = { owner: 'group:default/team-payments', limit: 5 };

    const first = await resolver.query(alice, page);
    expect(first.items.length).toBeGreaterThan(0);
    expect(await resolver.query(alice, page)).toBe(first);
    expect(spy).toHaveBeenCalledTimes(1);
    // Another caller, another filter or page: asked again.
    await resolver.query(bob, page);
    await resolver.query(alice, { ...page, limit: 6 });
    expect(spy).toHaveBeenCalledTimes(3);

    const refs = await resolver.findRefs({ owner: 'team-payments' }, alice);
    expect(refs).toContain(REF);
    await resolver.findRefs({ owner: 'team-payments' }, alice);
    expect(spy).toHaveBeenCalledTimes(4);

    // With no cache time every query goes to the catalog.
    const uncached = resolverOver(catalog, 0);
    await uncached.query(alice, page);
    await uncached.query(alice, page);
    expect(spy).toHaveBeenCalledTimes(6);
  });

  it('callers that miss the cache at the same moment share one catalog call; a failure is shared and not kept', async () => {
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const byRef = jest.spyOn(catalog, 'getEntityByRef');
    const query = jest.spyOn(catalog, 'queryEntities');
    const resolver = resolverOver(catalog, 60_000);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    const page = { owner: 'group:default/team-payments', limit: 5 };

    // 20 concurrent misses of one entity, and of one page, for one caller.
    const targets = await Promise.all(
      Array.from({ length: 20 }, () => resolver.resolve(REF, alice)),
    );
    expect(new Set(targets.map(t => t.entityRef))).toEqual(new Set([REF]));
    expect(byRef).toHaveBeenCalledTimes(1);
    const pages = await Promise.all(
      Array.from({ length: 20 }, () => resolver.query(alice, page)),
    );
    expect(new Set(pages).size).toBe(1);
    expect(query).toHaveBeenCalledTimes(1);
    // Another caller's concurrent misses are their own call.
    await Promise.all([resolver.resolve(REF, bob), resolver.resolve(REF, bob)]);
    expect(byRef).toHaveBeenCalledTimes(2);

    // A failed call fails everyone who waited for it and is not kept.
    const carol = mockCredentials.user('user:default/carol');
    byRef.mockRejectedValueOnce(new Error('catalog down'));
    const failed = await Promise.allSettled([
      resolver.resolve(REF, carol),
      resolver.resolve(REF, carol),
    ]);
    expect(failed.map(f => f.status)).toEqual(['rejected', 'rejected']);
    expect(byRef).toHaveBeenCalledTimes(3);
    expect((await resolver.resolve(REF, carol)).entityRef).toBe(REF);
    expect(byRef).toHaveBeenCalledTimes(4);
  });

  it('asks again once the cache time has passed', async () => {
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    const resolver = resolverOver(catalog, 0);
    const alice = mockCredentials.user('user:default/alice');
    await resolver.resolve(REF, alice);
    await resolver.resolve(REF, alice);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('asks the catalog as the caller for users, and as the plugin itself for services', async () => {
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    const many = jest.spyOn(catalog, 'getEntitiesByRefs');
    const resolver = resolverOver(catalog, 0);
    const askedAs = (call: unknown[]) =>
      (call[1] as { credentials: BackstageCredentials }).credentials;
    const alice = mockCredentials.user('user:default/alice');
    const ci = mockCredentials.service('ci-pipeline', {
      permissionNames: ['release.release.create'],
    });

    await resolver.resolve(REF, alice);
    expect(askedAs(spy.mock.calls[0])).toEqual(alice);

    const target = await resolver.resolve(REF, ci);
    expect(target.entityRef).toBe(REF);
    expect(askedAs(spy.mock.calls[1]).principal).toEqual({
      type: 'service',
      subject: 'plugin:release',
    });

    await resolver.resolveMany([REF], ci);
    expect(askedAs(many.mock.calls[0]).principal).toEqual({
      type: 'service',
      subject: 'plugin:release',
    });
  });
});
