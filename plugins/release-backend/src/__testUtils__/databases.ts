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
