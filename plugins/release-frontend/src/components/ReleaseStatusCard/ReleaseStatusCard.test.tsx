import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { releaseApiRef } from '../../api';
import {
  FakeReleaseApi,
  plainEntity,
  releaseEntity,
} from '../../__testUtils__/fixtures';
import { ReleaseStatusCard } from './ReleaseStatusCard';

function renderCard(api: FakeReleaseApi, entity: Entity = releaseEntity) {
  return renderInTestApp(
    <TestApiProvider apis={[[releaseApiRef, api]]}>
      <EntityProvider entity={entity}>
        <ReleaseStatusCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('ReleaseStatusCard', () => {
  it('shows the current version of each phase', async () => {
    renderCard(new FakeReleaseApi());
    const table = await screen.findByRole('table', {
      name: 'Current version per phase',
    });
    const rows = within(table)
      .getAllByRole('row')
      .map(row =>
        Array.from(row.querySelectorAll('th, td')).map(c => c.textContent),
      );
    expect(rows.map(r => r[0])).toEqual(['Dev', 'QA/Demo', 'Stage', 'Live']);
    expect(rows[0][1]).toMatch(/^1.2.0 .+ ago$/);
    expect(rows[1][1]).toMatch(/^1.1.0 .+ ago$/);
    expect(rows[1][2]).toBe('Deploying 1.2.0');
    expect(rows[2][1]).toBe('none');
    expect(rows[3][1]).toBe('none');
  });

  it('shows what waits for the viewer, the last failure and links into the tabs', async () => {
    renderInTestApp(
      <TestApiProvider apis={[[releaseApiRef, new FakeReleaseApi()]]}>
        <EntityProvider entity={releaseEntity}>
          <ReleaseStatusCard />
        </EntityProvider>
      </TestApiProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    const waiting = await screen.findByRole('region', {
      name: 'Waiting for you',
    });
    const link = await within(waiting).findByRole('link', {
      name: '1.2.0 → Stage',
    });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/payments/releases?promotion=p-5',
    );
    expect(
      screen.getByRole('note', { name: 'Last failure' }),
    ).toHaveTextContent(
      /1\.2\.0 failed in Live .+ ago: the provider gave no reason\./,
    );
    expect(screen.getByRole('link', { name: 'Releases' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments/releases',
    );
    expect(screen.getByRole('link', { name: 'Phases' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments/phases',
    );
  });

  it('explains the missing annotation', async () => {
    renderCard(new FakeReleaseApi(), plainEntity);
    expect(screen.getByText('Release status')).toBeInTheDocument();
    expect(
      await screen.findByText(/release.backstage.io\/pipeline/),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the backend fails', async () => {
    renderCard(new FakeReleaseApi({ failWith: new Error('Unreachable') }));
    expect(await screen.findByText('Error: Unreachable')).toBeInTheDocument();
  });
});
