import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createTestDatabases } from './__testUtils__/databases';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@release-manager/backstage-plugin-release-backend',
  'migrations',
);

const TABLES = [
  'release_releases',
  'release_promotions',
  'release_approvals',
  'release_phase_state',
  'release_phase_locks',
  'release_history',
  'release_callbacks',
  'release_phase_configs',
  'release_secrets',
  'release_seeds',
  'release_trains',
  'release_train_members',
];

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'migrates up and down cleanly, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await knex.migrate.latest({ directory: migrationsDir });
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }

      // The database, not process memory, keeps one active promotion per phase.
      await knex('release_releases').insert({
        id: 1,
        entity_ref: 'component:default/a',
        version: '1.0.0',
        artifact: 'a',
        created_by: 'user:default/x',
        created_at: new Date(),
      });
      const promotion = (id: string, status: string) => ({
        id,
        entity_ref: 'component:default/a',
        phase: 'dev',
        release_id: 1,
        version: '1.0.0',
        status,
        active_key: status === 'queued' ? 'component:default/a#dev' : null,
        requested_by: 'user:default/x',
        requested_at: new Date(),
        updated_at: new Date(),
      });
      await knex('release_promotions').insert(promotion('p1', 'queued'));
      await knex('release_promotions').insert(promotion('p2', 'succeeded'));
      await knex('release_promotions').insert(promotion('p3', 'failed'));
      let error: unknown;
      try {
        await knex('release_promotions').insert(promotion('p4', 'queued'));
      } catch (e) {
        error = e;
      }
      expect(error).toBeDefined();

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex('release_releases').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'gives promotions imported before the open index their open_key, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261126000000_init.js',
      });
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261126010000_phase_config.js',
      });
      await knex('release_releases').insert({
        id: 1,
        entity_ref: 'component:default/a',
        version: '1.0.0',
        artifact: 'a',
        created_by: 'user:default/x',
        created_at: new Date(),
      });
      for (const [id, status] of [
        ['p1', 'pending_approval'],
        ['p2', 'succeeded'],
      ]) {
        await knex('release_promotions').insert({
          id,
          entity_ref: 'component:default/a',
          phase: id === 'p1' ? 'qa' : 'dev',
          release_id: 1,
          version: '1.0.0',
          status,
          requested_by: 'user:default/x',
          requested_at: new Date(),
          updated_at: new Date(),
        });
      }
      await knex.migrate.latest({ directory: migrationsDir });
      const rows = await knex('release_promotions')
        .select('id', 'open_key')
        .orderBy('id');
      expect(rows).toEqual([
        { id: 'p1', open_key: 'component:default/a#qa#1.0.0' },
        { id: 'p2', open_key: null },
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'backfills version_key (the version without build metadata) and keeps it unique per entity, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      for (const name of [
        '20261126000000_init.js',
        '20261126010000_phase_config.js',
        '20261126020000_open_promotions_index.js',
        '20261126030000_change_notifications.js',
      ]) {
        await knex.migrate.up({ directory: migrationsDir, name });
      }
      const release = (id: number, entity: string, version: string) => ({
        id,
        entity_ref: `component:default/${entity}`,
        version,
        artifact: `a${id}`,
        created_by: 'user:default/x',
        created_at: new Date(),
      });
      // Accepted by earlier versions of the plugin.
      await knex('release_releases').insert([
        release(1, 'a', '0.12.0+build.1'),
        release(2, 'a', '0.12.0+build.2'),
        release(3, 'a', '1.0.0-rc.1'),
        release(4, 'b', '0.12.0'),
      ]);
      await knex.migrate.latest({ directory: migrationsDir });
      expect(
        await knex('release_releases')
          .select('id', 'version_key')
          .orderBy('id')
          .then(rows => rows.map(r => [Number(r.id), r.version_key])),
      ).toEqual([
        [1, '0.12.0'],
        [2, '0.12.0+build.2'],
        [3, '1.0.0-rc.1'],
        [4, '0.12.0'],
      ]);
      let error: unknown;
      try {
        await knex('release_releases').insert({
          ...release(5, 'b', '0.12.0+build.3'),
          version_key: '0.12.0',
        });
      } catch (e) {
        error = e;
      }
      expect(String(error)).toMatch(/unique|duplicate/i);
      await knex.destroy();
    },
  );
});
