import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isReleaseAvailable } from '../conditions';

/**
 * Overview card "Release status", on entities with the pipeline annotation.
 *
 * @alpha
 */
export const releaseStatusEntityCard = EntityCardBlueprint.make({
  name: 'release-status',
  params: {
    filter: isReleaseAvailable,
    loader: () =>
      import('../components/ReleaseStatusCard').then(m => (
        <m.ReleaseStatusCard />
      )),
  },
});

/**
 * Overview card "Delivery": the DORA metrics of the entity with their
 * performance bands and trend charts, on entities with the pipeline
 * annotation.
 *
 * @alpha
 */
export const releaseDeliveryEntityCard = EntityCardBlueprint.make({
  name: 'release-delivery',
  params: {
    filter: isReleaseAvailable,
    loader: () =>
      import('../components/DeliveryCard').then(m => <m.DeliveryCard />),
  },
});
