import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseReleaseStore } from './DatabaseReleaseStore';
import { CommittedHistoryEntry } from './ReleaseStore';
import { inTransaction, insertHistory } from './rows';

jest.setTimeout(60_000);

const ENTITY = 'component:default/payments-api';

describe('inTransaction: the commit hook of every store', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const committed: CommittedHistoryEntry[][] = [];
      const store = await DatabaseReleaseStore.create({
        database: mockServices.database({ knex }),
        onCommit: entries => committed.push(entries),
      });
      return { knex, store, committed };
    }
    const historyCount = async (
      knex: Awaited<ReturnType<typeof setup>>['knex'],
    ) => Number((await knex('release_history').count({ n: '*' }))[0].n);

    it('hands over the ledger rows of a transaction once, in order, after it committed', async () => {
      const { knex, committed } = await setup();
      const result = await inTransaction(
        knex,
        entries => committed.push(entries),
        async tx => {
          await insertHistory(tx, {
            entityRef: ENTITY,
            action: 'phase.lock',
            actor: 'user:default/alice',
            phase: 'live',
          });
          await insertHistory(tx, {
            entityRef: ENTITY,
            action: 'phase.unlock',
            actor: 'user:default/alice',
            phase: 'live',
          });
          // Not told while the transaction is open.
          expect(committed).toHaveLength(0);
          return 'done';
        },
      );
      expect(result).toBe('done');
      expect(committed).toHaveLength(1);
      expect(committed[0].map(e => e.action)).toEqual([
        'phase.lock',
        'phase.unlock',
      ]);
      expect(committed[0][0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await historyCount(knex)).toBe(2);
    });

    it('tells nothing of a transaction that rolled back', async () => {
      const { knex, committed } = await setup();
      await expect(
        inTransaction(
          knex,
          entries => committed.push(entries),
          async tx => {
            await insertHistory(tx, {
              entityRef: ENTITY,
              action: 'phase.lock',
              actor: 'user:default/alice',
            });
            throw new ConflictError('changed meanwhile');
          },
        ),
      ).rejects.toThrow('changed meanwhile');
      expect(committed).toEqual([]);
      expect(await historyCount(knex)).toBe(0);
    });

    it('a listener that throws cannot fail a committed change', async () => {
      const { knex } = await setup();
      const result = await inTransaction(
        knex,
        () => {
          throw new Error('listener broke');
        },
        async tx => {
          await insertHistory(tx, {
            entityRef: ENTITY,
            action: 'phase.lock',
            actor: 'user:default/alice',
          });
          return 42;
        },
      );
      expect(result).toBe(42);
      expect(await historyCount(knex)).toBe(1);
    });

    it('a store reports its commits, and none for a refused change (a release that already exists)', async () => {
      const { store, committed } = await setup();
      const release = {
        entityRef: ENTITY,
        version: '1.0.0',
        artifact: 'img@sha256:1',
        createdBy: 'service:external:ci',
        createdAt: new Date().toISOString(),
      };
      await store.createRelease(release);
      await expect(store.createRelease(release)).rejects.toThrow(ConflictError);
      expect(committed.map(c => c.map(e => e.action))).toEqual([
        ['release.create'],
      ]);
    });
  });
});
