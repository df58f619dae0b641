import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import { releaseApiRef } from '../api';
import {
  FakeReleaseApi,
  plainEntity,
  releaseEntity,
} from '../__testUtils__/fixtures';
import { releaseStatusEntityCard } from './entityCards';

describe('releaseStatusEntityCard', () => {
  it('shows only on entities with the pipeline annotation', () => {
    const filter = createExtensionTester(releaseStatusEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter?.(releaseEntity)).toBe(true);
    expect(filter?.(plainEntity)).toBe(false);
  });

  it('renders the current version per phase', async () => {
    const tester = createExtensionTester(releaseStatusEntityCard);
    renderInTestApp(
      <EntityProvider entity={releaseEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[releaseApiRef, new FakeReleaseApi()]] },
    );
    expect(await screen.findByText('Release status')).toBeInTheDocument();
    expect(await screen.findByText('1.1.0')).toBeInTheDocument();
  });
});
