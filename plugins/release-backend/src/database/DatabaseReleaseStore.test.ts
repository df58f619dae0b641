import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseReleaseStore } from './DatabaseReleaseStore';

jest.setTimeout(60_000);

const ENTITY = 'component:default/payments-api';
const OTHER = 'component:default/checkout-web';

function release(version: string, entityRef = ENTITY, minutesAgo = 0) {
  return {
    entityRef,
    version,
    artifact: `registry.example.com/app@sha256:${version}`,
    commit: 'abc123',
    notes: '<b>bold</b> stays text',
    createdBy: 'service:external:ci',
    createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  };
}

describe('DatabaseReleaseStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('creates a release and reads it back exactly', async () => {
      const { store } = await createStore(databaseId);
      const input = release('1.0.0');
      const created = await store.createRelease(input);
      expect(created).toEqual({ ...input, id: expect.any(String) });
      expect(await store.getRelease(ENTITY, '1.0.0')).toEqual(created);
      expect(await store.getRelease(ENTITY, '9.9.9')).toBeUndefined();
      expect(await store.getRelease(OTHER, '1.0.0')).toBeUndefined();
    });

    it('refuses to re-create a version, even with another artifact', async () => {
      const { store } = await createStore(databaseId);
      await store.createRelease(release('1.0.0'));
      const again = { ...release('1.0.0'), artifact: 'other@sha256:evil' };
      await expect(store.createRelease(again)).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await store.getRelease(ENTITY, '1.0.0'))?.artifact).toBe(
        release('1.0.0').artifact,
      );
      // The same version of another entity is fine.
      await expect(
        store.createRelease(release('1.0.0', OTHER)),
      ).resolves.toBeTruthy();
    });

    it('lists releases newest first with cursor pages', async () => {
      const { store } = await createStore(databaseId);
      for (let i = 0; i < 5; i++) {
        await store.createRelease(release(`1.${i}.0`));
      }
      await store.createRelease(release('7.0.0', OTHER));

      const first = await store.listReleases(ENTITY, { limit: 2 });
      expect(first.items.map(r => r.version)).toEqual(['1.4.0', '1.3.0']);
      expect(first.hasMore).toBe(true);
      const second = await store.listReleases(ENTITY, {
        limit: 2,
        afterId: first.items[1].id,
      });
      expect(second.items.map(r => r.version)).toEqual(['1.2.0', '1.1.0']);
      const third = await store.listReleases(ENTITY, {
        limit: 2,
        afterId: second.items[1].id,
      });
      expect(third.items.map(r => r.version)).toEqual(['1.0.0']);
      expect(third.hasMore).toBe(false);
    });

    it('derives the phase state and per-release statuses from promotions', async () => {
      const { store } = await createStore(databaseId);
      const r1 = await store.createRelease(release('1.0.0'));
      const r2 = await store.createRelease(release('1.1.0'));
      const t = (h: number) => new Date(Date.UTC(2026, 10, 1, h));
      await store.importPromotion({
        entityRef: ENTITY,
        phase: 'dev',
        version: '1.0.0',
        status: 'succeeded',
        requestedBy: 'user:default/alice',
        requestedAt: t(1),
        finishedAt: t(2),
      });
      await store.importPromotion({
        entityRef: ENTITY,
        phase: 'qa',
        version: '1.0.0',
        status: 'succeeded',
        requestedBy: 'user:default/alice',
        requestedAt: t(3),
        finishedAt: t(4),
      });
      await store.importPromotion({
        entityRef: ENTITY,
        phase: 'dev',
        version: '1.1.0',
        status: 'succeeded',
        requestedBy: 'user:default/bob',
        requestedAt: t(5),
        finishedAt: t(6),
      });
      await store.importPromotion({
        entityRef: ENTITY,
        phase: 'qa',
        version: '1.1.0',
        status: 'failed',
        requestedBy: 'user:default/bob',
        requestedAt: t(7),
        finishedAt: t(8),
      });

      const state = await store.getPipelineState(ENTITY, [
        'dev',
        'qa',
        'stage',
        'live',
      ]);
      expect(state.current.dev).toMatchObject({
        version: '1.1.0',
        deployedBy: 'user:default/bob',
        deployedAt: t(6).toISOString(),
      });
      // A failed deployment does not replace what runs in QA.
      expect(state.current.qa.version).toBe('1.0.0');
      expect(state.lastOutcome.qa).toMatchObject({
        version: '1.1.0',
        status: 'failed',
      });
      expect(state.current.stage).toBeUndefined();
      expect(state.locks).toEqual({});

      const statuses = await store.getReleasePhaseStatuses(ENTITY, [
        r1.id,
        r2.id,
      ]);
      expect(statuses.get(r1.id)).toEqual({
        dev: expect.objectContaining({ status: 'succeeded', current: false }),
        qa: expect.objectContaining({ status: 'succeeded', current: true }),
      });
      expect(statuses.get(r2.id)).toEqual({
        dev: expect.objectContaining({ status: 'succeeded', current: true }),
        qa: expect.objectContaining({ status: 'failed', current: false }),
      });
    });

    it('appends every release creation to the history ledger', async () => {
      const { store } = await createStore(databaseId);
      await store.createRelease(release('1.0.0'));
      await store.createRelease(release('1.1.0'));
      const history = await store.listHistory(ENTITY, { limit: 10 });
      expect(history.items.map(h => [h.action, h.version, h.actor])).toEqual([
        ['release.create', '1.1.0', 'service:external:ci'],
        ['release.create', '1.0.0', 'service:external:ci'],
      ]);
      const page = await store.listHistory(ENTITY, {
        limit: 1,
        beforeId: history.items[0].id,
      });
      expect(page.items.map(h => h.version)).toEqual(['1.0.0']);
    });
  });
});
