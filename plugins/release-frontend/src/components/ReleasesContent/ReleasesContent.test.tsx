import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeReleaseApi,
  pipeline,
  plainEntity,
  promotion as waitingPromotion,
  promotionDetail,
  release,
  releases,
  responseError,
} from '../../__testUtils__/fixtures';
import {
  clickWhenEnabled,
  expectDisabledWithReason,
  approveAndConfirm,
} from '../../__testUtils__/queries';
import { Authorize, renderWithApis } from '../../__testUtils__/render';
import { useAppLocation } from '@backstage/frontend-plugin-api';
import { ReleasesContent } from './ReleasesContent';

function renderContent(
  api: FakeReleaseApi,
  options: {
    entity?: Entity;
    authorize?: Authorize;
    pageSize?: number;
  } = {},
) {
  return renderWithApis(<ReleasesContent pageSize={options.pageSize} />, {
    api,
    entity: options.entity,
    authorize: options.authorize,
  });
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
      'Actions',
    ]);
    expect(first[0]).toBe('1.2.0');
    expect(first[2]).toMatch(/^Succeeded · .+ agoRunning here$/);
    expect(first.slice(3)).toEqual(['—', '—', '—', 'Promote']);
    expect(second[0]).toBe('1.1.0');
    expect(second[2]).toMatch(/^Superseded · .+ ago$/);
    expect(second[3]).toMatch(/^Succeeded · .+ agoRunning here$/);
  });

  it('shows the absolute time of a status in its title', async () => {
    renderContent(new FakeReleaseApi());
    const table = await screen.findByRole('table', {
      name: 'Releases by phase',
    });
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

    await screen.findByRole('table', { name: 'Releases by phase' });
    expect(
      matrixText()
        .slice(1)
        .map(r => r[0]),
    ).toEqual(['1.4.0', '1.3.0']);

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await within(
      screen.getByRole('table', { name: 'Releases by phase' }),
    ).findByText('1.2.0');
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

  it('opens the promotion a notification links to (?promotion=<id>); closing it drops the parameter', async () => {
    const linked = promotionDetail({
      id: 'p-40',
      phase: 'stage',
      status: 'pending_approval',
      comment: 'Linked from a notification',
    });
    function Location() {
      const location = useAppLocation();
      return <output aria-label="location">{location.search}</output>;
    }
    renderWithApis(
      <>
        <ReleasesContent />
        <Location />
      </>,
      {
        api: new FakeReleaseApi({ promotions: [linked] }),
        initialRouteEntries: ['/?promotion=p-40'],
      },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Promotion' });
    expect(
      await within(dialog).findByText('Linked from a notification'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('location')).toHaveTextContent(
      '?promotion=p-40',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Promotion' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('location')).toHaveTextContent(/^$/);
  });

  it('gives each release and promotion it opens a URL (?release=, ?promotion=) and goes back on close', async () => {
    function Location() {
      const location = useAppLocation();
      return <output aria-label="location">{location.search}</output>;
    }
    renderWithApis(
      <>
        <ReleasesContent />
        <Location />
      </>,
      { api: new FakeReleaseApi() },
    );
    const matrix = await screen.findByRole('table', {
      name: 'Releases by phase',
    });
    await userEvent.click(
      within(matrix).getByRole('button', { name: '1.2.0' }),
    );
    const releaseDialog = await screen.findByRole('dialog', {
      name: 'Release 1.2.0',
    });
    expect(screen.getByLabelText('location')).toHaveTextContent(
      '?release=1.2.0',
    );
    await userEvent.click(
      within(releaseDialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Release 1.2.0' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('location')).toHaveTextContent(/^$/);

    await userEvent.click(
      within(
        await screen.findByRole('table', { name: 'Releases by phase' }),
      ).getByRole('button', { name: /^Succeeded in Dev/ }),
    );
    const promotion = await screen.findByRole('dialog', { name: 'Promotion' });
    expect(screen.getByLabelText('location')).toHaveTextContent(
      '?promotion=p-3',
    );
    // The promotion's page shows what it changed.
    expect(
      await within(promotion).findByRole('region', {
        name: 'What changes in Dev',
      }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(promotion).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('location')).toHaveTextContent(/^$/),
    );
  });

  it('shows an error panel when the backend fails', async () => {
    renderContent(
      new FakeReleaseApi({ failWith: new Error('Release backend is down') }),
    );
    expect(
      await screen.findByText('Error: Release backend is down'),
    ).toBeInTheDocument();
  });
  describe('promote', () => {
    const UUID =
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

    it('requests a promotion to the chosen phase and shows it', async () => {
      const api = new FakeReleaseApi();
      renderContent(api);

      await clickWhenEnabled('Promote 1.2.0');
      const dialog = await screen.findByRole('dialog', {
        name: 'Promote 1.2.0',
      });
      // 1.2.0 succeeded in Dev, so QA/Demo is suggested.
      const phase = within(dialog).getByLabelText(/Phase/) as HTMLSelectElement;
      expect(phase.value).toBe('qa');
      await userEvent.selectOptions(phase, 'stage');
      expect(dialog).toHaveTextContent(
        'Stage requires 1.2.0 to have succeeded in QA/Demo first; it has not.',
      );
      // Skipping a phase is an explicit choice that names it.
      const submit = within(dialog).getByRole('button', {
        name: 'Request promotion',
      });
      expect(submit).toBeDisabled();
      await userEvent.click(
        within(dialog).getByRole('checkbox', {
          name: 'Skip QA/Demo: promote to Stage without it',
        }),
      );
      expect(submit).toBeEnabled();
      await userEvent.type(
        within(dialog).getByLabelText(/Comment/),
        'Hotfix for checkout',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Request promotion' }),
      );

      // The new promotion opens in its detail.
      const detail = await screen.findByRole('dialog', { name: 'Promotion' });
      expect(
        await within(detail).findByText('Hotfix for checkout'),
      ).toBeInTheDocument();
      expect(within(detail).getByText(/^Pending approval/)).toBeInTheDocument();
      const [[entityRef, request, options]] = api.callsOf('createPromotion');
      expect(entityRef).toBe('component:default/payments');
      expect(request).toEqual({
        version: '1.2.0',
        phase: 'stage',
        comment: 'Hotfix for checkout',
        skipRequires: true,
      });
      expect((options as { idempotencyKey: string }).idempotencyKey).toMatch(
        UUID,
      );
    });

    it("shows the server's reason and keeps one key per user action", async () => {
      const api = new FakeReleaseApi({
        actionFailure: await responseError(
          409,
          'ConflictError',
          "The release has not succeeded in 'qa', which 'stage' requires first",
        ),
      });
      renderContent(api);

      await clickWhenEnabled('Promote 1.2.0');
      let dialog = await screen.findByRole('dialog');
      const submit = within(dialog).getByRole('button', {
        name: 'Request promotion',
      });
      await userEvent.click(submit);
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        "The release has not succeeded in 'qa', which 'stage' requires first",
      );
      await userEvent.click(submit);

      // Closing and opening again is a new action with a new key.
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Close' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      await clickWhenEnabled('Promote 1.1.0');
      dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Request promotion' }),
      );
      await within(dialog).findByRole('alert');

      const keys = api
        .callsOf('createPromotion')
        .map(
          ([, , options]) =>
            (options as { idempotencyKey: string }).idempotencyKey,
        );
      expect(keys).toHaveLength(3);
      expect(keys[0]).toBe(keys[1]);
      expect(keys[2]).not.toBe(keys[0]);
    });

    it('marks the phases the user may not promote to', async () => {
      renderContent(new FakeReleaseApi(), {
        authorize: request =>
          'resourceRef' in request &&
          String(request.resourceRef).endsWith('#live')
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      });

      await clickWhenEnabled('Promote 1.2.0');
      const dialog = await screen.findByRole('dialog');
      const phase = within(dialog).getByLabelText(/Phase/);
      expect(
        within(phase).getByRole('option', { name: 'Live (not allowed)' }),
      ).toBeInTheDocument();
      await userEvent.selectOptions(phase, 'live');
      expect(
        within(dialog).getByText('You may not promote to Live'),
      ).toBeInTheDocument();
      expect(
        within(dialog).getByRole('button', { name: 'Request promotion' }),
      ).toBeDisabled();
    });
  });

  describe('promotions', () => {
    it('opens the promotion of a matrix cell', async () => {
      renderContent(new FakeReleaseApi());
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Succeeded in Dev: show the promotion of 1.2.0',
        }),
      );
      const detail = await screen.findByRole('dialog', { name: 'Promotion' });
      expect(
        await within(detail).findByText('1.2.0 → Dev'),
      ).toBeInTheDocument();
      // The requester by name (the change set names people too).
      expect(
        within(detail).getByText('Requested by').nextElementSibling,
      ).toHaveTextContent(/^alice/);
    });

    it('lists the promotions waiting for approval, with approve', async () => {
      const api = new FakeReleaseApi();
      renderContent(api);
      const waiting = await screen.findByRole('table', {
        name: 'Promotions waiting for approval',
      });
      expect(within(waiting).getAllByRole('row')).toHaveLength(3);

      await approveAndConfirm('Approve 1.2.0 to Stage', waiting);

      await waitFor(() =>
        expect(within(waiting).getAllByRole('row')).toHaveLength(2),
      );
      expect(api.callsOf('approvePromotion')).toEqual([['p-5', {}]]);
    });

    it('explains why the user cannot approve their own request', async () => {
      renderContent(new FakeReleaseApi());
      const waiting = await screen.findByRole('table', {
        name: 'Promotions waiting for approval',
      });
      await expectDisabledWithReason(
        'Approve 1.1.0 to Stage',
        'You requested this promotion; someone else must approve it',
        waiting,
      );
    });
  });

  describe('failures up front', () => {
    it('shows the reason in the matrix cell and the last success next to a newer cancelled attempt', async () => {
      const api = new FakeReleaseApi();
      const r = release('1.3.0');
      r.phases = {
        dev: {
          status: 'cancelled',
          promotionId: 'p-c',
          updatedAt: '2024-03-01T12:00:00.000Z',
          current: false,
        },
      };
      api.releases = [r, ...api.releases];
      api.promotions.push(
        promotionDetail({
          id: 'p-ok',
          phase: 'dev',
          version: '1.3.0',
          status: 'succeeded',
          finishedAt: '2024-03-01T09:00:00.000Z',
        }),
        promotionDetail({
          id: 'p-f',
          phase: 'dev',
          version: '1.3.0',
          status: 'failed',
          progressMessage: 'Health checks did not pass',
          finishedAt: '2024-03-01T11:00:00.000Z',
        }),
      );
      renderContent(api);
      const table = await screen.findByRole('table', {
        name: 'Releases by phase',
      });
      const row = await waitFor(() => {
        const found = within(table)
          .getAllByRole('row')
          .find(tr => tr.textContent?.startsWith('1.3.0'));
        expect(found).toHaveTextContent('Health checks did not pass');
        return found!;
      });
      const devCell = row.querySelectorAll('td')[1];
      expect(devCell).toHaveTextContent(/^Cancelled/);
      // The cancel does not hide the failure before it, nor the success.
      expect(devCell).toHaveTextContent(
        'Failed before: Health checks did not pass',
      );
      expect(devCell).toHaveTextContent(/Last success .+ ago/);
    });

    it('draws the pipeline above the matrix', async () => {
      renderContent(new FakeReleaseApi());
      const drawing = await screen.findByRole('list', {
        name: 'Pipeline at a glance',
      });
      expect(
        within(drawing).getByRole('listitem', { name: 'Live summary' }),
      ).toHaveAttribute('data-health', 'failed');
    });
  });
});

