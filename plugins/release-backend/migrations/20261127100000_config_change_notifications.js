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

const TABLES = ['release_phase_configs', 'release_secrets'];

/**
 * PostgreSQL only: the phase configuration and secret tables notify
 * `release_entity_changed` like the other release tables (see
 * 20261126030000_change_notifications.js), so that the change set's reads
 * of configuration versions can be cached and dropped on every change.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.dialect !== 'postgresql') return;
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
};
