import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { releaseReadPermission } from '@release-manager/backstage-plugin-release-common';
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import { ENTITIES, TEST_CONFIG } from '../../__testUtils__/fixtures';
import {
  as,
  Harness,
  PAYMENTS,
  startReleaseBackend,
  TestPolicy,
  USERS,
} from '../../__testUtils__/harness';

jest.setTimeout(120_000);

const H = 3600;
// Query values URL-encoded, as the frontend client sends them.
const PERIOD = 'from=2026-11-01T00%3A00%3A00Z&to=2026-11-08T00%3A00%3A00Z';

/** An entity with its own pipeline whose production phase is configured. */
const BILLING: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'billing',
    namespace: 'default',
    annotations: { 'release.backstage.io/pipeline': 'custom' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-payments',
    system: 'payments',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/team-payments' },
    { type: 'partOf', targetRef: 'system:default/payments' },
  ],
};

const CONFIG = {
  release: {
    dispatcher: { enabled: false },
    pipelines: {
      ...TEST_CONFIG.release.pipelines,
      custom: {
        // Production is the middle phase, not the last one.
        productionPhase: 'prod',
        phases: [{ id: 'dev' }, { id: 'prod' }, { id: 'archive' }],
      },
    },
  },
};

const PAYMENTS_API = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-worker';
const BILLING_REF = 'component:default/billing';

/** Creates a release at a time, optionally with its commit time. */
async function release(
  h: Harness,
  entityRef: string,
  version: string,
  createdAt: string,
  committedAt?: string,
) {
  await h.store.createRelease({
    entityRef,
    version,
    artifact: `registry.example.com/app@sha256:${version}`,
    createdBy: 'service:external:ci',
    createdAt,
    committedAt,
  });
}

/** Records a finished (or open) promotion. */
async function deployed(
  h: Harness,
  entityRef: string,
  phase: string,
  version: string,
  status: 'succeeded' | 'failed' | 'rejected' | 'pending_approval',
  finishedAt: string,
  kind: 'promote' | 'rollback' = 'promote',
) {
  const at = new Date(finishedAt);
  await h.store.importPromotion({
    entityRef,
    phase,
    version,
    status,
    kind,
    requestedBy: USERS.alice,
    requestedAt: new Date(at.getTime() - 600_000),
    finishedAt: at,
  });
}

/**
 * The hand-built history (times in UTC, period 2026-11-01 to 2026-11-08):
 *
 * payments-api (default pipeline, production = live):
 * - 1.0.0 live success 10-31 12:00: before the period.
 * - 1.1.0 committed 10-31 20:00, created 11-01 00:00; qa success (not
 *   production), live success 11-01 06:00: lead 10 h from the commit.
 * - 1.2.0 created 11-02 00:00; live FAILED 11-02 04:00.
 * - 1.2.1 created 11-02 05:00; skips dev/qa/stage, live success 11-02 07:00:
 *   lead 2 h; restores 1.2.0 after 3 h; then ROLLED BACK: a rollback to
 *   1.1.0 fails 08:00 and succeeds 11-02 09:00 (restore 2 h).
 * - 1.3.0 live rejected 11-03: not a deployment; 1.3.0 live waiting: ignored.
 * - 1.3.1 created 11-07 20:00; live FAILED 11-07 22:00, restored by 1.3.2's
 *   success 11-08 02:00, after the period (restore 4 h).
 * → 4 changes, 2 successes, 3 failures (CFR 0.75), lead [10 h, 2 h],
 *   restores [3 h, 2 h, 4 h].
 *
 * ledger-worker (fast-track, production = live): a dev failure (not
 * production) and a live success 11-03 10:00, created 08:00: lead 2 h.
 *
 * billing (custom, production = prod, the middle phase): prod success
 * 11-04 01:00, created 11-04 00:00: lead 1 h; an archive failure (not
 * production).
 */
