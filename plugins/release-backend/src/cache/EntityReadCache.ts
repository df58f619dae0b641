import { shareInFlight } from './inFlight';
import { setExpiring } from './expiring';

/** A kept read: the generation it was read under, when, and for how long. */
interface CacheEntry {
  value: unknown;
  generation: number;
  at: number;
  ttlMs: number;
}

/**
 * Reads of one entity's release state (pipeline state, release pages),
 * cached in this process and dropped as soon as the entity changes.
 *
 * Changes are learnt from the database: on PostgreSQL a trigger on the
 * release tables notifies every backend process of the entity whose rows
 * changed, on commit (see `PostgresChangeListener`); on SQLite
 * connection-local triggers report this process's writes (see
 * `SqliteChangeFeed`). Mutations made through this process
 * also drop the entity right after they commit, so a caller reads their own
 * writes. While no change feed is connected the cache is disabled and every
 * read goes to the database.
 *
 * A read that was in flight while the entity changed is never served: each
 * entity has a generation, bumped on every change, and an entry is served
 * only while the generation it was read under is current.
 *
 * @public
 */
export class EntityReadCache {
  private readonly entries = new Map<string, CacheEntry>();
  /**
   * Entries kept for less than the safety net (they also hold what is not
   * release data, such as what the caller may do), in a map of their own so
   * that they leave it in the order they expire.
   */
  private readonly shortEntries = new Map<string, CacheEntry>();
  private readonly generations = new Map<string, number>();
  /**
   * Reads across entities (the approvals inbox), kept while no entity at
   * all changed, and for at most their own short time.
   */
  private readonly globals = new Map<string, CacheEntry>();
  /** Bumped on every change of any entity. */
  private globalGeneration = 0;
  /** Bumped when everything is dropped (feed lost or reconnected). */
  private epoch = 0;
  private enabled = false;
  private validate: (() => Promise<void>) | undefined;

  constructor(
    private readonly options: {
      /** Safety net: an entry older than this is read again. */
      ttlMs: number;
      maxEntries: number;
    } = { ttlMs: 60_000, maxEntries: 20_000 },
  ) {}

  /**
   * Turns caching on (a change feed is connected) or off (it is not).
   * `validate`, when given, runs before every read and may drop entries
   * (a feed that can only tell at read time whether the data changed, such
   * as a SQLite file that other processes may write).
   */
  setEnabled(enabled: boolean, validate?: () => Promise<void>) {
    this.invalidateAll();
    this.enabled = enabled;
    this.validate = enabled ? validate : undefined;
  }

  /**
   * Reads through the cache; `key` names the read within the entity.
   * `ttlMs` shortens the entry's life for a read that also holds what is not
   * release data (such as what the caller may do).
   */
  async read<T>(
    entityRef: string,
    key: string,
    load: () => Promise<T>,
    ttlMs?: number,
  ): Promise<T> {
    const readOne = async () =>
      (
        await this.readMany(
          [entityRef],
          () => key,
          async () => new Map([[entityRef, await load()]]),
          ttlMs,
        )
      ).get(entityRef) as T;
    // Concurrent reads of the same key under the same generation share one
    // load (a burst of requests for one entity reads it once). Not where
    // each read must first ask the database whether it changed.
    if (!this.enabled || this.validate) return readOne();
    const entity = entityRef.toLowerCase();
    const flight = `${this.epoch}|${entity}|${key}|${ttlMs ?? ''}|${
      this.generations.get(entity) ?? 0
    }`;
    return shareInFlight(this.inFlight, flight, readOne);
  }

