import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabasePromotionStore } from './DatabasePromotionStore';
import { DatabaseReleaseStore } from './DatabaseReleaseStore';
import { NewPromotion } from './PromotionStore';

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

    it('reads pipeline, release pages and status in one statement each, alike on every database', async () => {
      const { store, knex } = await createStore(databaseId);
      const t = (h: number) => new Date(Date.UTC(2026, 10, 2, h));
      for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
        await store.createRelease(release(v));
        await store.createRelease(release(v, OTHER));
      }
      const imp = (
        entityRef: string,
        phase: string,
        version: string,
        status: Parameters<typeof store.importPromotion>[0]['status'],
        h: number,
      ) =>
        store.importPromotion({
          entityRef,
          phase,
          version,
          status,
          requestedBy: 'user:default/alice',
          requestedAt: t(h),
          finishedAt: t(h + 1),
        });
      await imp(ENTITY, 'dev', '1.0.0', 'succeeded', 1);
      await imp(ENTITY, 'dev', '1.1.0', 'failed', 3);
      await imp(ENTITY, 'dev', '1.2.0', 'queued', 5);
      // Recorded out of order: the pending list follows the request time.
      await imp(ENTITY, 'qa', '1.1.0', 'pending_approval', 7);
      await imp(ENTITY, 'qa', '1.0.0', 'pending_approval', 6);
      await imp(ENTITY, 'retired', '1.0.0', 'pending_approval', 8);
      await imp(OTHER, 'dev', '1.2.0', 'succeeded', 9);
      await new DatabasePromotionStore(knex, () => t(10)).lockPhase({
        entityRef: ENTITY,
        phase: 'live',
        reason: 'Quarter close',
        actor: 'user:default/carol',
      });

      const statements: string[] = [];
      const count = (q: { sql: string }) => statements.push(q.sql);
      knex.on('query', count);
      const state = await store.getPipelineState(ENTITY, ['dev', 'qa', 'live']);
      const first = await store.listReleasesWithStatuses(ENTITY, {
        limit: 2,
      });
      const summary = await store.getStatusSummary([ENTITY, OTHER]);
      knex.off('query', count);
      expect(statements).toHaveLength(3);
      // Asked again (PostgreSQL: the same prepared statements, reused).
      for (let i = 0; i < 3; i++) {
        expect(
          await store.getPipelineState(ENTITY, ['dev', 'qa', 'live']),
        ).toEqual(state);
        expect(
          await store.listReleasesWithStatuses(ENTITY, { limit: 2 }),
        ).toEqual(first);
        expect(await store.getStatusSummary([ENTITY, OTHER])).toEqual(summary);
      }

      expect(state.current).toEqual({
        dev: {
          version: '1.0.0',
          promotionId: expect.any(String),
          deployedAt: t(2).toISOString(),
          deployedBy: 'user:default/alice',
        },
      });
      expect(state.active.dev).toMatchObject({
        version: '1.2.0',
        status: 'queued',
        entityRef: ENTITY,
      });
      expect(state.lastOutcome.dev).toMatchObject({
        version: '1.1.0',
        status: 'failed',
        finishedAt: t(4).toISOString(),
      });
      // Oldest request first; phases outside the pipeline are left out.
      expect(state.pending.qa.map(p => p.version)).toEqual(['1.0.0', '1.1.0']);
      expect(state.pending).not.toHaveProperty('retired');
      expect(state.locks).toEqual({
        live: {
          reason: 'Quarter close',
          lockedBy: 'user:default/carol',
          lockedAt: t(10).toISOString(),
        },
      });

      expect(first.hasMore).toBe(true);
      expect(first.items.map(r => [r.version, r.phases])).toEqual([
        [
          '1.2.0',
          {
            dev: expect.objectContaining({ status: 'queued', current: false }),
          },
        ],
        [
          '1.1.0',
          {
            dev: expect.objectContaining({ status: 'failed', current: false }),
            qa: expect.objectContaining({ status: 'pending_approval' }),
          },
        ],
      ]);
      const second = await store.listReleasesWithStatuses(ENTITY, {
        limit: 2,
        afterId: first.items[1].id,
      });
      expect(second.hasMore).toBe(false);
      expect(second.items).toEqual([
        {
          ...(await store.getRelease(ENTITY, '1.0.0')),
          phases: {
            dev: expect.objectContaining({
              status: 'succeeded',
              current: true,
            }),
            qa: expect.objectContaining({ status: 'pending_approval' }),
            retired: expect.objectContaining({ status: 'pending_approval' }),
          },
        },
      ]);

      // 1.1.0 failed in dev after 1.0.0, which still runs there.
      expect(summary.get(ENTITY)).toEqual({
        dev: {
          currentVersion: '1.0.0',
          activeStatus: 'queued',
          pending: 0,
          failed: true,
        },
        qa: { pending: 2 },
        retired: { pending: 1 },
      });
      expect(summary.get(OTHER)).toEqual({
        dev: { currentVersion: '1.2.0', pending: 0 },
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

    it("reads a phase's committed snapshot for the fail-fast check in one statement, equal to the one read under the phase's lock", async () => {
      const { store, knex } = await createStore(databaseId);
      const t = (h: number) => new Date(Date.UTC(2026, 10, 2, h));
      for (const v of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) {
        await store.createRelease(release(v));
      }
      await store.createRelease(release('1.0.0', OTHER));
      const imp = (
        entityRef: string,
        phase: string,
        version: string,
        status: Parameters<typeof store.importPromotion>[0]['status'],
        h: number,
      ) =>
        store.importPromotion({
          entityRef,
          phase,
          version,
          status,
          requestedBy: 'user:default/alice',
          requestedAt: t(h),
          finishedAt: t(h + 1),
        });
      await imp(ENTITY, 'dev', '1.0.0', 'succeeded', 1);
      // Open, recorded out of request order; closed ones are left out.
      await imp(ENTITY, 'dev', '1.2.0', 'queued', 6);
      await imp(ENTITY, 'dev', '1.1.0', 'pending_approval', 5);
      await imp(ENTITY, 'dev', '1.0.0', 'failed', 3);
      await imp(ENTITY, 'qa', '1.1.0', 'pending_approval', 7);
      await imp(OTHER, 'dev', '1.0.0', 'pending_approval', 8);
      const promotions = new DatabasePromotionStore(knex, () => t(10));
      await promotions.lockPhase({
        entityRef: ENTITY,
        phase: 'dev',
        reason: 'Quarter close',
        actor: 'user:default/carol',
      });

      const statements: string[] = [];
      const count = (q: { sql: string }) => statements.push(q.sql);
      knex.on('query', count);
      const early = await promotions.readPhaseSnapshot(ENTITY, 'dev');
      knex.off('query', count);
      expect(statements).toHaveLength(1);
      expect(early.currentVersion).toBe('1.0.0');
      expect(early.lock).toMatchObject({
        reason: 'Quarter close',
        lockedBy: 'user:default/carol',
      });
      expect(early.open.map(o => [o.version, o.status])).toEqual([
        ['1.1.0', 'pending_approval'],
        ['1.2.0', 'queued'],
      ]);

      // What a request sees under the lock, inside its transaction (it is
      // refused there, so nothing is written).
      let locked: unknown;
      await expect(
        promotions.createPromotion(
          {
            entityRef: ENTITY,
            phase: 'dev',
            release: (await store.getRelease(ENTITY, '1.3.0'))!,
            kind: 'promote',
            requestedBy: 'user:default/alice',
            skippedRequires: false,
            snapshot: {} as NewPromotion['snapshot'],
            status: 'approved',
          },
          snapshot => {
            locked = snapshot;
            throw new ConflictError('seen');
          },
        ),
      ).rejects.toThrow('seen');
      expect(early).toEqual(locked);
      // An entity or phase without any of it.
      expect(await promotions.readPhaseSnapshot(OTHER, 'qa')).toEqual({
        lock: undefined,
        currentVersion: undefined,
        open: [],
      });
    });
  });
});
