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
 * The release plan (planned target date per phase) and the commit time of a
 * release (lead time for changes counts from it where known).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_releases', table => {
    table
      .timestamp('committed_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When the release commit was made, if CI gave it');
    table
      .text('planned_at')
      .nullable()
      .comment(
        'JSON object: planned target date (ISO) per phase id; planned, not enforced',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (String(knex.client.dialect).includes('sqlite')) {
    // knex drops SQLite columns by copying the table, which the foreign key
    // from release_promotions refuses; SQLite (3.35+) drops them natively.
    await knex.raw('alter table release_releases drop column planned_at');
    await knex.raw('alter table release_releases drop column committed_at');
    return;
  }
  await knex.schema.alterTable('release_releases', table => {
    table.dropColumn('planned_at');
    table.dropColumn('committed_at');
  });
};