  /** Loads under way, by key and generation (see {@link EntityReadCache.read}). */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /**
   * Reads many entities through the cache: the hits from memory, all the
   * misses with one call of `loadMissing` (which may leave some out).
   */
  async readMany<T>(
    entityRefs: string[],
    keyOf: (entityRef: string) => string,
    loadMissing: (entityRefs: string[]) => Promise<Map<string, T>>,
    ttlMs: number = this.options.ttlMs,
  ): Promise<Map<string, T>> {
    if (!this.enabled || ttlMs <= 0) {
      return loadMissing(entityRefs);
    }
    if (this.validate) {
      await this.validate();
      if (!this.enabled) return loadMissing(entityRefs);
    }
    const result = new Map<string, T>();
    const misses: Array<{
      entityRef: string;
      cacheKey: string;
      generation: number;
    }> = [];
    const now = Date.now();
    for (const entityRef of entityRefs) {
      const entity = entityRef.toLowerCase();
      const cacheKey = `${this.epoch}|${entity}|${keyOf(entityRef)}`;
      const generation = this.generations.get(entity) ?? 0;
      const hit =
        ttlMs < this.options.ttlMs
          ? this.shortEntries.get(cacheKey)
          : this.entries.get(cacheKey);
      if (hit && hit.generation === generation && !this.expired(hit, now)) {
        result.set(entityRef, hit.value as T);
      } else {
        misses.push({ entityRef, cacheKey, generation });
      }
    }
    if (misses.length === 0) {
      return result;
    }
    const epoch = this.epoch;
    const loaded = await loadMissing(misses.map(m => m.entityRef));
    for (const miss of misses) {
      if (!loaded.has(miss.entityRef)) continue;
      const value = loaded.get(miss.entityRef) as T;
      result.set(miss.entityRef, value);
      // Tagged with the generation it was read under: if the entity changed
      // meanwhile, the entry is stale on arrival and never served.
      if (this.enabled && this.epoch === epoch) {
        const at = Date.now();
        setExpiring(
          ttlMs < this.options.ttlMs ? this.shortEntries : this.entries,
          miss.cacheKey,
          { value, generation: miss.generation, at, ttlMs },
          {
            maxEntries: this.options.maxEntries,
            expired: e => this.expired(e, at),
          },
        );
      }
    }
    return result;
  }

  /**
   * Reads something that spans entities through the cache: served from
   * memory while no entity changed since it was read (any change drops every
   * such read) and for at most `ttlMs` (for the parts that are not release
   * data, such as permission decisions).
   */
  async readAcross<T>(
    key: string,
    ttlMs: number,
    load: () => Promise<T>,
  ): Promise<T> {
    if (!this.enabled || ttlMs <= 0) return load();
    if (this.validate) {
      await this.validate();
      if (!this.enabled) return load();
    }
    const hit = this.globals.get(key);
    if (
      hit &&
      hit.generation === this.globalGeneration &&
      !this.expired(hit, Date.now())
    ) {
      return hit.value as T;
    }
    const generation = this.globalGeneration;
    const value = await load();
    if (this.enabled && generation === this.globalGeneration) {
      const at = Date.now();
      setExpiring(
        this.globals,
        key,
        { value, generation, at, ttlMs },
        {
          maxEntries: EntityReadCache.MAX_ACROSS,
          // Any change drops them all: an entry of an older generation is
          // never served again.
          expired: e =>
            e.generation !== this.globalGeneration || this.expired(e, at),
        },
      );
    }
    return value;
  }

  /** Past its own time or the safety net's. */
  private expired(entry: CacheEntry, now: number): boolean {
    return now - entry.at >= Math.min(entry.ttlMs, this.options.ttlMs);
  }

  private static readonly MAX_ACROSS = 1_000;

  /** The entity changed: its cached reads are dropped. */
  invalidate(entityRef: string) {
    this.globalGeneration++;
    const entity = entityRef.toLowerCase();
    this.generations.set(entity, (this.generations.get(entity) ?? 0) + 1);
    // Entries of an older generation are never served again; they are
    // replaced on the next read or leave as the oldest when the map is full.
  }

  /** Everything may have changed. */
  invalidateAll() {
    this.epoch++;
    this.globalGeneration++;
    this.entries.clear();
    this.shortEntries.clear();
    this.generations.clear();
    this.globals.clear();
  }
}
