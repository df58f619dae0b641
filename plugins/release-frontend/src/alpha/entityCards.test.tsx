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
import {
  releaseDeliveryEntityCard,
  releaseStatusEntityCard,
} from './entityCards';

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
    // Lazily loaded: allow for a busy machine.
    expect(
      await screen.findByText('Release status', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(await screen.findByText('1.1.0')).toBeInTheDocument();
  });
});

describe('releaseDeliveryEntityCard', () => {
  it('shows only on entities with the pipeline annotation', () => {
    const filter = createExtensionTester(releaseDeliveryEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter?.(releaseEntity)).toBe(true);
    expect(filter?.(plainEntity)).toBe(false);
  });

  it('renders the delivery figures', async () => {
    const tester = createExtensionTester(releaseDeliveryEntityCard);
    renderInTestApp(
      <EntityProvider entity={releaseEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[releaseApiRef, new FakeReleaseApi()]] },
    );
    expect(
      await screen.findByText('Delivery', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(await screen.findByText('3 / week')).toBeInTheDocument();
  });
});
