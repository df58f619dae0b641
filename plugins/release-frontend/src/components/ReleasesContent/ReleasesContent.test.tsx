import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { releaseApiRef } from '../../api';
import {
  FakeReleaseApi,
  plainEntity,
  release,
  releaseEntity,
  releases,
} from '../../__testUtils__/fixtures';
import { ReleasesContent } from './ReleasesContent';

function renderContent(
  api: FakeReleaseApi,
  options: {
    entity?: Entity;
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    pageSize?: number;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseApiRef, api],
        mockApis.permission({
          authorize: options.authorize ?? AuthorizeResult.ALLOW,
        }),
      ]}
    >
      <EntityProvider entity={options.entity ?? releaseEntity}>
        <ReleasesContent pageSize={options.pageSize} />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** The matrix as text: one array per row, header first. */
function matrixText(): string[][] {
  const table = screen.getByRole('table', { name: 'Releases by phase' });
  return within(table)
    .getAllByRole('row')
    .map(row =>
      Array.from(row.querySelectorAll('th, td')).map(
        cell => cell.textContent ?? '',
      ),
    );
}

describe('ReleasesContent', () => {
  it('shows a release × phase matrix, newest release first', async () => {
    renderContent(new FakeReleaseApi());

    await screen.findByRole('table', { name: 'Releases by phase' });
    const [header, first, second] = matrixText();
    expect(header).toEqual([
      'Release',
      'Created',
      'Dev',
      'QA/Demo',
      'Stage',
      'Live',
    ]);
    expect(first[0]).toBe('1.2.0');
    expect(first[2]).toMatch(/^Succeeded · .+ agoRunning here$/);
    expect(first.slice(3)).toEqual(['—', '—', '—']);
    expect(second[0]).toBe('1.1.0');
    expect(second[2]).toMatch(/^Superseded · .+ ago$/);
    expect(second[3]).toMatch(/^Succeeded · .+ agoRunning here$/);
  });

  it('shows the absolute time of a status in its title', async () => {
    renderContent(new FakeReleaseApi());
    const table = await screen.findByRole('table');
    const firstRow = within(table).getAllByRole('row')[1];
    const time = within(firstRow).getAllByText(/ago$/)[1];
    expect(time).toHaveAttribute(
      'title',
      new Date(releases[0].phases.dev.updatedAt).toLocaleString(),
    );
  });

  it('loads the next page on "Load more"', async () => {
    const many = [
      release('1.4.0'),
      release('1.3.0'),
      release('1.2.0'),
      release('1.1.0'),
      release('1.0.0'),
    ];
    renderContent(new FakeReleaseApi({ releases: many }), { pageSize: 2 });

    await screen.findByRole('table');
    expect(
      matrixText()
        .slice(1)
        .map(r => r[0]),
    ).toEqual(['1.4.0', '1.3.0']);

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('1.2.0');
    expect(
      matrixText()
        .slice(1)
        .map(r => r[0]),
    ).toEqual(['1.4.0', '1.3.0', '1.2.0', '1.1.0']);

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('1.0.0');
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('creates a release and shows it in the matrix', async () => {
    const api = new FakeReleaseApi();
    renderContent(api);

    await userEvent.click(
      await screen.findByRole('button', { name: /Create release/ }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Version/), '1.3.0');
    await userEvent.type(
      within(dialog).getByLabelText(/Artifact/),
      'img:1.3.0',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() => expect(matrixText()[1][0]).toBe('1.3.0'));
    expect(api.created).toHaveLength(1);
  });

  it('disables "Create release" with the reason when not allowed', async () => {
    // usePermission caches answers per permission and resource ref across
    // renders, so this test uses an entity no other test asks about.
    const denied: Entity = {
      ...releaseEntity,
      metadata: { ...releaseEntity.metadata, name: 'payments-denied' },
    };
    renderContent(new FakeReleaseApi(), {
      entity: denied,
      authorize: AuthorizeResult.DENY,
    });

    await screen.findByRole('table');
    // Re-query: the button is re-rendered once the permission answer arrives.
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: /Create release/ }),
      ).toBeDisabled(),
    );
    await userEvent.hover(screen.getByTestId('create-release-disabled'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You are not allowed to create releases of component:default/payments-denied',
    );
  });

  it('shows the release detail when a version is clicked', async () => {
    renderContent(new FakeReleaseApi());

    await userEvent.click(await screen.findByRole('button', { name: '1.1.0' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Release 1.1.0')).toBeInTheDocument();
    expect(
      await within(dialog).findByText('registry.example.com/payments:1.1.0'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Notes of 1.1.0')).toBeInTheDocument();
  });

  it('shows an empty state with the create action when there are no releases', async () => {
    renderContent(new FakeReleaseApi({ releases: [] }));
    expect(await screen.findByText('No releases yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Create release/ }),
    ).toBeInTheDocument();
  });

  it('explains the missing annotation', async () => {
    renderContent(new FakeReleaseApi(), { entity: plainEntity });
    expect(
      await screen.findByText(/release.backstage.io\/pipeline/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows an error panel when the backend fails', async () => {
    renderContent(
      new FakeReleaseApi({ failWith: new Error('Release backend is down') }),
    );
    expect(
      await screen.findByText('Error: Release backend is down'),
    ).toBeInTheDocument();
  });
});
