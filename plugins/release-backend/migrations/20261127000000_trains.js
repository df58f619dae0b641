/*
 * Release trains: one release per member service of a catalog System,
 * requested, approved and promoted as a unit. Member promotions are ordinary
 * promotions carrying the train's id.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_trains', table => {
    table.comment('Release trains: promotions of several services as a unit');
    table.string('id', 64).primary().comment('Train id (UUID)');
    table.string('system_ref', 255).notNullable().comment('Catalog System');
    table.string('title', 255).notNullable().comment('Title shown');
    table.string('phase', 64).notNullable().comment('Target phase id');
    table.string('requested_by', 255).notNullable().comment('Requester');
    table
      .timestamp('requested_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was requested');
    table.text('comment').nullable().comment('Requester comment');
    table
      .string('idempotency_key', 255)
      .nullable()
      .comment('Idempotency-Key of the request');
    table
      .string('status', 32)
      .notNullable()
      .comment('Last known status (derived from the members)');
    table
      .timestamp('rolled_back_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When the deployed members were rolled back');
    table.string('rolled_back_by', 255).nullable().comment('Who rolled back');
    table
      .timestamp('updated_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('Last change');
    table.unique(['requested_by', 'idempotency_key'], {
      indexName: 'release_trains_idempotency_idx',
    });
    table.index(['system_ref', 'requested_at'], 'release_trains_system_idx');
  });
  await knex.schema.createTable('release_train_members', table => {
    table.comment('The members of a train, in deploy order');
    table
      .string('train_id', 64)
      .notNullable()
      .references('id')
      .inTable('release_trains')
      .comment('Train');
    table.string('entity_ref', 255).notNullable().comment('Member entity');
    table.integer('position').notNullable().comment('Deploy order, 1-based');
    table.string('version', 128).notNullable().comment('Release version');
    table
      .string('from_version', 128)
      .nullable()
      .comment('Version running in the phase when requested');
    table.text('depends_on').notNullable().comment('JSON: member refs');
    table.string('promotion_id', 64).nullable().comment('The member promotion');
    table
      .string('open_key', 400)
      .nullable()
      .unique({ indexName: 'release_train_members_open_idx' })
      .comment(
        'entity#phase while the train is open: one open train per member',
      );
    table.primary(['train_id', 'entity_ref']);
    table.index(['entity_ref'], 'release_train_members_entity_idx');
  });
  await knex.schema.alterTable('release_promotions', table => {
    table
      .string('train_id', 64)
      .nullable()
      .comment('The train this promotion is a member of');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_promotions', table => {
    table.dropColumn('train_id');
  });
  await knex.schema.dropTable('release_train_members');
  await knex.schema.dropTable('release_trains');
};