describe('ReleasesContent: scheduled promotions', () => {
  it('marks a cell whose promotion waits for its time, with who scheduled it on hover', async () => {
    const scheduled = release('1.3.0', {
      dev: {
        status: 'approved',
        promotionId: 'p-30',
        updatedAt: '2024-03-01T10:00:00.000Z',
        current: false,
        scheduledAt: '2024-03-05T08:00:00.000Z',
        requestedBy: 'user:default/alice',
      },
    });
    renderContent(new FakeReleaseApi({ releases: [scheduled, ...releases] }));
    await screen.findByRole('table', { name: 'Releases by phase' });
    const markers = screen.getAllByTestId('scheduled-marker');
    expect(markers).toHaveLength(1);
    expect(markers[0]).toHaveTextContent(/^Scheduled for /);
    expect(markers[0]).toHaveAccessibleName(
      new RegExp(
        `^Scheduled by alice for ${new Date('2024-03-05T08:00:00.000Z')
          .toLocaleString()
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. At a set time\\.`,
      ),
    );
    expect(matrixText()[1][2]).toMatch(/Scheduled for/);
  });

  it('lists an approved promotion that waits for its time with its schedule, not as waiting for approval', async () => {
    const withScheduled = {
      ...pipeline,
      phases: pipeline.phases.map(p =>
        p.id === 'stage'
          ? {
              ...p,
              pending: [
                ...p.pending,
                waitingPromotion({
                  id: 'p-9',
                  phase: 'stage',
                  version: '1.2.5',
                  status: 'approved',
                  scheduledAt: '2024-03-05T08:00:00.000Z',
                }),
              ],
            }
          : p,
      ),
    };
    renderContent(new FakeReleaseApi({ pipeline: withScheduled }));
    const table = await screen.findByRole('table', {
      name: 'Promotions waiting for approval',
    });
    expect(screen.getByText('Waiting promotions')).toBeInTheDocument();
    const row = within(table)
      .getAllByRole('row')
      .find(r => r.textContent?.includes('1.2.5'))!;
    expect(within(row).getByTestId('scheduled-marker')).toHaveTextContent(
      /^Scheduled for /,
    );
  });
});
