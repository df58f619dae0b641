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
  await knex.schema.createTable('release_releases', table => {
    table.comment('Immutable releases (versions) of catalog entities');
    table
      .bigIncrements('id')
      .primary()
      .comment('Monotonic id; newest first ordering and cursor pagination');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Stringified ref of the entity the release belongs to');
    table
      .string('version', 128)
      .notNullable()
      .comment('Semantic version, unique per entity');
    table
      .string('artifact', 512)
      .notNullable()
      .comment('Image digest, package coordinate or commit that is deployed');
    table.string('commit', 128).nullable().comment('Source commit, if given');
    table.text('notes').nullable().comment('Release notes as plain text');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Entity ref of the user or service that created it');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was created');
    table.unique(['entity_ref', 'version'], {
      indexName: 'release_releases_entity_version_uniq',
    });
    table.index(['entity_ref', 'id'], 'release_releases_entity_id_idx');
  });

  await knex.schema.createTable('release_promotions', table => {
    table.comment('Requests to run a release in a phase, and their lifecycle');
    table.string('id', 36).primary().comment('UUID of the promotion');
    table.string('entity_ref', 255).notNullable().comment('Entity ref');
    table.string('phase', 64).notNullable().comment('Target phase id');
    table
      .bigInteger('release_id')
      .notNullable()
      .references('id')
      .inTable('release_releases')
      .comment('The release being promoted');
    table
      .string('version', 128)
      .notNullable()
      .comment('Release version (copy)');
    table
      .string('status', 32)
      .notNullable()
      .comment(
        'pending_approval|approved|queued|deploying|succeeded|failed|rejected|cancelled|superseded',
      );
    table
      .string('active_key', 330)
      .nullable()
      .comment(
        'entity_ref#phase while queued or deploying, else null; unique, so at most one active promotion per phase',
      );
    table
      .string('open_key', 460)
      .nullable()
      .comment(
        'entity_ref#phase#version while the promotion is open (not final), else null; unique, so one open promotion per release and phase',
      );
    table.string('requested_by', 255).notNullable().comment('Requesting user');
    table
      .timestamp('requested_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was requested');
    table.text('comment').nullable().comment('Requester comment, plain text');
    table
      .string('idempotency_key', 255)
      .nullable()
      .comment(
        'Idempotency-Key header of the request, scoped to the requester',
      );
    table
      .string('kind', 16)
      .notNullable()
      .defaultTo('promote')
      .comment('promote or rollback');
    table
      .text('override_reason')
      .nullable()
      .comment(
        'Reason given to deploy through a freeze window or lock, if overridden',
      );
    table
      .boolean('skipped_requires')
      .notNullable()
      .defaultTo(false)
      .comment('True when the required phase was skipped by permission');
    table
      .integer('config_version')
      .nullable()
      .comment('Phase configuration version snapshotted at request time');
    table
      .string('config_hash', 64)
      .nullable()
      .comment('Hash of the phase configuration snapshot');
    table
      .text('snapshot')
      .nullable()
      .comment(
        'JSON snapshot taken at request time: pipeline template, provider settings and phase configuration (no secret values); the deployment uses exactly this',
      );
    table
      .string('external_id', 255)
      .nullable()
      .comment("The provider's id of the deployment run");
    table
      .string('external_url', 1024)
      .nullable()
      .comment("Link to the provider's run");
    table
      .text('progress')
      .nullable()
      .comment('JSON array of progress messages reported by the provider');
    table
      .string('lease_owner', 64)
      .nullable()
      .comment('Dispatcher instance holding the lease');
    table
      .timestamp('lease_expires_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When the dispatch lease expires');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Provider call attempts');
    table
      .timestamp('next_attempt_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('Earliest time of the next provider call (backoff)');
    table
      .timestamp('deadline_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When a deploying promotion is failed if still unfinished');
    table
      .timestamp('started_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When deployment started');
    table
      .timestamp('finished_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When it reached a final state');
    table
      .timestamp('updated_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('Last state change');
    table.unique(['active_key'], {
      indexName: 'release_promotions_active_uniq',
    });
    table.unique(['open_key'], { indexName: 'release_promotions_open_uniq' });
    table.unique(['requested_by', 'idempotency_key'], {
      indexName: 'release_promotions_idempotency_uniq',
    });
    table.index(
      ['entity_ref', 'phase', 'status'],
      'release_promotions_phase_status_idx',
    );
    table.index(['release_id'], 'release_promotions_release_idx');
    table.index(
      ['entity_ref', 'phase', 'finished_at'],
      'release_promotions_phase_finished_idx',
    );
    table.index(
      ['status', 'next_attempt_at'],
      'release_promotions_dispatch_idx',
    );
  });

  await knex.schema.createTable('release_approvals', table => {
    table.comment('One decision per user per promotion');
    table.bigIncrements('id').primary().comment('Row id');
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('release_promotions')
      .comment('The promotion decided on');
    table.string('user_ref', 255).notNullable().comment('Deciding user');
    table.string('decision', 16).notNullable().comment('approve or reject');
    table.text('comment').nullable().comment('Decision comment, plain text');
    table
      .string('artifact', 512)
      .notNullable()
      .comment('Release artifact the decision was bound to');
    table
      .string('config_hash', 64)
      .nullable()
      .comment('Config snapshot hash the decision was bound to');
    table
      .boolean('invalidated')
      .notNullable()
      .defaultTo(false)
      .comment('True when the phase configuration changed after the decision');
    table
      .timestamp('decided_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was decided');
    table
      .string('decision_key', 320)
      .nullable()
      .comment(
        'promotion_id#user_ref while the decision is valid, null once invalidated; unique, so one valid decision per user per promotion',
      );
    table.unique(['decision_key'], {
      indexName: 'release_approvals_one_per_user_uniq',
    });
    table.index(['promotion_id'], 'release_approvals_promotion_idx');
  });

  await knex.schema.createTable('release_phase_state', table => {
    table.comment('What currently runs in each phase of each entity');
    table.string('entity_ref', 255).notNullable().comment('Entity ref');
    table.string('phase', 64).notNullable().comment('Phase id');
    table.bigInteger('release_id').notNullable().comment('Current release');
    table.string('version', 128).notNullable().comment('Current version');
    table
      .string('promotion_id', 36)
      .notNullable()
      .comment('Promotion that deployed it');
    table.string('deployed_by', 255).notNullable().comment('Who requested it');
    table
      .timestamp('deployed_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it finished deploying');
    table.primary(['entity_ref', 'phase']);
  });

  await knex.schema.createTable('release_phase_locks', table => {
    table.comment('Manual phase locks');
    table.string('entity_ref', 255).notNullable().comment('Entity ref');
    table.string('phase', 64).notNullable().comment('Phase id');
    table.text('reason').notNullable().comment('Why it is locked, plain text');
    table.string('locked_by', 255).notNullable().comment('Who locked it');
    table
      .timestamp('locked_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was locked');
    table.primary(['entity_ref', 'phase']);
  });

  await knex.schema.createTable('release_callbacks', table => {
    table.comment('Provider callbacks already processed, to refuse replays');
    table
      .string('digest', 64)
      .primary()
      .comment('SHA-256 of the signed callback (timestamp and body)');
    table
      .string('promotion_id', 36)
      .notNullable()
      .comment('The promotion it was about');
    table
      .timestamp('received_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was processed');
  });

  await knex.schema.createTable('release_history', table => {
    table.comment(
      'Append-only ledger of every action; rows are never updated or deleted',
    );
    table.bigIncrements('id').primary().comment('Monotonic id, cursor');
    table.string('entity_ref', 255).notNullable().comment('Entity ref');
    table.string('phase', 64).nullable().comment('Phase id, if phase-scoped');
    table.string('version', 128).nullable().comment('Release version, if any');
    table.string('promotion_id', 36).nullable().comment('Promotion, if any');
    table
      .string('action', 64)
      .notNullable()
      .comment('What was done, e.g. release.create');
    table.string('actor', 255).notNullable().comment('Who did it (entity ref)');
    table.text('before').nullable().comment('JSON state before, if any');
    table.text('after').nullable().comment('JSON state after, if any');
    table.text('reason').nullable().comment('Reason or comment, plain text');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it happened');
    table.index(['entity_ref', 'id'], 'release_history_entity_idx');
    table.index(['entity_ref', 'phase', 'id'], 'release_history_phase_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_history');
  await knex.schema.dropTable('release_callbacks');
  await knex.schema.dropTable('release_phase_locks');
  await knex.schema.dropTable('release_phase_state');
  await knex.schema.dropTable('release_approvals');
  await knex.schema.dropTable('release_promotions');
  await knex.schema.dropTable('release_releases');
};
