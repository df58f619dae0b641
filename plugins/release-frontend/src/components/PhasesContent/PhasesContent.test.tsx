import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { releaseApiRef } from '../../api';
import {
  FakeReleaseApi,
  pipeline,
  plainEntity,
  releaseEntity,
} from '../../__testUtils__/fixtures';
import { PhasesContent } from './PhasesContent';

function renderContent(api: FakeReleaseApi, entity: Entity = releaseEntity) {
  return renderInTestApp(
    <TestApiProvider apis={[[releaseApiRef, api]]}>
      <EntityProvider entity={entity}>
        <PhasesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('PhasesContent', () => {
  it('draws the phases left to right in pipeline order', async () => {
    const shuffled = { ...pipeline, phases: [...pipeline.phases].reverse() };
    renderContent(new FakeReleaseApi({ pipeline: shuffled }));
    const list = await screen.findByRole('list', { name: 'Pipeline phases' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .filter(item => item.parentElement === list)
        .map(item => item.getAttribute('aria-label')),
    ).toEqual(['Dev', 'QA/Demo', 'Stage', 'Live']);
  });

  it('shows the current version, when and by whom', async () => {
    renderContent(new FakeReleaseApi());
    const dev = await screen.findByRole('listitem', { name: 'Dev' });
    expect(within(dev).getByText('1.2.0')).toBeInTheDocument();
    expect(within(dev).getByText(/by user:default\/alice/)).toHaveTextContent(
      /^Deployed .+ ago by user:default\/alice$/,
    );
    expect(within(dev).getByText(/^Last: Succeeded 1.2.0/)).toBeInTheDocument();
    expect(within(dev).getByText('Auto-promote: yes')).toBeInTheDocument();
    expect(
      within(dev).getByText('Requires: nothing (first phase)'),
    ).toBeInTheDocument();
  });

  it('shows a running deployment with its progress and run link', async () => {
    renderContent(new FakeReleaseApi());
    const qa = await screen.findByRole('listitem', { name: 'QA/Demo' });
    expect(within(qa).getByText(/^Deploying 1.2.0/)).toBeInTheDocument();
    expect(
      within(qa).getByRole('progressbar', { name: 'Deploying 1.2.0' }),
    ).toBeInTheDocument();
    expect(within(qa).getByText('Rolling out 2/3 pods')).toBeInTheDocument();
    expect(
      within(qa).getByRole('link', { name: /View deployment run/ }),
    ).toHaveAttribute('href', 'https://ci.example.com/runs/42');
    expect(
      within(qa).getByText('Requires: succeeded in Dev'),
    ).toBeInTheDocument();
  });

  it('shows pending approvals, the lock and the approval gate', async () => {
    renderContent(new FakeReleaseApi());
    const stage = await screen.findByRole('listitem', { name: 'Stage' });
    expect(within(stage).getByText('2 pending approvals')).toBeInTheDocument();
    expect(
      within(stage).getByText('Locked: Load test running'),
    ).toBeInTheDocument();
    expect(
      within(stage).getByText('Approvals required: 1 (not by the requester)'),
    ).toBeInTheDocument();
    expect(within(stage).getByText('Nothing deployed yet')).toBeInTheDocument();
  });

  it('shows the freeze badge and the last failed outcome', async () => {
    renderContent(new FakeReleaseApi());
    const live = await screen.findByRole('listitem', { name: 'Live' });
    expect(
      within(live).getByText('Frozen: Year-end freeze'),
    ).toBeInTheDocument();
    expect(within(live).getByText(/^Last: Failed 1.2.0/)).toBeInTheDocument();
    expect(within(live).getByText('Freeze windows: 1')).toBeInTheDocument();
  });

  it('explains the missing annotation', async () => {
    renderContent(new FakeReleaseApi(), plainEntity);
    expect(
      await screen.findByText(/release.backstage.io\/pipeline/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows an error panel when the backend fails', async () => {
    renderContent(new FakeReleaseApi({ failWith: new Error('Not allowed') }));
    expect(await screen.findByText('Error: Not allowed')).toBeInTheDocument();
  });
});
