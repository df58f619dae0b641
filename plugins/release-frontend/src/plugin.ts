import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { releaseApiRef, ReleaseClient } from './api';
import type { ReleasesContentProps } from './components/ReleasesContent';
import type { TrainsContentProps } from './components/TrainsContent';
import {
  approvalsRouteRef,
  phasesRouteRef,
  portfolioRouteRef,
  releasesRouteRef,
  trainsRouteRef,
} from './routes';

/**
 * The Release Manager plugin for the legacy frontend system.
 *
 * @public
 */
export const releasePlugin = createPlugin({
  id: 'release',
  apis: [
    createApiFactory({
      api: releaseApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ReleaseClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    releases: releasesRouteRef,
    phases: phasesRouteRef,
    approvals: approvalsRouteRef,
    portfolio: portfolioRouteRef,
    trains: trainsRouteRef,
  },
});

/**
 * Entity tab "Releases": the release × phase matrix.
 *
 * @public
 */
export const EntityReleasesContent: (
  props: ReleasesContentProps,
) => JSX.Element = releasePlugin.provide(
  createRoutableExtension({
    name: 'EntityReleasesContent',
    component: () =>
      import('./components/ReleasesContent').then(m => m.ReleasesContent),
    mountPoint: releasesRouteRef,
  }),
);

/**
 * Entity tab "Phases": the pipeline with a card per phase.
 *
 * @public
 */
export const EntityPhasesContent: () => JSX.Element = releasePlugin.provide(
  createRoutableExtension({
    name: 'EntityPhasesContent',
    component: () =>
      import('./components/PhasesContent').then(m => m.PhasesContent),
    mountPoint: phasesRouteRef,
  }),
);

/**
 * Entity tab "Trains" for System entities: the System's release trains
 * (one release per member service, deployed in dependency order with one
 * approval), "New train" with its plan, and a train's detail at
 * `?train=<id>`.
 *
 * @public
 */
export const EntityReleaseTrainsContent: (
  props: TrainsContentProps,
) => JSX.Element = releasePlugin.provide(
  createRoutableExtension({
    name: 'EntityReleaseTrainsContent',
    component: () =>
      import('./components/TrainsContent').then(m => m.TrainsContent),
    mountPoint: trainsRouteRef,
  }),
);

/**
 * Entity overview card: the current version per phase.
 *
 * @public
 */
export const EntityReleaseStatusCard: () => JSX.Element = releasePlugin.provide(
  createComponentExtension({
    name: 'EntityReleaseStatusCard',
    component: {
      lazy: () =>
        import('./components/ReleaseStatusCard').then(m => m.ReleaseStatusCard),
    },
  }),
);

/**
 * Entity overview card "Delivery": the DORA metrics (deployment frequency,
 * lead time for changes, change failure rate, time to restore) of the
 * entity, with performance bands and trend charts.
 *
 * @public
 */
export const EntityDeliveryCard: () => JSX.Element = releasePlugin.provide(
  createComponentExtension({
    name: 'EntityDeliveryCard',
    component: {
      lazy: () => import('./components/DeliveryCard').then(m => m.DeliveryCard),
    },
  }),
);

/**
 * Page "Approvals": every promotion the signed-in user may decide, with
 * one-click approve and reject. Mount it at `/release/approvals`.
 *
 * @public
 */
export const ReleaseApprovalsPage: () => JSX.Element = releasePlugin.provide(
  createRoutableExtension({
    name: 'ReleaseApprovalsPage',
    component: () =>
      import('./components/ApprovalsPage').then(m => m.ApprovalsPage),
    mountPoint: approvalsRouteRef,
  }),
);

/**
 * Page "Releases": every entity with a release pipeline the signed-in user
 * may see × its phases, with filters, pages and a CSV export. Mount it at
 * `/release/portfolio` and link it from the sidebar.
 *
 * @public
 */
export const ReleasesPortfolioPage: () => JSX.Element = releasePlugin.provide(
  createRoutableExtension({
    name: 'ReleasesPortfolioPage',
    component: () =>
      import('./components/ReleasesPortfolioPage').then(
        m => m.ReleasesPortfolioPage,
      ),
    mountPoint: portfolioRouteRef,
  }),
);
