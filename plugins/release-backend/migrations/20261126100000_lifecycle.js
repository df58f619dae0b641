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
 * Round 2 lifecycle: overrides name the gates they lift; a promotion keeps
 * the encrypted secret values it was bound to (a deployment under way never
 * depends on later secret changes); approvals are bound to the deployment
 * that ran in the target phase when they were given; settings hold the
 * encrypted fingerprint key, stable across key rotations.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_promotions', table => {
    table
      .text('override_gates')
      .nullable()
      .comment('JSON list of the gates an override lifts: lock, freeze');
    table
      .timestamp('scheduled_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('Deploy no earlier than this time (scheduled promotion)');
    table
      .text('secret_ciphertexts')
      .nullable()
      .comment(
        'JSON: the encrypted secret values the promotion is bound to, by name',
      );
  });
  await knex.schema.alterTable('release_approvals', table => {
    table
      .string('target_promotion_id', 64)
      .nullable()
      .comment(
        'The promotion whose deployment ran in the target phase when the decision was made ("" for none)',
      );
  });
  await knex.schema.createTable('release_settings', table => {
    table.comment('Settings of the plugin kept in its database');
    table.string('key', 64).primary().comment('Setting name');
    table.text('value').notNullable().comment('Value (encrypted where secret)');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_settings');
  await knex.schema.alterTable('release_approvals', table => {
    table.dropColumn('target_promotion_id');
  });
  await knex.schema.alterTable('release_promotions', table => {
    table.dropColumn('override_gates');
    table.dropColumn('scheduled_at');
    table.dropColumn('secret_ciphertexts');
  });
};
