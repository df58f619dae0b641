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
