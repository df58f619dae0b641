import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  FactRetriever,
  FactRetrieverContext,
  techInsightsFactRetrieversExtensionPoint,
} from '@backstage-community/plugin-tech-insights-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases } from '@internal/release-test-utils';
// Test wiring only: the retriever is tested against the real release backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import releasePlugin from '@release-manager/backstage-plugin-release-backend';
import {
  ReleaseSeedRelease,
  releaseSeedExtensionPoint,
} from '@release-manager/backstage-plugin-release-node';
import { Server } from 'http';
import request from 'supertest';
import techInsightsModuleRelease, {
  createReleaseDeliveryMetricsFactRetriever,
  RELEASE_DELIVERY_METRICS_FACT_RETRIEVER_ID,
} from '.';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ALICE = 'user:default/alice';

const component = (name: string, pipeline?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: pipeline
      ? { 'release.backstage.io/pipeline': pipeline }
      : undefined,
  },
  spec: { type: 'service', lifecycle: 'production', owner: ALICE },
  relations: [{ type: 'ownedBy', targetRef: ALICE }],
});

const ENTITIES = [
  // Live history in the last 30 days (below).
  component('payments', 'default'),
  // A pipeline, but nothing ever deployed.
  component('quiet', 'default'),
  // A pipeline template that app-config does not define: the release
  // backend cannot measure it (404).
  component('orphan', 'undefined-pipeline'),
  // No pipeline: not a release entity.
  component('website'),
];

/**
 * payments' Live deployments, relative to the start of the test: each
 * release reaches Live 2 h 10 min after it was created (the lead time).
 * 1.0.0 is before the 30-day period; 1.0.2 failed and 1.0.3 restored it
 * 12 h later.
 */
function history(now: number): ReleaseSeedRelease[] {
  const release = (
    version: string,
    daysAgo: number,
    status: 'succeeded' | 'failed',
  ): ReleaseSeedRelease => {
    const createdAt = new Date(now - daysAgo * DAY);
    const requestedAt = new Date(createdAt.getTime() + 2 * HOUR);
    return {
      entityRef: 'component:default/payments',
      version,
      artifact: `registry.example.com/payments:${version}`,
      createdBy: 'service:external:ci',
      createdAt,
      outcomes: [
        {
          phase: 'live',
          status,
          requestedBy: ALICE,
          requestedAt,
          finishedAt: new Date(requestedAt.getTime() + 10 * 60_000),
        },
      ],
    };
  };
  return [
    release('1.0.0', 40, 'succeeded'),
    release('1.0.1', 20, 'succeeded'),
    release('1.0.2', 10, 'failed'),
    release('1.0.3', 9.5, 'succeeded'),
    release('1.1.0', 3, 'succeeded'),
  ];
}

const seedModule = createBackendModule({
  pluginId: 'release',
  moduleId: 'test-history',
  register(reg) {
    reg.registerInit({
      deps: { seed: releaseSeedExtensionPoint },
      async init({ seed }) {
        seed.addSeed({ id: 'test-history', releases: history(Date.now()) });
      },
    });
  },
});

/**
 * Stands in for the tech-insights plugin (not a dependency of this
 * package): the same extension point, and the FactRetrieverContext the
 * plugin builds from its own services.
 */
function fakeTechInsightsPlugin() {
  const retrievers: Record<string, FactRetriever> = {};
  let context: FactRetrieverContext | undefined;
  const plugin = createBackendPlugin({
    pluginId: 'tech-insights',
    register(env) {
      env.registerExtensionPoint(techInsightsFactRetrieversExtensionPoint, {
        addFactRetrievers(added) {
          Object.assign(retrievers, added);
        },
      });
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          discovery: coreServices.discovery,
          logger: coreServices.logger,
          auth: coreServices.auth,
          urlReader: coreServices.urlReader,
        },
        async init(deps) {
          context = deps;
        },
      });
    },
  });
  return {
    plugin,
    retrievers,
    /** Runs a retriever as the tech-insights engine does. */
    run(retriever: FactRetriever) {
      return retriever.handler({
        ...context!,
        entityFilter: retriever.entityFilter,
      });
    },
  };
}

async function metricsOf(server: Server, name: string) {
  const res = await request(server)
    .get(`/api/release/entities/component/default/${name}/metrics`)
    .set('Authorization', mockCredentials.user.header(ALICE));
  expect(res.status).toBe(200);
  return res.body.metrics;
}

