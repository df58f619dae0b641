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
 * Open promotions (pending approval, approved, queued, deploying) of an
 * entity, found without visiting its finished history: the pipeline view and
 * the bulk status read them on every request. Partial, so it holds only the
 * few open rows.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Promotions imported before this migration carried no open_key.
  await knex('release_promotions')
    .whereIn('status', ['pending_approval', 'approved', 'queued', 'deploying'])
    .whereNull('open_key')
    .update({
      open_key: knex.raw("entity_ref || '#' || phase || '#' || version"),
    });
  await knex.schema.alterTable('release_promotions', table => {
    table.index(['entity_ref', 'phase'], 'release_promotions_open_idx', {
      predicate: knex.whereNotNull('open_key'),
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_promotions', table => {
    table.dropIndex(['entity_ref', 'phase'], 'release_promotions_open_idx');
  });
};
