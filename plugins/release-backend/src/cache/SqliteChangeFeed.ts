import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { EntityReadCache } from './EntityReadCache';

/** The tables whose rows make up the cached reads (as on PostgreSQL). */
export const RELEASE_CACHED_TABLES = [
  'release_releases',
  'release_promotions',
  'release_phase_state',
  'release_phase_locks',
  'release_phase_configs',
  'release_secrets',
];

/**
 * How a row of each cached table names its entity: its own entity_ref, or
 * (an approval) the entity of the promotion it belongs to.
 */
const ENTITY_OF: Record<string, (row: 'new' | 'old') => string> = {
  ...Object.fromEntries(
    RELEASE_CACHED_TABLES.map(t => [t, (row: string) => `${row}.entity_ref`]),
  ),
  release_approvals: row =>
    `(select entity_ref from main.release_promotions where id = ${row}.promotion_id)`,
};

/** The SQL function the connection-local triggers call. */
const CHANGED_FUNCTION = 'release_entity_changed';

/**
 * How a SQLite database *file* is used (`release.readCache.sqliteFile`):
 * `exclusive` — only this backend process opens it (reads from memory cost no
 * statement); `shared` — other processes may write it too (each cached read
 * first asks SQLite whether another connection committed since, one
 * `PRAGMA data_version`, and drops the cache if so). An in-memory database
 * is always exclusive: no other process can open it.
 */
export type SqliteFileMode = 'exclusive' | 'shared';

/** The parts of a better-sqlite3 connection the feed uses. */
type SqliteConnection = {
  function(
    name: string,
    options: { deterministic?: boolean; varargs?: boolean },
    fn: (...args: unknown[]) => unknown,
  ): unknown;
  exec(sql: string): unknown;
  pragma(sql: string, options: { simple: true }): unknown;
};

function isSqliteConnection(conn: unknown): conn is SqliteConnection {
  const c = conn as Partial<SqliteConnection> | undefined;
  return (
    typeof c?.function === 'function' &&
    typeof c?.exec === 'function' &&
    typeof c?.pragma === 'function'
  );
}

type Pool = {
  max?: number;
  free?: Array<{ resource: unknown }>;
  used?: Array<{ resource: unknown }>;
  on(
    event: 'createSuccess',
    fn: (id: unknown, resource: unknown) => void,
  ): void;
  removeListener(event: string, fn: (...args: any[]) => void): void;
};

/**
 * Keeps an {@link EntityReadCache} in step with a SQLite database, the
 * embedded default (`yarn start` runs on SQLite in memory).
 *
 * SQLite has no LISTEN/NOTIFY, but in one process it does not need one:
 * every write of this process goes through the one pooled connection (knex
 * opens a single connection to SQLite), on which the feed registers a SQL
 * function and *temporary* triggers (connection-local, nothing is written to
 * the database file) on every release table. Each row written, by any code
 * path of this process — the lifecycle transitions, the stores, the
 * dispatcher, a manual `knex(...)` update — drops the cached reads of its
 * entity as the statement runs. Since the connection is held for the whole
 * of a transaction, no other read can run between the write and its commit
 * (or rollback), so nothing read before the commit is kept after it.
 *
 * Other processes cannot reach a connection-local trigger. For a database
 * file (see {@link SqliteFileMode}) the feed therefore compares SQLite's
 * `PRAGMA data_version`, which changes when *another* connection commits:
 * before every cached read in `shared` mode, and every `checkMs` in
 * `exclusive` mode, where a change means the file is not exclusive after
 * all — the feed warns and switches to `shared`.
 *
 * The cache stays off when the feed cannot be installed (the `sqlite3`
 * driver, or a pool of more than one connection).
 */
