import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { audited } from '../http/context';
import { EntityReadCache } from './EntityReadCache';

const ENTITY = 'component:default/payments-api';

function counter() {
  let n = 0;
  return {
    load: async () => {
      n++;
      return { n };
    },
    get calls() {
      return n;
    },
  };
}

describe('EntityReadCache', () => {
  it('loads every time while disabled (no change feed)', async () => {
    const cache = new EntityReadCache();
    const c = counter();
    await cache.read(ENTITY, 'k', c.load);
    await cache.read(ENTITY, 'k', c.load);
    expect(c.calls).toBe(2);
  });

  it('lets concurrent reads of one key share one load, but not across a change of the entity', async () => {
    const cache = new EntityReadCache();
    cache.setEnabled(true);
    const answers: Array<() => void> = [];
    let loads = 0;
    const slow = () => {
      const n = ++loads;
      return new Promise<{ n: number }>(resolve => {
        answers.push(() => resolve({ n }));
      });
    };
    const burst = Array.from({ length: 20 }, () =>
      cache.read(ENTITY, 'k', slow),
    );
    expect(loads).toBe(1);
    // A change while that load is under way: a read after it loads again
    // rather than wait for what was read before the change.
    cache.invalidate(ENTITY);
    const afterChange = cache.read(ENTITY, 'k', slow);
    expect(loads).toBe(2);
    answers.forEach(answer => answer());
    expect(await Promise.all(burst)).toEqual(
      Array.from({ length: 20 }, () => ({ n: 1 })),
    );
    expect(await afterChange).toEqual({ n: 2 });
    // The answer read after the change is the one kept.
    expect(await cache.read(ENTITY, 'k', slow)).toEqual({ n: 2 });
    expect(loads).toBe(2);
  });

  it('serves a repeated read from memory until the entity changes', async () => {
    const cache = new EntityReadCache();
    cache.setEnabled(true);
    const c = counter();
    expect(await cache.read(ENTITY, 'k', c.load)).toEqual({ n: 1 });
    expect(await cache.read(ENTITY.toUpperCase(), 'k', c.load)).toEqual({
      n: 1,
    });
    cache.invalidate(ENTITY);
    expect(await cache.read(ENTITY, 'k', c.load)).toEqual({ n: 2 });
    // Another entity is not affected.
    await cache.read('component:default/other', 'k', c.load);
    cache.invalidate('component:default/other');
    expect(await cache.read(ENTITY, 'k', c.load)).toEqual({ n: 2 });
  });

  it('does not keep a value read while the entity changed', async () => {
    const cache = new EntityReadCache();
    cache.setEnabled(true);
    let release!: () => void;
    const inFlight = cache.read(
      ENTITY,
      'k',
      () =>
        new Promise<string>(resolve => {
          release = () => resolve('read before the change');
        }),
    );
    cache.invalidate(ENTITY);
    release();
    expect(await inFlight).toBe('read before the change');
    expect(await cache.read(ENTITY, 'k', async () => 'fresh')).toBe('fresh');
  });

  it('drops everything when the feed is lost, and a read in flight is not kept', async () => {
    const cache = new EntityReadCache();
    cache.setEnabled(true);
    await cache.read(ENTITY, 'k', async () => 'old');
    let release!: () => void;
    const inFlight = cache.read('component:default/other', 'k', () => {
      return new Promise<string>(resolve => {
        release = () => resolve('old other');
      });
    });
    cache.setEnabled(false);
    cache.setEnabled(true);
    release();
    await inFlight;
    expect(await cache.read(ENTITY, 'k', async () => 'new')).toBe('new');
    expect(
      await cache.read('component:default/other', 'k', async () => 'new other'),
    ).toBe('new other');
  });

  it('reads many: hits from memory, all misses in one load', async () => {
    const cache = new EntityReadCache();
    cache.setEnabled(true);
    const asked: string[][] = [];
    const loadMissing = async (refs: string[]) => {
      asked.push(refs);
      return new Map(refs.map(r => [r, `value of ${r}`]));
    };
    await cache.readMany(['a', 'b'], () => 'k', loadMissing);
    const values = await cache.readMany(
      ['a', 'b', 'c'],
      () => 'k',
      loadMissing,
    );
    expect(asked).toEqual([['a', 'b'], ['c']]);
    expect([...values.values()]).toEqual([
      'value of a',
      'value of b',
      'value of c',
    ]);
  });

  it("a mutation audited with an entity ref drops that entity's reads when it completes", async () => {
    const cache = new EntityReadCache();
    cache.setEnabled(true);
    const c = counter();
    await cache.read(ENTITY, 'k', c.load);
    const ctx = { auditor: mockServices.auditor.mock(), readCache: cache };
    await audited(
      ctx,
      undefined,
      'phase-lock',
      'high',
      { entityRef: ENTITY },
      async () => 'ok',
    );
    expect(await cache.read(ENTITY, 'k', c.load)).toEqual({ n: 2 });
    await expect(
      audited(
        ctx,
        undefined,
        'phase-lock',
        'high',
        { entityRef: ENTITY },
        async () => {
          throw new Error('failed half way');
        },
      ),
    ).rejects.toThrow('failed half way');
    expect(await cache.read(ENTITY, 'k', c.load)).toEqual({ n: 3 });
  });

  it('a request refused with a 4xx changed nothing and keeps the reads of its entity', async () => {
    const cache = new EntityReadCache();
    cache.setEnabled(true);
    const c = counter();
    await cache.read(ENTITY, 'k', c.load);
    const ctx = { auditor: mockServices.auditor.mock(), readCache: cache };
    for (const refusal of [
      new ConflictError('already queued'),
      new InputError('bad version'),
      new NotAllowedError('denied'),
    ]) {
      await expect(
        audited(
          ctx,
          undefined,
          'promotion-request',
          'medium',
          { entityRef: ENTITY },
          async () => {
            throw refusal;
          },
        ),
      ).rejects.toThrow(refusal.message);
    }
    expect(await cache.read(ENTITY, 'k', c.load)).toEqual({ n: 1 });
    // Its audit events were still recorded.
    expect(ctx.auditor.createEvent).toHaveBeenCalledTimes(3);
  });
});
