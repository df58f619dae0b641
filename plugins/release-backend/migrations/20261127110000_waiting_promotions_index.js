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
 * The approvals inbox walks the promotions waiting for approval newest
 * first and stops at its page: without this index every waiting promotion
 * was read, checked against the caller's approvals and sorted on every
 * request. Led by the status, so that the walk is in the inbox order.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_promotions', table => {
    table.index(
      ['status', 'requested_at', 'id'],
      'release_promotions_waiting_idx',
    );
  });
  // Whether the caller already decided a promotion: one index probe.
  await knex.schema.alterTable('release_approvals', table => {
    table.index(['user_ref', 'promotion_id'], 'release_approvals_user_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_approvals', table => {
    table.dropIndex(['user_ref', 'promotion_id'], 'release_approvals_user_idx');
  });
  await knex.schema.alterTable('release_promotions', table => {
    table.dropIndex(
      ['status', 'requested_at', 'id'],
      'release_promotions_waiting_idx',
    );
  });
};
