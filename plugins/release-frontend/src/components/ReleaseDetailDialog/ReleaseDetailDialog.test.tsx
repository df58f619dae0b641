import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderWithApis } from '../../__testUtils__/render';
import { releaseApiRef } from '../../api';
import {
  ENTITY_REF,
  FakeReleaseApi,
  pipeline,
  release,
} from '../../__testUtils__/fixtures';
import { ReleaseDetailDialog } from './ReleaseDetailDialog';

describe('ReleaseDetailDialog', () => {
  it('shows the release detail with the notes as plain text', async () => {
    const notes = '<img src=x onerror="alert(1)"> Fixes **rounding**';
    const api = new FakeReleaseApi({
      releases: [
        release(
          '1.3.0',
          {
            dev: {
              status: 'succeeded',
              promotionId: 'p-9',
              updatedAt: new Date().toISOString(),
              current: true,
            },
          },
          { notes, commit: 'deadbeef', createdBy: 'user:default/alice' },
        ),
      ],
    });
    renderInTestApp(
      <TestApiProvider apis={[[releaseApiRef, api]]}>
        <ReleaseDetailDialog
          entityRef={ENTITY_REF}
          version="1.3.0"
          phases={pipeline.phases}
          onClose={jest.fn()}
        />
      </TestApiProvider>,
    );

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('registry.example.com/payments:1.3.0'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Release 1.3.0')).toBeInTheDocument();
    expect(within(dialog).getByText('deadbeef')).toBeInTheDocument();
    expect(dialog).toHaveTextContent(/Created by\s*alice/);
    expect(dialog).not.toHaveTextContent('user:default/alice');
    expect(within(dialog).getByText(notes)).toBeInTheDocument();
    expect(dialog.querySelector('img')).toBeNull();
    expect(within(dialog).getByText('Running here')).toBeInTheDocument();
    expect(within(dialog).getAllByText('Not promoted')).toHaveLength(3);
  });

  it('shows an error panel when the release cannot be loaded', async () => {
    const api = new FakeReleaseApi({ failWith: new Error('backend is down') });
    renderInTestApp(
      <TestApiProvider apis={[[releaseApiRef, api]]}>
        <ReleaseDetailDialog
          entityRef={ENTITY_REF}
          version="1.3.0"
          phases={pipeline.phases}
          onClose={jest.fn()}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Error: backend is down'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Artifact')).not.toBeInTheDocument();
  });

  it('shows planned vs actual per phase and lets a release creator edit the plan', async () => {
    const api = new FakeReleaseApi({
      releases: [
        release(
          '1.4.0',
          {
            dev: {
              status: 'succeeded',
              promotionId: 'p-9',
              updatedAt: '2026-12-05T08:00:00.000Z',
              current: true,
            },
          },
          {
            plannedAt: {
              dev: '2026-12-03T00:00:00.000Z',
              qa: '2020-01-01T00:00:00.000Z',
            },
          },
        ),
      ],
    });
    renderWithApis(
      <ReleaseDetailDialog
        entityRef={ENTITY_REF}
        version="1.4.0"
        phases={pipeline.phases}
        onClose={jest.fn()}
      />,
      { api },
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        'Planned 3 Dec 2026 · done 5 Dec 2026, 2 days late',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Planned 1 Jan 2020 · overdue'),
    ).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Edit plan' }),
    );
    const live = within(dialog).getByLabelText('Live');
    await userEvent.type(live, '2030-06-15');
    await userEvent.clear(within(dialog).getByLabelText('QA/Demo'));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save plan' }),
    );
    expect(api.callsOf('updateReleasePlan')).toEqual([
      [ENTITY_REF, '1.4.0', { qa: null, live: '2030-06-15' }],
    ]);
    expect(
      await within(dialog).findByText('Planned 15 Jun 2030'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/1 Jan 2020/)).not.toBeInTheDocument();
  });

  it('disables plan editing with the reason for those who may not create releases', async () => {
    const api = new FakeReleaseApi({ releases: [release('1.4.0')] });
    renderWithApis(
      <ReleaseDetailDialog
        entityRef="component:default/not-mine"
        version="1.4.0"
        phases={pipeline.phases}
        onClose={jest.fn()}
      />,
      { api, authorize: AuthorizeResult.DENY },
    );
    const dialog = await screen.findByRole('dialog');
    const button = await within(dialog).findByRole('button', {
      name: 'Edit plan',
    });
    expect(button).toBeDisabled();
    await userEvent.hover(within(dialog).getByTestId('disabled-reason'));
    expect(
      await screen.findByText(
        'Only those who may create releases may plan them',
      ),
    ).toBeInTheDocument();
  });
});
