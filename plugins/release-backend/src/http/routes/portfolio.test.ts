import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import { TEST_CONFIG } from '../../__testUtils__/fixtures';
import {
  as,
  Harness,
  pipelineConfig,
  promote,
  seedRelease,
  startReleaseBackend,
  TestPolicy,
  USERS,
} from '../../__testUtils__/harness';

jest.setTimeout(120_000);

function component(
  name: string,
  owner: string,
  options: { pipeline?: string; system?: string; lifecycle?: string } = {},
): Entity {
  const relations = [{ type: 'ownedBy', targetRef: owner }];
  if (options.system) {
    relations.push({
      type: 'partOf',
      targetRef: `system:default/${options.system}`,
    });
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      title: name
        .split('-')
        .map(w => w[0].toUpperCase() + w.slice(1))
        .join(' '),
      annotations: options.pipeline
        ? { 'release.backstage.io/pipeline': options.pipeline }
        : {},
    },
    spec: {
      type: 'service',
      lifecycle: options.lifecycle ?? 'production',
      owner,
      ...(options.system ? { system: options.system } : {}),
    },
    relations,
  };
}

const PAYMENTS_TEAM = 'group:default/team-payments';
const STOREFRONT_TEAM = 'group:default/team-storefront';

const ENTITIES: Entity[] = [
  component('payments-api', PAYMENTS_TEAM, {
    pipeline: 'default',
    system: 'payments',
  }),
  component('ledger-worker', PAYMENTS_TEAM, {
    pipeline: 'fast-track',
    system: 'payments',
    lifecycle: 'experimental',
  }),
  component('checkout-web', STOREFRONT_TEAM, {
    pipeline: 'default',
    system: 'storefront',
  }),
  component('search-api', STOREFRONT_TEAM, {
    pipeline: 'default',
    system: 'storefront',
  }),
  component('legacy-reports', STOREFRONT_TEAM),
  component('orphan', PAYMENTS_TEAM, { pipeline: 'no-such-template' }),
  component('vault-sync', PAYMENTS_TEAM, { pipeline: 'default' }),
];

const config = {
  release: {
    ...(pipelineConfig().release as object),
    pipelines: {
      ...(pipelineConfig().release as { pipelines: object }).pipelines,
      ...TEST_CONFIG.release.pipelines,
    },
  },
};

interface Entry {
  entityRef: string;
  title?: string;
  owner?: string;
  system?: string;
  lifecycle?: string;
  pipeline: string;
  problem?: string;
  phases: Array<{
    id: string;
    title: string;
    currentVersion?: string;
    activeStatus?: string;
    pending: number;
    scheduled?: number;
    failed?: boolean;
  }>;
}

async function list(
  h: Harness,
  user: string,
  query: Record<string, string | number> = {},
) {
  const res = await request(h.server)
    .get('/api/release/portfolio')
    .query(query)
    .set('Authorization', as(user));
  expect(res.status).toBe(200);
  return res.body as {
    items: Entry[];
    nextCursor?: string;
    totalItems?: number;
  };
}

const names = (items: Entry[]) => items.map(i => i.entityRef.split('/')[1]);

