/*
 * Verification checks: the last result of each check of a phase, and the
 * end of the verification window of a deployment being verified.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_check_results', table => {
    table.comment('The last result of each verification check of a phase');
    table.string('entity_ref', 255).notNullable().comment('Entity reference');
    table.string('phase', 64).notNullable().comment('Phase id');
    table.string('check_name', 128).notNullable().comment('Check name');
    table.string('check_type', 64).notNullable().comment('Check provider type');
    table
      .string('check_when', 16)
      .notNullable()
      .comment('before-deploy or after-deploy');
    table
      .string('status', 16)
      .notNullable()
      .comment('passed, failed or pending');
    table.text('summary').notNullable().comment('What the check said');
    table.text('url').nullable().comment('Where to read more');
    table
      .string('version', 128)
      .notNullable()
      .comment('Release version evaluated');
    table
      .string('promotion_id', 64)
      .nullable()
      .comment('Promotion evaluated for');
    table
      .timestamp('evaluated_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When');
    table.primary(['entity_ref', 'phase', 'check_name']);
  });
  await knex.schema.alterTable('release_promotions', table => {
    table
      .timestamp('verify_until', { useTz: true, precision: 3 })
      .nullable()
      .comment('End of the after-deploy verification window, while verifying');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_promotions', table => {
    table.dropColumn('verify_until');
  });
  await knex.schema.dropTable('release_check_results');
};
