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

const TABLES = [
  'release_releases',
  'release_promotions',
  'release_phase_state',
  'release_phase_locks',
];

/**
 * PostgreSQL only: every write to a release table notifies the channel
 * `release_entity_changed` with the entity ref of the row, on commit (and
 * once per entity per transaction). Backend processes LISTEN on it to drop
 * their cached reads of that entity. SQLite has no such feed; the plugin
 * does not cache there.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.dialect !== 'postgresql') return;
  await knex.raw(`
    create or replace function release_notify_entity_changed() returns trigger
    language plpgsql as $$
    begin
      perform pg_notify(
        'release_entity_changed',
        case when tg_op = 'DELETE' then old.entity_ref else new.entity_ref end
      );
      return null;
    end
    $$;
  `);
  for (const table of TABLES) {
    await knex.raw(
      `create trigger ${table}_notify after insert or update or delete on ${table} for each row execute function release_notify_entity_changed()`,
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.dialect !== 'postgresql') return;
  for (const table of TABLES) {
    await knex.raw(`drop trigger if exists ${table}_notify on ${table}`);
  }
  await knex.raw('drop function if exists release_notify_entity_changed()');
};
