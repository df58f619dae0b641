/*
 * Copyright 2026 The Release Manager Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// @ts-check

/**
 * Releases that differ only in build metadata (`0.12.0+build.1`,
 * `0.12.0+build.2`) have the same precedence (semver.org §10) and are the
 * same release. `version_key` is the version without its build metadata,
 * unique per entity, so the database refuses the second one whichever
 * process creates it. Lookups by version stay exact-string (`version`).
 *
 * Existing rows are backfilled. Where earlier versions of the plugin already
 * accepted several releases of one version key, the oldest keeps the key and
 * the others keep their full version as key (they stay readable and
 * promotable; no new one can be added).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_releases', table => {
    table
      .string('version_key', 128)
      .nullable()
      .comment(
        'The version without build metadata; unique per entity (releases differing only in build metadata are the same release)',
      );
  });
  const taken = new Set();
  let lastId = 0;
  for (;;) {
    const rows = await knex('release_releases')
      .select('id', 'entity_ref', 'version')
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(500);
    if (rows.length === 0) break;
    for (const row of rows) {
      lastId = Number(row.id);
      const key = String(row.version).split('+')[0];
      const versionKey = taken.has(`${row.entity_ref}#${key}`)
        ? row.version
        : key;
      taken.add(`${row.entity_ref}#${versionKey}`);
      await knex('release_releases')
        .where('id', row.id)
        .update({ version_key: versionKey });
    }
  }
  await knex.schema.alterTable('release_releases', table => {
    table.unique(['entity_ref', 'version_key'], {
      indexName: 'release_releases_entity_version_key_uniq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_releases', table => {
    table.dropUnique(
      ['entity_ref', 'version_key'],
      'release_releases_entity_version_key_uniq',
    );
  });
  // A plain statement: knex would rebuild the table on SQLite to drop a
  // column, which the foreign keys onto it refuse.
  await knex.raw('alter table release_releases drop column version_key');
};
