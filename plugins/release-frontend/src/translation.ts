import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The words of the Release Manager frontend, so an installer can reword or
 * translate them through Backstage's translation API
 * (`createTranslationMessages({ ref: releaseTranslationRef, messages })`).
 *
 * @public
 */
export const releaseTranslationRef = createTranslationRef({
  id: 'release',
  messages: {
    portfolioPage: {
      title: 'Releases',
      subtitle:
        'Which version runs where, across every service with a pipeline',
    },
    portfolio: {
      cardTitle: 'Services with a release pipeline',
      filters: {
        search: 'Search',
        owner: 'Owner',
        ownerHelp: 'e.g. team-payments or group:default/team-payments',
        system: 'System',
        lifecycle: 'Lifecycle',
      },
      columns: {
        entity: 'Service',
        owner: 'Owner',
        phases: 'Phases',
      },
      downloadCsv: 'Download CSV',
      downloading: 'Preparing CSV…',
      downloadFailed: 'Could not download the CSV: {{message}}',
      empty: 'No service with a release pipeline matches',
      emptyHint:
        'Services take part with the annotation release.backstage.io/pipeline; clear the filters to see every one you may read.',
      range: '{{from}}–{{to}} of {{total}}',
      previous: 'Previous page',
      next: 'Next page',
      rowsPerPage: 'Rows per page',
      openReleases: 'Releases of {{name}}',
      noVersion: 'nothing yet',
      failed: 'last deployment failed',
      waiting_one: '{{count}} waiting',
      waiting_other: '{{count}} waiting',
      scheduled_one: '{{count}} scheduled',
      scheduled_other: '{{count}} scheduled',
      pipelineProblem: 'Pipeline problem: {{problem}}',
      tableLabel: 'Services and the versions in their phases',
    },
  },
});
