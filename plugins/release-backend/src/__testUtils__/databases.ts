/* eslint-disable jest/no-export -- test utilities: the PostgreSQL-only helpers below declare describe/it blocks for the suites that call them */
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases every store test runs on. Without
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (and without Docker)
 * TestDatabases silently drops PostgreSQL; CI sets RELEASE_REQUIRE_POSTGRES=1
 * so that such a silent drop fails the run instead.
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
  if (
    process.env.RELEASE_REQUIRE_POSTGRES === '1' &&
    !databases.supports('POSTGRES_15')
  ) {
    throw new Error(
      'RELEASE_REQUIRE_POSTGRES=1 but PostgreSQL 15 is not reachable; set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
    );
  }
  return databases;
}

export type { TestDatabaseId };

/**
 * The PostgreSQL ids among the supported ones: what a PostgreSQL-only suite
 * runs on. Without PostgreSQL this is empty, and `describe.each([])` would
 * fail the whole file ("`.each` called with an empty Array of table data");
 * use {@link describeOnPostgres} instead.
 */
export function postgresIds(databases: TestDatabases): TestDatabaseId[] {
  return databases
    .eachSupportedId()
    .map(([id]) => id)
    .filter(id => id.startsWith('POSTGRES'));
}

/**
 * A PostgreSQL-only block of tests: run once per PostgreSQL database, or
 * reported as skipped (not failed) when none is configured.
 * `createTestDatabases` already fails the file under
 * RELEASE_REQUIRE_POSTGRES=1 when PostgreSQL is missing, so CI cannot skip
 * it silently.
 */
export function describeOnPostgres(
  databases: TestDatabases,
  fn: (databaseId: TestDatabaseId) => void,
): void {
  const ids = postgresIds(databases);
  if (ids.length === 0) {
    // eslint-disable-next-line jest/no-disabled-tests
    describe.skip('PostgreSQL only (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set)', () => {
      // eslint-disable-next-line jest/expect-expect
      it('is skipped without PostgreSQL', () => {});
    });
    return;
  }
  describe.each(ids)('%p', databaseId => {
    fn(databaseId);
  });
}
