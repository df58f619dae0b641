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
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_phase_configs', table => {
    table.comment(
      'Versioned phase configuration per entity; every change is a new row, version 0 is the template default',
    );
    table.string('entity_ref', 255).notNullable().comment('Entity ref');
    table.string('phase', 64).notNullable().comment('Phase id');
    table
      .integer('version')
      .notNullable()
      .comment('1, 2, 3… per entity and phase');
    table
      .text('config')
      .notNullable()
      .comment(
        'JSON: variables, database, sizing, and secret fingerprints by name (never values)',
      );
    table
      .string('hash', 64)
      .notNullable()
      .comment('SHA-256 of the configuration');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Who made this version');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When');
    table
      .text('change')
      .nullable()
      .comment('What changed, e.g. "secret DB_PASSWORD set"');
    table.primary(['entity_ref', 'phase', 'version']);
  });

  await knex.schema.createTable('release_secrets', table => {
    table.comment(
      'Phase secrets, encrypted with AES-256-GCM; values are never returned',
    );
    table.string('entity_ref', 255).notNullable().comment('Entity ref');
    table.string('phase', 64).notNullable().comment('Phase id');
    table.string('name', 128).notNullable().comment('Secret name');
    table
      .text('ciphertext')
      .notNullable()
      .comment('v1:<keyId>:<iv>:<tag>:<ciphertext>, base64 parts');
    table
      .string('fingerprint', 32)
      .notNullable()
      .comment('Keyed fingerprint to compare values');
    table.string('updated_by', 255).notNullable().comment('Who set it');
    table
      .timestamp('updated_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was set');
    table.primary(['entity_ref', 'phase', 'name']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_secrets');
  await knex.schema.dropTable('release_phase_configs');
};
