/**
 * Puts an entry at the end of a map kept in the order entries were written,
 * after dropping from its front the entries that have expired and, when the
 * map is full, the oldest one.
 *
 * Reads of a few seconds (what one caller may do, catalog answers) would
 * otherwise stay in memory until the same key is read again or the map
 * fills: a pass over thousands of entities leaves them all behind. Dropped
 * as they expire, they cost memory only while they can still be served.
 * Only the expired entries at the front are visited.
 */
export function setExpiring<K, V>(
  map: Map<K, V>,
  key: K,
  value: V,
  options: { maxEntries: number; expired: (entry: V) => boolean },
): void {
  map.delete(key);
  for (const [k, v] of map) {
    if (!options.expired(v)) break;
    map.delete(k);
  }
  if (map.size >= options.maxEntries) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}
