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
 * PostgreSQL only: a decision notifies `release_entity_changed` with the
 * entity of its promotion (approvals have no entity column), so that reads
 * spanning entities — the approvals inbox — can be cached and are dropped
 * when someone decides, on any replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.dialect !== 'postgresql') return;
  await knex.raw(`
    create or replace function release_notify_approval_changed() returns trigger
    language plpgsql as $$
    begin
      perform pg_notify(
        'release_entity_changed',
        coalesce(
          (select entity_ref from release_promotions where id =
            case when tg_op = 'DELETE' then old.promotion_id else new.promotion_id end),
          ''
        )
      );
      return null;
    end
    $$;
  `);
  await knex.raw(
    'create trigger release_approvals_notify after insert or update or delete on release_approvals for each row execute function release_notify_approval_changed()',
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.dialect !== 'postgresql') return;
  await knex.raw(
    'drop trigger if exists release_approvals_notify on release_approvals',
  );
  await knex.raw('drop function if exists release_notify_approval_changed()');
};