describe('GET /portfolio: every entity with a pipeline × its phases', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(policy?: TestPolicy) {
      const h = await startReleaseBackend({
        knex: await databases.init(databaseId),
        config,
        entities: ENTITIES,
        policy,
        // The catalog does not show vault-sync to alice.
        hiddenFrom: { [USERS.alice]: ['component:default/vault-sync'] },
      });
      await seedRelease(h, '1.0.0', ['dev', 'qa']);
      await seedRelease(h, '2.0.0', ['dev']);
      await seedRelease(h, '0.9.0', ['dev'], 'component:default/checkout-web');
      // A failed deployment in dev of checkout-web after what runs there;
      // one in dev of payments-api before what runs there now.
      const failed = (entityRef: string, version: string, hoursAgo: number) =>
        h.store.importPromotion({
          entityRef,
          phase: 'dev',
          version,
          status: 'failed',
          requestedBy: USERS.alice,
          requestedAt: new Date(Date.now() - hoursAgo * 3600_000 - 60_000),
          finishedAt: new Date(Date.now() - hoursAgo * 3600_000),
        });
      await failed('component:default/checkout-web', '0.9.0', 0.1);
      await failed('component:default/payments-api', '1.0.0', 5);
      // One waiting approval in stage of payments-api, scheduled for later.
      expect(
        (
          await promote(h, USERS.alice, {
            version: '1.0.0',
            phase: 'stage',
            deployAt: new Date(Date.now() + 3600_000).toISOString(),
          })
        ).status,
      ).toBe(202);
      return h;
    }

    it('lists the entities with a pipeline the caller may read in the catalog, with version, progress and waiting per phase', async () => {
      const h = await start();
      const alice = await list(h, USERS.alice);
      // legacy-reports has no pipeline; vault-sync is hidden from alice by the catalog.
      expect(names(alice.items)).toEqual([
        'checkout-web',
        'ledger-worker',
        'orphan',
        'payments-api',
        'search-api',
      ]);
      expect(alice.totalItems).toBe(5);
      const payments = alice.items.find(i =>
        i.entityRef.endsWith('payments-api'),
      )!;
      expect(payments).toMatchObject({
        entityRef: 'component:default/payments-api',
        title: 'Payments Api',
        owner: PAYMENTS_TEAM,
        system: 'payments',
        lifecycle: 'production',
        pipeline: 'default',
      });
      expect(payments.phases).toEqual([
        { id: 'dev', title: 'Dev', currentVersion: '2.0.0', pending: 0 },
        { id: 'qa', title: 'QA/Demo', currentVersion: '1.0.0', pending: 0 },
        { id: 'stage', title: 'Stage', pending: 1, scheduled: 1 },
        { id: 'live', title: 'Live', pending: 0 },
      ]);
      // A failure since what runs in the phase now shows; an older one does not.
      const checkout = alice.items.find(i =>
        i.entityRef.endsWith('checkout-web'),
      )!;
      expect(checkout.phases[0]).toEqual({
        id: 'dev',
        title: 'Dev',
        currentVersion: '0.9.0',
        pending: 0,
        failed: true,
      });
      expect(checkout.phases[1].failed).toBeUndefined();
      const ledger = alice.items.find(i =>
        i.entityRef.endsWith('ledger-worker'),
      )!;
      expect(ledger.phases.map(p => p.title)).toEqual(['Dev', 'Live']);
      const orphan = alice.items.find(i => i.entityRef.endsWith('orphan'))!;
      expect(orphan.phases).toEqual([]);
      expect(orphan.problem).toContain("'no-such-template'");

      // The lead may read vault-sync.
      expect(names((await list(h, USERS.lead)).items)).toContain('vault-sync');
    });

    it('filters by owner, system, lifecycle and text, alone and together', async () => {
      const h = await start();
      expect(
        names((await list(h, USERS.lead, { owner: 'team-storefront' })).items),
      ).toEqual(['checkout-web', 'search-api']);
      expect(
        names((await list(h, USERS.lead, { owner: PAYMENTS_TEAM })).items),
      ).toEqual(['ledger-worker', 'orphan', 'payments-api', 'vault-sync']);
      expect(
        names((await list(h, USERS.lead, { system: 'payments' })).items),
      ).toEqual(['ledger-worker', 'payments-api']);
      expect(
        names(
          (await list(h, USERS.lead, { system: 'system:default/storefront' }))
            .items,
        ),
      ).toEqual(['checkout-web', 'search-api']);
      expect(
        names((await list(h, USERS.lead, { lifecycle: 'experimental' })).items),
      ).toEqual(['ledger-worker']);
      expect(names((await list(h, USERS.lead, { q: 'search' })).items)).toEqual(
        ['search-api'],
      );
      expect(
        names(
          (await list(h, USERS.lead, { q: 'api', owner: 'team-payments' }))
            .items,
        ),
      ).toEqual(['payments-api']);
      expect(
        names(
          (
            await list(h, USERS.lead, {
              system: 'payments',
              lifecycle: 'production',
            })
          ).items,
        ),
      ).toEqual(['payments-api']);
      expect(
        (await list(h, USERS.lead, { owner: 'team-nobody' })).items,
      ).toEqual([]);
    });

    it('paginates on the server with a cursor, each entity once', async () => {
      const h = await start();
      const seen: string[] = [];
      let page = await list(h, USERS.lead, { limit: 2 });
      expect(page.items).toHaveLength(2);
      expect(page.totalItems).toBe(6);
      seen.push(...names(page.items));
      let pages = 1;
      while (page.nextCursor) {
        page = await list(h, USERS.lead, { limit: 2, cursor: page.nextCursor });
        seen.push(...names(page.items));
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([
        'checkout-web',
        'ledger-worker',
        'orphan',
        'payments-api',
        'search-api',
        'vault-sync',
      ]);
      // The cursor keeps the filters of the first page.
      const first = await list(h, USERS.lead, {
        owner: 'team-payments',
        limit: 1,
      });
      const second = await list(h, USERS.lead, {
        limit: 1,
        cursor: first.nextCursor!,
      });
      expect(names([...first.items, ...second.items])).toEqual([
        'ledger-worker',
        'orphan',
      ]);
    });

    it('leaves out an entity whose release read permission is denied', async () => {
      const h = await start((name, resourceRef) =>
        name === 'release.pipeline.read' &&
        resourceRef === 'component:default/checkout-web'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      );
      expect(names((await list(h, USERS.alice)).items)).not.toContain(
        'checkout-web',
      );
      expect(names((await list(h, USERS.alice)).items)).toContain(
        'payments-api',
      );
    });

    it('exports CSV (format=csv or Accept: text/csv): every matching entity, one row per phase, nothing hidden', async () => {
      const h = await start();
      const byFormat = await request(h.server)
        .get('/api/release/portfolio')
        .query({ format: 'csv', limit: 1 })
        .set('Authorization', as(USERS.alice));
      expect(byFormat.status).toBe(200);
      expect(byFormat.headers['content-type']).toMatch(/^text\/csv/);
      expect(byFormat.headers['content-disposition']).toContain(
        'releases-portfolio.csv',
      );
      const lines = byFormat.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'entity,title,owner,system,lifecycle,pipeline,phase,phase title,current version,in progress,waiting approvals,scheduled,failed since current',
      );
      expect(lines).toContain(
        'component:default/payments-api,Payments Api,group:default/team-payments,payments,production,default,dev,Dev,2.0.0,,0,,',
      );
      expect(lines).toContain(
        'component:default/payments-api,Payments Api,group:default/team-payments,payments,production,default,stage,Stage,,,1,1,',
      );
      // 4 + 2 + 1 (orphan: its problem) + 4 + 4 phases, plus the header; limit does not cut an export.
      expect(lines).toHaveLength(1 + 4 + 2 + 1 + 4 + 4);
      expect(byFormat.text).not.toContain('vault-sync');

      const byAccept = await request(h.server)
        .get('/api/release/portfolio')
        .query({ owner: 'team-storefront' })
        .set('Accept', 'text/csv')
        .set('Authorization', as(USERS.alice));
      expect(byAccept.status).toBe(200);
      expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
      expect(byAccept.text.trim().split('\r\n')).toHaveLength(1 + 8);
    });

    it('answers 401 without credentials and 400 for bad input, naming it', async () => {
      const h = await start();
      expect(
        (await request(h.server).get('/api/release/portfolio')).status,
      ).toBe(401);
      const badLimit = await request(h.server)
        .get('/api/release/portfolio')
        .query({ limit: 0 })
        .set('Authorization', as(USERS.alice));
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.error.message).toMatch(/limit/);
      const badOwner = await request(h.server)
        .get('/api/release/portfolio')
        .query({ owner: 'group:' })
        .set('Authorization', as(USERS.alice));
      expect(badOwner.status).toBe(400);
      expect(badOwner.body.error.message).toMatch(/owner/);
      expect(badOwner.text).not.toMatch(/\bat .*\.ts:\d+/);
    });
  });
});
