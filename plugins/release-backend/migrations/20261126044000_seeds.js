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
 * Seeds applied to this database (see releaseSeedExtensionPoint): a seed is
 * claimed by inserting its id here in the transaction that writes its data,
 * so it is applied once per database even when replicas start together.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_seeds', table => {
    table.comment('Seed data applied to this database, once per seed id');
    table.string('id', 255).primary().comment('The seed id');
    table
      .timestamp('applied_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was applied');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_seeds');
};
