import { Entity } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PipelineView } from '@release-manager/backstage-plugin-release-common';
import {
  FakeReleaseApi,
  historyEntries,
  pipeline,
  plainEntity,
  promotion,
  promotionDetail,
  T0,
} from '../../__testUtils__/fixtures';
import {
  clickWhenEnabled,
  expectDisabledWithReason,
  approveAndConfirm,
} from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { PhasesContent } from './PhasesContent';

function renderContent(api: FakeReleaseApi, entity?: Entity) {
  return renderWithApis(<PhasesContent />, { api, entity });
}

const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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
    // By name, linked to the catalog, not as a raw ref.
    expect(dev).toHaveTextContent(/Deployed .+ ago by alice/);
    expect(within(dev).getByRole('link', { name: 'alice' })).toBeVisible();
    expect(within(dev).getByText(/^Last: Succeeded 1.2.0/)).toBeInTheDocument();
    // The gates are in the drawing and the phase's detail.
    const glance = screen.getByRole('listitem', { name: 'Dev summary' });
    expect(glance).toHaveTextContent('auto-promote');
    await userEvent.click(
      within(dev).getByRole('button', {
        name: 'Configuration and gates of Dev',
      }),
    );
    const detail = await screen.findByRole('dialog', { name: 'Phase Dev' });
    expect(within(detail).getByText('Auto-promote: yes')).toBeInTheDocument();
    expect(
      within(detail).getByText('Requires: nothing (first phase)'),
    ).toBeInTheDocument();
  });

  it('shows a running deployment: progress, elapsed time and run link', async () => {
    const started = new Date(Date.now() - 3 * 60_000).toISOString();
    const running: PipelineView = {
      ...pipeline,
      phases: pipeline.phases.map(p =>
        p.id === 'qa'
          ? { ...p, active: { ...p.active!, startedAt: started } }
          : p,
      ),
    };
    renderContent(new FakeReleaseApi({ pipeline: running }));
    const qa = await screen.findByRole('listitem', { name: 'QA/Demo' });
    const active = within(qa).getByRole('group', {
      name: 'Active promotion in QA/Demo',
    });
    expect(within(active).getByText('1.2.0')).toBeInTheDocument();
    expect(within(active).getByText('Deploying')).toBeInTheDocument();
    expect(
      within(active).getByRole('progressbar', { name: 'Deploying 1.2.0' }),
    ).toBeInTheDocument();
    expect(
      within(active).getByText('Rolling out 2/3 pods'),
    ).toBeInTheDocument();
    expect(within(active).getByText(/^Started/)).toHaveTextContent(
      'Started 3 minutes ago, requested by alice',
    );
    expect(
      within(active).getByRole('link', { name: /View deployment run/ }),
    ).toHaveAttribute('href', 'https://ci.example.com/runs/42');
    expect(
      screen.getByRole('listitem', { name: 'QA/Demo summary' }),
    ).toHaveTextContent(/Deploying 1\.2\.0.*after Dev/);
  });

  it('shows a queued promotion with its cancel action', async () => {
    const queued: PipelineView = {
      ...pipeline,
      phases: pipeline.phases.map(p =>
        p.id === 'dev'
          ? {
              ...p,
              active: promotion({
                id: 'p-9',
                version: '1.3.0',
                status: 'queued',
              }),
            }
          : p,
      ),
    };
    const api = new FakeReleaseApi({ pipeline: queued });
    renderContent(api);
    const dev = await screen.findByRole('listitem', { name: 'Dev' });
    const active = within(dev).getByRole('group', {
      name: 'Active promotion in Dev',
    });
    expect(within(active).getByText('Queued')).toBeInTheDocument();
    expect(within(active).getByText(/requested by/)).toHaveTextContent(
      /^Queued .+ ago, requested by alice$/,
    );

    await clickWhenEnabled('Cancel promotion of 1.3.0 to Dev', active);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel promotion' }),
    );
    await waitFor(() =>
      expect(
        within(dev).queryByRole('group', { name: 'Active promotion in Dev' }),
      ).not.toBeInTheDocument(),
    );
    expect(api.callsOf('cancelPromotion')).toEqual([['p-9', {}]]);
  });

  it('lists pending approvals with approve and reject (reject needs a comment)', async () => {
    const api = new FakeReleaseApi();
    renderContent(api);
    const stage = await screen.findByRole('listitem', { name: 'Stage' });
    expect(within(stage).getByText('2 pending approvals')).toBeInTheDocument();
    const waiting = within(stage).getByRole('list', {
      name: 'Waiting for approval in Stage',
    });
    expect(within(waiting).getAllByRole('listitem')).toHaveLength(2);

    await clickWhenEnabled('Reject 1.2.0 to Stage', waiting);
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject 1.2.0 to Stage',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Comment/),
      'Needs a load test first',
    );
    await userEvent.click(confirm);

    await waitFor(() =>
      expect(within(stage).getByText('1 pending approval')).toBeInTheDocument(),
    );
    expect(api.callsOf('rejectPromotion')).toEqual([
      ['p-5', { comment: 'Needs a load test first' }],
    ]);
  });

  it('approves a pending promotion in one click', async () => {
    const api = new FakeReleaseApi();
    renderContent(api);
    const stage = await screen.findByRole('listitem', { name: 'Stage' });
    await approveAndConfirm('Approve 1.2.0 to Stage', stage);
    await waitFor(() =>
      expect(within(stage).getByText('1 pending approval')).toBeInTheDocument(),
    );
    expect(api.callsOf('approvePromotion')).toEqual([['p-5', {}]]);
  });

  it('explains why a user may not decide: own request, not an approver', async () => {
    // The inbox (what the server lets the user decide) leaves p-5 out.
    renderContent(new FakeReleaseApi({ inbox: [] }));
    const stage = await screen.findByRole('listitem', { name: 'Stage' });
    await expectDisabledWithReason(
      'Approve 1.2.0 to Stage',
      'You are not an approver of Stage for this entity',
      stage,
    );
    await expectDisabledWithReason(
      'Approve 1.1.0 to Stage',
      'You requested this promotion; someone else must approve it',
      stage,
    );
    await expectDisabledWithReason(
      'Reject 1.1.0 to Stage',
      'You requested this promotion; cancel it instead of rejecting it',
      stage,
    );
  });

  it('shows the lock with reason, who and when, and unlocks', async () => {
    const api = new FakeReleaseApi();
    renderContent(api);
    const stage = await screen.findByRole('listitem', { name: 'Stage' });
    expect(
      within(stage).getByText('Locked: Load test running'),
    ).toBeInTheDocument();
    expect(within(stage).getByText(/^Locked by/)).toHaveTextContent(
      /^Locked by carol .+ ago$/,
    );

    await clickWhenEnabled('Unlock Stage', stage);
    const dialog = await screen.findByRole('dialog', { name: 'Unlock Stage' });
    expect(dialog).toHaveTextContent('Locked by carol: “Load test running”');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Unlock' }),
    );
    await waitFor(() =>
      expect(
        within(stage).queryByText('Locked: Load test running'),
      ).not.toBeInTheDocument(),
    );
    expect(api.callsOf('unlockPhase')).toEqual([
      ['component:default/payments', 'stage'],
    ]);
  });

  it('locks a phase with a reason', async () => {
    const api = new FakeReleaseApi();
    renderContent(api);
    const dev = await screen.findByRole('listitem', { name: 'Dev' });
    await clickWhenEnabled('Lock Dev', dev);
    const dialog = await screen.findByRole('dialog', { name: 'Lock Dev' });
    const confirm = within(dialog).getByRole('button', { name: 'Lock' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      '<b>Incident</b> 42',
    );
    await userEvent.click(confirm);

    // The reason is text, never HTML.
    expect(
      await within(dev).findByText('Locked: <b>Incident</b> 42'),
    ).toBeInTheDocument();
    expect(dev.querySelector('b')).toBeNull();
    expect(api.callsOf('lockPhase')).toEqual([
      ['component:default/payments', 'dev', '<b>Incident</b> 42'],
    ]);
  });

  it('keeps the cards and warns when a refresh fails', async () => {
    const api = new FakeReleaseApi();
    renderContent(api);
    const dev = await screen.findByRole('listitem', { name: 'Dev' });
    await clickWhenEnabled('Lock Dev', dev);
    const dialog = await screen.findByRole('dialog', { name: 'Lock Dev' });
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'Incident');
    api.failWith = new Error('Backend restarting');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Lock' }));

    expect(
      await screen.findByText(/Could not refresh the pipeline/),
    ).toHaveTextContent(
      'Could not refresh the pipeline (Backend restarting); showing what was last loaded.',
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('listitem', { name: 'Dev' })).toBeInTheDocument();
  });

  it('shows the freeze badge with its reason and end time', async () => {
    renderContent(new FakeReleaseApi());
    const live = await screen.findByRole('listitem', { name: 'Live' });
    expect(
      within(live).getByText('Frozen: Year-end freeze'),
    ).toBeInTheDocument();
    expect(
      within(live).getByText(
        new RegExp(
          `^Until ${new Date('2024-03-02T10:00:00.000Z')
            .toLocaleString()
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        ),
      ),
    ).toBeInTheDocument();
    expect(live).toHaveTextContent(/Last: Failed 1\.2\.0/);
    expect(
      screen.getByRole('listitem', { name: 'Live summary' }),
    ).toHaveTextContent(/Frozen until.*1 freeze window/);
  });

  it('requests a rollback to a version that succeeded in the phase', async () => {
    const api = new FakeReleaseApi();
    api.promotions.push(
      promotionDetail({
        id: 'p-old',
        phase: 'dev',
        version: '1.1.0',
        status: 'succeeded',
      }),
    );
    renderContent(api);
    const dev = await screen.findByRole('listitem', { name: 'Dev' });
    await clickWhenEnabled('Roll back Dev', dev);
    const dialog = await screen.findByRole('dialog', { name: 'Roll back Dev' });
    expect(dialog).toHaveTextContent('1.2.0 runs in Dev now.');
    const select = within(dialog).getByLabelText(/Version/);
    await waitFor(() => expect(select).toBeEnabled());
    // A pick from the versions that succeeded in Dev, not free text.
    expect(
      within(select)
        .getAllByRole('option')
        .map(o => o.getAttribute('value')),
    ).toEqual(['', '1.1.0']);
    await userEvent.selectOptions(select, '1.1.0');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request rollback' }),
    );

    const detail = await screen.findByRole('dialog', { name: 'Promotion' });
    expect(await within(detail).findByText('Rollback')).toBeInTheDocument();
    const [[entityRef, phase, request, options]] = api.callsOf('rollbackPhase');
    expect([entityRef, phase, request]).toEqual([
      'component:default/payments',
      'dev',
      { version: '1.1.0', comment: undefined },
    ]);
    expect((options as { idempotencyKey: string }).idempotencyKey).toMatch(
      UUID,
    );
  });

  it('explains why a phase without a release cannot be rolled back', async () => {
    renderContent(new FakeReleaseApi());
    const stage = await screen.findByRole('listitem', { name: 'Stage' });
    await expectDisabledWithReason(
      'Roll back Stage',
      'Nothing runs in Stage yet, so there is nothing to roll back',
      stage,
    );
  });

  it('opens the detail of a pending promotion', async () => {
    renderContent(new FakeReleaseApi());
    const stage = await screen.findByRole('listitem', { name: 'Stage' });
    const waiting = within(stage).getByRole('list', {
      name: 'Waiting for approval in Stage',
    });
    await userEvent.click(
      within(waiting).getByRole('button', { name: '1.1.0' }),
    );
    const detail = await screen.findByRole('dialog', { name: 'Promotion' });
    expect(
      await within(detail).findByText('1.1.0 → Stage'),
    ).toBeInTheDocument();
    expect(within(detail).getByText('0 of 1 required')).toBeInTheDocument();
  });

  describe('history', () => {
    it('lists who did what, when, with version, phase and reason', async () => {
      const api = new FakeReleaseApi({
        history: [
          {
            id: '7',
            entityRef: 'component:default/payments',
            phase: 'stage',
            version: '1.2.0',
            action: 'approval.reject',
            actor: 'user:default/bob',
            reason: '<script>alert(1)</script> not yet',
            createdAt: T0,
          },
        ],
      });
      renderContent(api);
      const table = await screen.findByRole('table', { name: 'History' });
      const [, row] = within(table).getAllByRole('row');
      const cells = Array.from(row.querySelectorAll('td')).map(
        c => c.textContent,
      );
      expect(cells.slice(1)).toEqual([
        'bob',
        'Rejected',
        '1.2.0',
        'Stage',
        '<script>alert(1)</script> not yet',
      ]);
      expect(cells[0]).toMatch(/ ago/);
      expect(cells[0]).toContain(new Date(T0).toLocaleString());
      expect(row.querySelector('script')).toBeNull();
    });

    it('pages with "Load more" and filters by phase', async () => {
      const api = new FakeReleaseApi({ history: historyEntries(25) });
      renderContent(api);
      const table = await screen.findByRole('table', { name: 'History' });
      expect(within(table).getAllByRole('row')).toHaveLength(21);
      await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
      await waitFor(() =>
        expect(within(table).getAllByRole('row')).toHaveLength(26),
      );
      expect(
        screen.queryByRole('button', { name: 'Load more' }),
      ).not.toBeInTheDocument();

      await userEvent.selectOptions(
        screen.getByLabelText('Phase', { selector: 'select' }),
        'live',
      );
      await waitFor(() =>
        expect(api.callsOf('getHistory').at(-1)).toEqual([
          'component:default/payments',
          { phase: 'live', limit: 20, cursor: undefined },
        ]),
      );
    });
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

  it('shows the configuration of each phase with secrets masked', async () => {
    renderContent(new FakeReleaseApi());
    const stage = await screen.findByRole('listitem', { name: 'Stage' });
    await userEvent.click(
      within(stage).getByRole('button', {
        name: 'Configuration and gates of Stage',
      }),
    );
    const drawer = await screen.findByRole('dialog', { name: 'Phase Stage' });
    const config = within(drawer).getByRole('region', {
      name: 'Configuration of Stage',
    });
    expect(
      await within(config).findByRole('listitem', { name: 'Secret API_TOKEN' }),
    ).toHaveTextContent('API_TOKEN ••••••');
    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close' }),
    );
    const dev = screen.getByRole('listitem', { name: 'Dev' });
    await userEvent.click(
      within(dev).getByRole('button', {
        name: 'Configuration and gates of Dev',
      }),
    );
    const devDrawer = await screen.findByRole('dialog', { name: 'Phase Dev' });
    expect(
      await within(devDrawer).findByText('Not configured yet'),
    ).toBeInTheDocument();
  });
});