describe('the release delivery metrics fact retriever', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'loads through techInsightsFactRetrieversExtensionPoint and gives the release backend’s figures as facts (%p)',
    async databaseId => {
      const techInsights = fakeTechInsightsPlugin();
      const logger = mockServices.logger.mock();
      const backend = await startTestBackend({
        features: [
          mockServices.rootConfig.factory({
            data: {
              events: { useEventBus: 'never' },
              release: {
                seed: { enabled: true },
                dispatcher: { enabled: false },
                pipelines: {
                  default: {
                    phases: [{ id: 'live', title: 'Live' }],
                  },
                },
              },
              techInsights: {
                factRetrievers: {
                  releaseDeliveryMetrics: { cadence: '0 4 * * *', days: 30 },
                },
              },
            },
          }),
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          catalogServiceMock.factory({ entities: ENTITIES }),
          logger.factory,
          releasePlugin,
          seedModule,
          techInsights.plugin,
          techInsightsModuleRelease,
        ],
      });
      const { server } = backend;
      try {
        const retriever = techInsights.retrievers.releaseDeliveryMetrics;
        expect(retriever.id).toBe(RELEASE_DELIVERY_METRICS_FACT_RETRIEVER_ID);
        expect(Object.keys(retriever.schema).sort()).toEqual([
          'changeFailureRate',
          'deployments',
          'deploymentsPerWeek',
          'doraBand',
          'leadTimeMedianHours',
          'timeToRestoreMedianHours',
        ]);

        const facts = await techInsights.run(retriever);
        const byName = Object.fromEntries(facts.map(f => [f.entity.name, f]));
        // Only the entities with a pipeline the release backend can measure.
        expect(Object.keys(byName).sort()).toEqual(['payments', 'quiet']);
        expect(byName.payments.entity).toEqual({
          kind: 'Component',
          namespace: 'default',
          name: 'payments',
        });

        // The same figures as the metrics route over the same 30 days.
        const metrics = await metricsOf(server, 'payments');
        expect(metrics).toMatchObject({
          deployments: 3,
          changeDeployments: 4,
          failedDeployments: 1,
        });
        expect(byName.payments.facts).toEqual({
          deployments: metrics.deployments,
          deploymentsPerWeek: metrics.deploymentsPerDay * 7,
          leadTimeMedianHours: metrics.leadTime.medianSeconds / 3600,
          changeFailureRate: metrics.changeFailureRate,
          timeToRestoreMedianHours: metrics.timeToRestore.medianSeconds / 3600,
          doraBand: metrics.bands.overall,
        });
        // By hand: 1.0.1, 1.0.3, 1.1.0 in 30 days; 2 h 10 min each; 1 of 4
        // failed; 1.0.2 (10 d ago) restored by 1.0.3 (9.5 d ago): 12 h.
        expect(byName.payments.facts).toEqual({
          deployments: 3,
          deploymentsPerWeek: expect.closeTo(0.7, 9),
          leadTimeMedianHours: expect.closeTo(2 + 10 / 60, 9),
          changeFailureRate: 0.25,
          timeToRestoreMedianHours: 12,
          doraBand: 'low',
        });

        // Nothing deployed: the counts are 0, and no figure that would
        // read as a good result (a 0 h lead time, a 0 failure rate) or band.
        const quiet = await metricsOf(server, 'quiet');
        expect(quiet).toMatchObject({
          deployments: 0,
          changeFailureRate: null,
          bands: {},
        });
        expect(byName.quiet.facts).toEqual({
          deployments: 0,
          deploymentsPerWeek: 0,
        });

        // An entity the release backend cannot measure gets no facts; why is logged.
        expect(logger.warn).toHaveBeenCalledWith(
          expect.stringMatching(
            /^No delivery metrics for Component:default\/orphan: the release backend answered 404 .*undefined-pipeline/,
          ),
        );
        expect(logger.warn).not.toHaveBeenCalledWith(
          expect.stringContaining('not scheduled'),
        );
      } finally {
        await backend.stop();
      }
    },
  );
});

describe('the module', () => {
  it('says the retriever is not scheduled without techInsights.factRetrievers.releaseDeliveryMetrics', async () => {
    const techInsights = fakeTechInsightsPlugin();
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        catalogServiceMock.factory({ entities: ENTITIES }),
        logger.factory,
        techInsights.plugin,
        techInsightsModuleRelease,
      ],
    });
    try {
      expect(Object.keys(techInsights.retrievers)).toEqual([
        'releaseDeliveryMetrics',
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        "The release delivery metrics fact retriever is not scheduled: add techInsights.factRetrievers.releaseDeliveryMetrics.cadence (e.g. '0 4 * * *' for daily) to app-config",
      );
    } finally {
      await backend.stop();
    }
  });

  it.each([0, -1, 367, Number.NaN])('refuses a period of %p days', days => {
    expect(() =>
      createReleaseDeliveryMetricsFactRetriever({
        catalog: catalogServiceMock(),
        days,
      }),
    ).toThrow(
      `The period of the release delivery metrics must be more than 0 and at most 366 days, not ${days}`,
    );
  });
});
