import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isReleaseAvailable, isTrainSystem } from '../conditions';

/**
 * Entity tab "Releases", on entities with the pipeline annotation.
 *
 * @alpha
 */
export const releasesEntityContent = EntityContentBlueprint.make({
  name: 'releases',
  params: {
    path: 'releases',
    title: 'Releases',
    filter: isReleaseAvailable,
    loader: () =>
      import('../components/ReleasesContent').then(m => <m.ReleasesContent />),
  },
});

/**
 * Entity tab "Phases", on entities with the pipeline annotation.
 *
 * @alpha
 */
export const phasesEntityContent = EntityContentBlueprint.make({
  name: 'phases',
  params: {
    path: 'phases',
    title: 'Phases',
    filter: isReleaseAvailable,
    loader: () =>
      import('../components/PhasesContent').then(m => <m.PhasesContent />),
  },
});

/**
 * Entity tab "Trains", on System entities: the System's release trains.
 *
 * @alpha
 */
export const trainsEntityContent = EntityContentBlueprint.make({
  name: 'trains',
  params: {
    path: 'trains',
    title: 'Trains',
    filter: isTrainSystem,
    loader: () =>
      import('../components/TrainsContent').then(m => <m.TrainsContent />),
  },
});