async function seedHistory(h: Harness) {
  await release(h, PAYMENTS_API, '1.0.0', '2026-10-30T00:00:00Z');
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.0.0',
    'succeeded',
    '2026-10-31T12:00:00Z',
  );
  await release(
    h,
    PAYMENTS_API,
    '1.1.0',
    '2026-11-01T00:00:00Z',
    '2026-10-31T20:00:00Z',
  );
  await deployed(
    h,
    PAYMENTS_API,
    'qa',
    '1.1.0',
    'succeeded',
    '2026-11-01T02:00:00Z',
  );
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.1.0',
    'succeeded',
    '2026-11-01T06:00:00Z',
  );
  await release(h, PAYMENTS_API, '1.2.0', '2026-11-02T00:00:00Z');
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.2.0',
    'failed',
    '2026-11-02T04:00:00Z',
  );
  await release(h, PAYMENTS_API, '1.2.1', '2026-11-02T05:00:00Z');
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.2.1',
    'succeeded',
    '2026-11-02T07:00:00Z',
  );
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.1.0',
    'failed',
    '2026-11-02T08:00:00Z',
    'rollback',
  );
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.1.0',
    'succeeded',
    '2026-11-02T09:00:00Z',
    'rollback',
  );
  await release(h, PAYMENTS_API, '1.3.0', '2026-11-03T00:00:00Z');
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.3.0',
    'rejected',
    '2026-11-03T01:00:00Z',
  );
  await release(h, PAYMENTS_API, '1.3.1', '2026-11-07T20:00:00Z');
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.3.1',
    'failed',
    '2026-11-07T22:00:00Z',
  );
  await release(h, PAYMENTS_API, '1.3.2', '2026-11-08T00:30:00Z');
  await deployed(
    h,
    PAYMENTS_API,
    'live',
    '1.3.2',
    'succeeded',
    '2026-11-08T02:00:00Z',
  );

  await release(h, LEDGER, '0.1.0', '2026-11-03T08:00:00Z');
  await deployed(h, LEDGER, 'dev', '0.1.0', 'failed', '2026-11-03T09:00:00Z');
  await deployed(
    h,
    LEDGER,
    'live',
    '0.1.0',
    'succeeded',
    '2026-11-03T10:00:00Z',
  );

  await release(h, BILLING_REF, '3.0.0', '2026-11-04T00:00:00Z');
  await deployed(
    h,
    BILLING_REF,
    'prod',
    '3.0.0',
    'succeeded',
    '2026-11-04T01:00:00Z',
  );
  await deployed(
    h,
    BILLING_REF,
    'archive',
    '3.0.0',
    'failed',
    '2026-11-04T02:00:00Z',
  );
}

