import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen, within } from '@testing-library/react';
import { releaseApiRef } from '../api';
import {
  FakeReleaseApi,
  plainEntity,
  releaseEntity,
  shopSystem,
  train,
} from '../__testUtils__/fixtures';
import {
  phasesEntityContent,
  releasesEntityContent,
  trainsEntityContent,
} from './entityContents';

describe('releasesEntityContent', () => {
  it('is the "Releases" tab at releases, only for annotated entities', () => {
    const tester = createExtensionTester(releasesEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Releases');
    expect(tester.get(coreExtensionData.routePath)).toBe('releases');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(releaseEntity)).toBe(true);
    expect(filter?.(plainEntity)).toBe(false);
  });

  it('renders the release matrix', async () => {
    const tester = createExtensionTester(releasesEntityContent);
    renderInTestApp(
      <EntityProvider entity={releaseEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [releaseApiRef, new FakeReleaseApi()],
          mockApis.permission(),
          mockApis.identity({ userEntityRef: 'user:default/guest' }),
        ],
      },
    );
    const table = await screen.findByRole('table', {
      name: 'Releases by phase',
    });
    expect(within(table).getByText('1.2.0')).toBeInTheDocument();
    expect(within(table).getByText('QA/Demo')).toBeInTheDocument();
  });
});

describe('phasesEntityContent', () => {
  it('is the "Phases" tab at phases, only for annotated entities', () => {
    const tester = createExtensionTester(phasesEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Phases');
    expect(tester.get(coreExtensionData.routePath)).toBe('phases');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(releaseEntity)).toBe(true);
    expect(filter?.(plainEntity)).toBe(false);
  });

  it('renders a card per phase', async () => {
    const tester = createExtensionTester(phasesEntityContent);
    renderInTestApp(
      <EntityProvider entity={releaseEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [releaseApiRef, new FakeReleaseApi()],
          mockApis.permission(),
          mockApis.identity({ userEntityRef: 'user:default/guest' }),
        ],
      },
    );
    const list = await screen.findByRole('list', { name: 'Pipeline phases' });
    expect(
      within(list).getByText('Locked: Load test running'),
    ).toBeInTheDocument();
  });
});

describe('trainsEntityContent', () => {
  it('is the "Trains" tab at trains, only for System entities', () => {
    const tester = createExtensionTester(trainsEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Trains');
    expect(tester.get(coreExtensionData.routePath)).toBe('trains');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(shopSystem)).toBe(true);
    expect(filter?.(releaseEntity)).toBe(false);
  });

  it("renders the System's trains", async () => {
    const tester = createExtensionTester(trainsEntityContent);
    renderInTestApp(
      <EntityProvider entity={shopSystem}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [releaseApiRef, new FakeReleaseApi({ trains: [train()] })],
          mockApis.permission(),
          mockApis.identity({ userEntityRef: 'user:default/guest' }),
        ],
      },
    );
    const table = await screen.findByRole('table', { name: 'Trains' });
    expect(within(table).getByText('Shop → Stage')).toBeInTheDocument();
  });
});