export class SqliteChangeFeed {
  private mode: SqliteFileMode | 'memory' | 'off' = 'off';
  private readonly dataVersions = new WeakMap<object, number>();
  private readonly installed = new WeakSet<object>();
  private timer: NodeJS.Timeout | undefined;
  private onCreate: ((id: unknown, resource: unknown) => void) | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly cache: EntityReadCache,
    private readonly logger: LoggerService,
    private readonly options: {
      fileMode?: SqliteFileMode;
      checkMs?: number;
    } = {},
  ) {}

  /** True on SQLite. */
  static supports(knex: Knex): boolean {
    return /sqlite/.test(String(knex.client.dialect));
  }

  /** What the feed does now (for logs and tests). */
  get effectiveMode() {
    return this.mode;
  }

  private get filename(): string {
    const connection = this.knex.client.config?.connection as
      | { filename?: string }
      | string
      | undefined;
    const filename =
      typeof connection === 'string' ? connection : connection?.filename;
    return filename ?? ':memory:';
  }

  private get inMemory(): boolean {
    const f = this.filename;
    return f === ':memory:' || f === '' || /mode=memory|^file::memory:/.test(f);
  }

  async start(): Promise<void> {
    const pool = this.knex.client.pool as Pool | undefined;
    if (!pool || (pool.max ?? 1) > 1) {
      this.disable(
        `a pool of ${pool?.max} SQLite connections (the cache needs one)`,
      );
      return;
    }
    const conn = await this.knex.client.acquireConnection();
    try {
      if (!isSqliteConnection(conn)) {
        this.disable('the SQLite driver is not better-sqlite3');
        return;
      }
      this.install(conn);
    } finally {
      await this.knex.client.releaseConnection(conn);
    }
    // A connection the pool opens later (after an error) gets the same.
    this.onCreate = (_id, resource) => {
      if (isSqliteConnection(resource)) {
        this.install(resource);
        // It may see commits its predecessor did not: start afresh.
        this.cache.invalidateAll();
      }
    };
    pool.on('createSuccess', this.onCreate);

    if (this.inMemory) {
      this.mode = 'memory';
    } else {
      this.mode = this.options.fileMode ?? 'shared';
      if (this.mode === 'exclusive') {
        this.timer = setInterval(
          () => void this.checkExclusive(),
          this.options.checkMs ?? 2_000,
        );
        this.timer.unref?.();
      }
    }
    this.cache.setEnabled(
      true,
      this.mode === 'shared' ? this.validate : undefined,
    );
    this.logger.info(
      this.mode === 'memory'
        ? 'Release read cache on (SQLite in memory: this process owns the database)'
        : `Release read cache on (SQLite file ${this.filename}, ${this.mode})`,
    );
  }

  private disable(why: string) {
    this.mode = 'off';
    this.cache.setEnabled(false);
    this.logger.info(`Release read cache off on SQLite: ${why}`);
  }

  /** The SQL function and the connection-local triggers. */
  private install(conn: SqliteConnection) {
    const key = conn as unknown as object;
    if (this.installed.has(key)) return;
    conn.function(CHANGED_FUNCTION, { deterministic: false }, ref => {
      if (typeof ref === 'string') this.cache.invalidate(ref);
      return null;
    });
    for (const [table, entityOf] of Object.entries(ENTITY_OF)) {
      for (const op of ['insert', 'update', 'delete'] as const) {
        const refs = {
          insert: entityOf('new'),
          delete: entityOf('old'),
          update: `${entityOf('old')}), ${CHANGED_FUNCTION}(${entityOf('new')}`,
        }[op];
        conn.exec(
          `create temp trigger if not exists ${table}_cache_${op} after ${op} on main.${table} ` +
            `begin select ${CHANGED_FUNCTION}(${refs}); end`,
        );
      }
    }
    this.dataVersions.set(key, this.dataVersionOf(conn));
    this.installed.add(key);
  }

  private dataVersionOf(conn: SqliteConnection): number {
    return Number(conn.pragma('data_version', { simple: true }));
  }

  /**
   * True when another connection (another process) committed to the file
   * since the last look on this connection.
   */
  private async foreignCommit(): Promise<boolean> {
    const conn = await this.knex.client.acquireConnection();
    try {
      if (!isSqliteConnection(conn)) return true;
      const key = conn as unknown as object;
      const now = this.dataVersionOf(conn);
      const before = this.dataVersions.get(key);
      this.dataVersions.set(key, now);
      return before !== now;
    } finally {
      await this.knex.client.releaseConnection(conn);
    }
  }

  /** `shared`: called by the cache before it serves a read. */
  private readonly validate = async () => {
    if (await this.foreignCommit()) this.cache.invalidateAll();
  };

  private async checkExclusive() {
    try {
      if (this.mode !== 'exclusive' || !(await this.foreignCommit())) return;
      this.logger.warn(
        `Another process wrote the SQLite file ${this.filename}, configured as release.readCache.sqliteFile: exclusive; ` +
          'the read cache now checks the file before every read (shared)',
      );
      this.mode = 'shared';
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      this.cache.setEnabled(true, this.validate);
    } catch {
      // The database is closing; nothing to keep in step.
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.onCreate) {
      (this.knex.client.pool as Pool | undefined)?.removeListener(
        'createSuccess',
        this.onCreate,
      );
    }
    this.cache.setEnabled(false);
    this.mode = 'off';
  }
}