describe('delivery metrics (DORA) through the real wiring', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function start(policy?: TestPolicy) {
      const knex = await databases.init(databaseId);
      const h = await startReleaseBackend({
        knex,
        config: CONFIG,
        entities: [...ENTITIES, BILLING],
        policy,
      });
      await seedHistory(h);
      return h;
    }

    it('pins each figure of one entity: rollbacks, failures, skipped phases, restores after the period', async () => {
      const h = await start();
      const res = await request(h.server)
        .get(`${PAYMENTS}/metrics?${PERIOD}`)
        .set('Authorization', as(USERS.alice));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-08T00:00:00.000Z',
        bucket: 'day',
        entityRefs: [PAYMENTS_API],
        productionPhases: { default: 'live' },
      });
      expect(res.body.metrics).toEqual({
        deployments: 2,
        deploymentsPerDay: 2 / 7,
        leadTime: { count: 2, medianSeconds: 6 * H, p90Seconds: 9.2 * H },
        changeFailureRate: 0.75,
        failedDeployments: 3,
        changeDeployments: 4,
        timeToRestore: { count: 3, medianSeconds: 3 * H, p90Seconds: 3.8 * H },
        unrestored: 0,
        bands: {
          deploymentFrequency: 'high',
          leadTime: 'elite',
          changeFailureRate: 'low',
          timeToRestore: 'high',
          overall: 'low',
        },
      });
      expect(res.body.series).toHaveLength(7);
      expect(res.body.series[1]).toEqual({
        start: '2026-11-02T00:00:00.000Z',
        deployments: 1,
        failures: 2,
        leadTimeMedianSeconds: 2 * H,
        timeToRestoreMedianSeconds: 2.5 * H,
      });
      expect(
        res.body.series.map((p: { deployments: number }) => p.deployments),
      ).toEqual([1, 1, 0, 0, 0, 0, 0]);
    });

    it('counts a failure as unrestored while no success follows it', async () => {
      const h = await start();
      // Up to 11-08 01:00: 1.3.2 succeeded at 02:00 is past `to` but the
      // look-ahead finds it; with `to` after it, it is a change itself.
      const later = await request(h.server)
        .get(
          `${PAYMENTS}/metrics?from=2026-11-07T00%3A00%3A00Z&to=2026-11-09T00%3A00%3A00Z`,
        )
        .set('Authorization', as(USERS.alice));
      expect(later.body.metrics).toMatchObject({
        deployments: 1,
        changeDeployments: 2,
        failedDeployments: 1,
        unrestored: 0,
        timeToRestore: { count: 1, medianSeconds: 4 * H },
      });
      await release(h, PAYMENTS_API, '1.4.0', '2026-11-10T00:00:00Z');
      await deployed(
        h,
        PAYMENTS_API,
        'live',
        '1.4.0',
        'failed',
        '2026-11-10T01:00:00Z',
      );
      const open = await request(h.server)
        .get(
          `${PAYMENTS}/metrics?from=2026-11-09T00%3A00%3A00Z&to=2026-11-11T00%3A00%3A00Z`,
        )
        .set('Authorization', as(USERS.alice));
      expect(open.body.metrics).toMatchObject({
        deployments: 0,
        changeFailureRate: 1,
        unrestored: 1,
        timeToRestore: { count: 0 },
      });
    });

    it('a period ending about now finds the restore after its end (the short read of a recent period)', async () => {
      const h = await start();
      const T = Date.now();
      const at = (ms: number) => new Date(T - ms).toISOString();
      await release(h, PAYMENTS_API, '5.0.0', at(3600_000));
      await deployed(h, PAYMENTS_API, 'live', '5.0.0', 'failed', at(1200_000));
      // Two successes after the period's end (2 minutes ago): the first
      // restores the failure.
      await release(h, PAYMENTS_API, '5.0.1', at(1800_000));
      await deployed(h, PAYMENTS_API, 'live', '5.0.1', 'succeeded', at(90_000));
      await release(h, PAYMENTS_API, '5.0.2', at(1800_000));
      await deployed(h, PAYMENTS_API, 'live', '5.0.2', 'succeeded', at(30_000));
      const q = `from=${encodeURIComponent(
        at(3600_000),
      )}&to=${encodeURIComponent(at(120_000))}`;
      const res = await request(h.server)
        .get(`${PAYMENTS}/metrics?${q}`)
        .set('Authorization', as(USERS.alice));
      expect(res.status).toBe(200);
      expect(res.body.metrics).toMatchObject({
        deployments: 0,
        failedDeployments: 1,
        unrestored: 0,
        timeToRestore: { count: 1, medianSeconds: 1110 },
      });
    });

    it('reports an empty period as zeros without bands', async () => {
      const h = await start();
      const res = await request(h.server)
        .get(
          `${PAYMENTS}/metrics?from=2026-10-01T00%3A00%3A00Z&to=2026-10-15T00%3A00%3A00Z&bucket=week`,
        )
        .set('Authorization', as(USERS.alice));
      expect(res.status).toBe(200);
      expect(res.body.metrics).toEqual({
        deployments: 0,
        deploymentsPerDay: 0,
        leadTime: { count: 0 },
        changeFailureRate: null,
        failedDeployments: 0,
        changeDeployments: 0,
        timeToRestore: { count: 0 },
        unrestored: 0,
        bands: {},
      });
      expect(res.body.series).toEqual([
        { start: '2026-09-28T00:00:00.000Z', deployments: 0, failures: 0 },
        { start: '2026-10-05T00:00:00.000Z', deployments: 0, failures: 0 },
        { start: '2026-10-12T00:00:00.000Z', deployments: 0, failures: 0 },
      ]);
    });

    it('uses the configured production phase of each pipeline, and measures an owner group', async () => {
      const h = await start();
      const billing = await request(h.server)
        .get(
          `/api/release/entities/component/default/billing/metrics?${PERIOD}`,
        )
        .set('Authorization', as(USERS.alice));
      expect(billing.body.productionPhases).toEqual({ custom: 'prod' });
      expect(billing.body.metrics).toMatchObject({
        deployments: 1,
        changeDeployments: 1,
        changeFailureRate: 0,
        leadTime: { count: 1, medianSeconds: 1 * H },
      });

      const group = await request(h.server)
        .get(`/api/release/metrics?owner=team-payments&${PERIOD}`)
        .set('Authorization', as(USERS.alice));
      expect(group.status).toBe(200);
      // orphan (unknown template) and legacy-reports (no pipeline) are left out.
      expect([...group.body.entityRefs].sort()).toEqual([
        BILLING_REF,
        LEDGER,
        PAYMENTS_API,
      ]);
      expect(group.body.productionPhases).toEqual({
        default: 'live',
        'fast-track': 'live',
        custom: 'prod',
      });
      expect(group.body.metrics).toMatchObject({
        deployments: 4,
        deploymentsPerDay: 4 / 7,
        changeDeployments: 6,
        failedDeployments: 3,
        changeFailureRate: 0.5,
        leadTime: { count: 4, medianSeconds: 2 * H },
        timeToRestore: { count: 3, medianSeconds: 3 * H },
      });

      const system = await request(h.server)
        .get(`/api/release/metrics?system=payments&${PERIOD}`)
        .set('Authorization', as(USERS.alice));
      expect(system.body.entityRefs).toEqual([BILLING_REF]);

      const pipeline = await request(h.server)
        .get(`/api/release/metrics?pipeline=fast-track&${PERIOD}`)
        .set('Authorization', as(USERS.alice));
      expect(pipeline.body.entityRefs).toEqual([LEDGER]);
      expect(pipeline.body.metrics.deployments).toBe(1);
    });

    it('measures only the entities the caller may read (a DENY filters the group; the entity route is 403)', async () => {
      const h = await start((permission, resourceRef) =>
        permission === releaseReadPermission.name &&
        resourceRef === PAYMENTS_API
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      );
      const group = await request(h.server)
        .get(
          `/api/release/metrics?owner=group%3Adefault%2Fteam-payments&${PERIOD}`,
        )
        .set('Authorization', as(USERS.alice));
      expect([...group.body.entityRefs].sort()).toEqual([BILLING_REF, LEDGER]);
      expect(group.body.metrics.deployments).toBe(2);
      const entity = await request(h.server)
        .get(`${PAYMENTS}/metrics?${PERIOD}`)
        .set('Authorization', as(USERS.alice));
      expect(entity.status).toBe(403);
    });

    it('refuses bad input with a 400 that says what is wrong, and callers without credentials', async () => {
      const h = await start();
      const cases: Array<[string, RegExp]> = [
        [
          `${PAYMENTS}/metrics?from=2026-11-08T00%3A00%3A00Z&to=2026-11-01T00%3A00%3A00Z`,
          /from must be before to/,
        ],
        [
          `${PAYMENTS}/metrics?from=2020-01-01T00%3A00%3A00Z&to=2026-11-01T00%3A00%3A00Z`,
          /at most 366 days/,
        ],
        [`${PAYMENTS}/metrics?from=yesterday`, /from/],
        [`${PAYMENTS}/metrics?bucket=month`, /bucket/],
        ['/api/release/metrics', /at least one of owner, system or pipeline/],
        ['/api/release/metrics?owner=group%3Adefault%2F', /Invalid owner/],
      ];
      for (const [url, message] of cases) {
        const res = await request(h.server)
          .get(url)
          .set('Authorization', as(USERS.alice));
        expect([url, res.status]).toEqual([url, 400]);
        expect(res.body.error.message).toMatch(message);
      }
      const anonymous = await request(h.server).get(`${PAYMENTS}/metrics`);
      expect(anonymous.status).toBe(401);
    });
  });
});
