import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { EntityReadCache } from './EntityReadCache';

/** The channel the release tables' trigger notifies (see migrations). */
export const RELEASE_CHANGES_CHANNEL = 'release_entity_changed';

type PgClient = {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', fn: (msg: { payload?: string }) => void): void;
  on(event: 'error' | 'end', fn: (error?: Error) => void): void;
  removeAllListeners(): void;
};

/** Stops listening to a connection we are done with; its late errors are expected. */
function quiet(client: PgClient) {
  client.removeAllListeners();
  client.on('error', () => {});
}

/**
 * Keeps an {@link EntityReadCache} in step with the database on PostgreSQL:
 * a dedicated connection LISTENs on {@link RELEASE_CHANGES_CHANNEL}, which a
 * trigger on every release table notifies with the entity ref of each row
 * written, when the writing transaction commits (whichever process wrote).
 * The cache is enabled only while the connection listens; when it drops the
 * cache is disabled (reads go to the database) and the listener reconnects.
 */
export class PostgresChangeListener {
  private client: PgClient | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly cache: EntityReadCache,
    private readonly logger: LoggerService,
    private readonly options: { retryMs: number } = { retryMs: 2_000 },
  ) {}

  /** True on PostgreSQL, the only database with a change feed. */
  static supports(knex: Knex): boolean {
    return knex.client.dialect === 'postgresql';
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let client: PgClient | undefined;
    try {
      client = (await this.knex.client.acquireRawConnection()) as PgClient;
      const connected = client;
      connected.on('notification', msg => {
        if (msg.payload) this.cache.invalidate(msg.payload);
      });
      const lost = (error?: Error) => {
        if (this.client !== connected) return;
        this.client = undefined;
        this.cache.setEnabled(false);
        quiet(connected);
        if (!this.stopped) {
          this.logger.warn(
            `Release change feed lost${
              error ? `: ${error.message}` : ''
            }; reads go to the database until it reconnects`,
          );
          this.scheduleRetry();
        }
      };
      connected.on('error', lost);
      connected.on('end', lost);
      await connected.query(`LISTEN ${RELEASE_CHANGES_CHANNEL}`);
      this.client = connected;
      // Anything may have changed while nobody listened.
      this.cache.setEnabled(true);
    } catch (error) {
      this.cache.setEnabled(false);
      if (client) {
        quiet(client);
        await this.destroy(client);
      }
      this.logger.warn(
        `Release change feed could not listen: ${
          (error as Error).message
        }; reads go to the database`,
      );
      this.scheduleRetry();
    }
  }

  private scheduleRetry() {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.options.retryMs);
    this.retryTimer.unref?.();
  }

  private async destroy(client: PgClient) {
    try {
      await this.knex.client.destroyRawConnection(client);
    } catch {
      // already gone
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.cache.setEnabled(false);
    const client = this.client;
    this.client = undefined;
    if (client) {
      quiet(client);
      await this.destroy(client);
    }
  }
}
