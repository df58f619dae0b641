import { setExpiring } from './expiring';

describe('setExpiring', () => {
  const options = (now: number, maxEntries = 100) => ({
    maxEntries,
    expired: (e: { at: number }) => now - e.at >= 5_000,
  });

  it('drops the expired entries at the front when an entry is written', () => {
    const map = new Map<string, { at: number }>();
    setExpiring(map, 'a', { at: 0 }, options(0));
    setExpiring(map, 'b', { at: 1_000 }, options(1_000));
    setExpiring(map, 'c', { at: 4_000 }, options(4_000));
    expect([...map.keys()]).toEqual(['a', 'b', 'c']);

    setExpiring(map, 'd', { at: 5_500 }, options(5_500));
    expect([...map.keys()]).toEqual(['b', 'c', 'd']);

    setExpiring(map, 'e', { at: 8_500 }, options(8_500));
    expect([...map.keys()]).toEqual(['c', 'd', 'e']);
  });

  it('moves a rewritten key to the end, so the map stays in the order of writing', () => {
    const map = new Map<string, { at: number }>();
    setExpiring(map, 'a', { at: 0 }, options(0));
    setExpiring(map, 'b', { at: 1_000 }, options(1_000));
    setExpiring(map, 'a', { at: 2_000 }, options(2_000));
    expect([...map.keys()]).toEqual(['b', 'a']);

    setExpiring(map, 'c', { at: 6_500 }, options(6_500));
    expect([...map.entries()]).toEqual([
      ['a', { at: 2_000 }],
      ['c', { at: 6_500 }],
    ]);
  });

  it('drops the oldest entry when the map is full', () => {
    const map = new Map<string, { at: number }>();
    for (const [i, key] of ['a', 'b', 'c'].entries()) {
      setExpiring(map, key, { at: i }, options(i, 3));
    }
    setExpiring(map, 'd', { at: 3 }, options(3, 3));
    expect([...map.keys()]).toEqual(['b', 'c', 'd']);
  });
});
