import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeReleaseApi,
  pipeline,
  promotionDetail,
  T0,
} from '../../__testUtils__/fixtures';
import {
  expectDisabledWithReason,
  approveAndConfirm,
} from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { PromotionDetailDialog } from './PromotionDetailDialog';

const rollback = promotionDetail({
  id: 'p-20',
  phase: 'live',
  version: '1.1.0',
  kind: 'rollback',
  status: 'pending_approval',
  requestedBy: 'user:default/alice',
  comment: 'Roll back: <b>errors</b> up',
  approvalsRequired: 2,
  overrideReason: 'Incident 42, freeze overridden',
  skippedRequires: true,
  approvals: [
    {
      userRef: 'user:default/bob',
      decision: 'approve',
      comment: 'Seen the graphs',
      decidedAt: T0,
      valid: true,
    },
    {
      userRef: 'user:default/dave',
      decision: 'approve',
      decidedAt: T0,
      valid: false,
    },
  ],
});

function renderDialog(
  api: FakeReleaseApi,
  onChanged = jest.fn(),
  phases = pipeline.phases,
) {
  renderWithApis(
    <PromotionDetailDialog
      promotionId="p-20"
      phases={phases}
      onClose={jest.fn()}
      onChanged={onChanged}
    />,
    { api, entity: null },
  );
  return screen.findByRole('dialog', { name: 'Promotion' });
}

describe('PromotionDetailDialog', () => {
  it('shows status, kind, requester, comment, override and skipped phase', async () => {
    const dialog = await renderDialog(
      new FakeReleaseApi({ promotions: [rollback] }),
    );
    expect(await within(dialog).findByText('1.1.0 → Live')).toBeInTheDocument();
    expect(within(dialog).getByText('Rollback')).toBeInTheDocument();
    expect(within(dialog).getByText(/^Pending approval/)).toBeInTheDocument();
    expect(within(dialog).getByRole('link', { name: 'alice' })).toBeVisible();
    expect(dialog).toHaveTextContent(/alice \d+ \w+ ago/);
    // User input is text, never HTML.
    expect(
      within(dialog).getByText('Roll back: <b>errors</b> up'),
    ).toBeInTheDocument();
    expect(dialog.querySelector('b')).toBeNull();
    expect(
      within(dialog).getByText('Incident 42, freeze overridden'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Skipped: the release had not succeeded in Stage',
      ),
    ).toBeInTheDocument();
  });

  it('shows the approvals trail: who, when, comment, still valid', async () => {
    const dialog = await renderDialog(
      new FakeReleaseApi({ promotions: [rollback] }),
    );
    expect(
      await within(dialog).findByText('1 of 2 required'),
    ).toBeInTheDocument();
    const trail = within(dialog).getByRole('list', { name: 'Approvals' });
    const [bob, dave] = within(trail).getAllByRole('listitem');
    expect(bob).toHaveTextContent(/^Approved by bob .+ agoSeen the graphs$/);
    expect(within(bob).queryByText('No longer valid')).not.toBeInTheDocument();
    expect(dave).toHaveTextContent(/^Approved by dave .+ ago/);
    expect(within(dave).getByText('No longer valid')).toBeInTheDocument();
    expect(dave).toHaveTextContent(
      '(the release artifact or the phase configuration changed after this decision)',
    );
  });

  it("shows the phase's verification checks with their last result", async () => {
    const phases = pipeline.phases.map(p =>
      p.id === 'live'
        ? {
            ...p,
            checks: [
              {
                name: 'live-readiness',
                type: 'http',
                when: 'before-deploy' as const,
                last: {
                  name: 'live-readiness',
                  type: 'http',
                  when: 'before-deploy' as const,
                  status: 'failed' as const,
                  summary: 'ready is false, not true',
                  url: 'https://checks.example.com/ready',
                  version: '1.1.0',
                  evaluatedAt: T0,
                },
              },
              {
                name: 'smoke',
                type: 'http',
                when: 'after-deploy' as const,
                last: null,
              },
            ],
          }
        : p,
    );
    const dialog = await renderDialog(
      new FakeReleaseApi({ promotions: [rollback] }),
      jest.fn(),
      phases,
    );
    expect(
      await within(dialog).findByText(
        /live-readiness \(before-deploy\): failed for 1\.1\.0 — ready is false, not true/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('link', { name: /^details/ }),
    ).toHaveAttribute('href', 'https://checks.example.com/ready');
    expect(
      within(dialog).getByText('smoke (after-deploy): not evaluated yet'),
    ).toBeInTheDocument();
  });

  it('approves and shows the new state', async () => {
    const api = new FakeReleaseApi({
      promotions: [{ ...rollback, approvals: [], approvalsRequired: 1 }],
      inbox: [rollback],
    });
    const onChanged = jest.fn();
    const dialog = await renderDialog(api, onChanged);
    await approveAndConfirm('Approve 1.1.0 to Live', dialog);
    await waitFor(() =>
      expect(within(dialog).getByText(/^Queued/)).toBeInTheDocument(),
    );
    expect(
      within(within(dialog).getByRole('list', { name: 'Approvals' })).getByRole(
        'listitem',
      ),
    ).toHaveTextContent(/^Approved by guest/);
    expect(onChanged).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'p-20', status: 'queued' }),
    );
    // Decided: no more approve or reject.
    expect(
      within(dialog).queryByRole('button', { name: /^Approve/ }),
    ).not.toBeInTheDocument();
  });

  it('says when the user has decided already', async () => {
    const decided = {
      ...rollback,
      approvals: [
        {
          userRef: 'user:default/guest',
          decision: 'approve' as const,
          decidedAt: T0,
          valid: true,
        },
      ],
    };
    const dialog = await renderDialog(
      new FakeReleaseApi({ promotions: [decided], inbox: [decided] }),
    );
    await expectDisabledWithReason(
      'Approve 1.1.0 to Live',
      'You have already decided on this promotion',
      dialog,
    );
  });

  it('shows the server error when a decision is refused', async () => {
    const api = new FakeReleaseApi({
      promotions: [rollback],
      inbox: [rollback],
      actionFailure: new Error('Phase live is frozen until tomorrow'),
    });
    const dialog = await renderDialog(api);
    await approveAndConfirm('Approve 1.1.0 to Live', dialog, {
      expectClosed: false,
    });
    // The confirmation stays open with the server's message.
    const confirm = screen.getByRole('dialog', {
      name: 'Approve 1.1.0 to Live',
    });
    expect(await within(confirm).findByRole('alert')).toHaveTextContent(
      'Phase live is frozen until tomorrow',
    );
  });

  it('shows the progress reported by the provider and the run link', async () => {
    const deploying = promotionDetail({
      id: 'p-20',
      phase: 'live',
      status: 'deploying',
      externalUrl: 'https://ci.example.com/runs/7',
      progress: [
        { at: T0, message: 'Pulling the release artifact (1/4)', percent: 10 },
        { at: T0, message: 'Rolling out replicas (3/4)', percent: 62.5 },
      ],
    });
    const dialog = await renderDialog(
      new FakeReleaseApi({ promotions: [deploying] }),
    );
    const progress = await within(dialog).findByRole('list', {
      name: 'Progress',
    });
    expect(
      within(progress)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      expect.stringMatching(
        /^Pulling the release artifact \(1\/4\) \(10%\).+ ago$/,
      ),
      expect.stringMatching(/^Rolling out replicas \(3\/4\) \(63%\).+ ago$/),
    ]);
    expect(
      within(dialog).getByRole('link', { name: /View deployment run/ }),
    ).toHaveAttribute('href', 'https://ci.example.com/runs/7');
  });
});

describe('PromotionDetailDialog: re-schedule', () => {
  const scheduled = promotionDetail({
    id: 'p-20',
    phase: 'live',
    version: '1.1.0',
    status: 'approved',
    requestedBy: 'user:default/alice',
    scheduledAt: '2024-03-04T08:00:00.000Z',
  });
  const withWindows = pipeline.phases.map(p =>
    p.id === 'live'
      ? {
          ...p,
          deploymentWindows: {
            restricted: true,
            open: false,
            windows: [
              {
                cron: '0 9 * * 2-4',
                duration: 'PT7H',
                timezone: 'Europe/Berlin',
              },
            ],
            next: {
              startedAt: '2024-03-05T08:00:00.000Z',
              endsAt: '2024-03-05T15:00:00.000Z',
            },
          },
        }
      : p,
  );

  it('moves a scheduled promotion into the next deployment window, and back to as soon as approved', async () => {
    const api = new FakeReleaseApi({ promotions: [scheduled] });
    const onChanged = jest.fn();
    const dialog = await renderDialog(api, onChanged, withWindows);
    expect(
      await within(dialog).findByTestId('promotion-scheduled'),
    ).toHaveTextContent(
      /Deploys no earlier than.*At a set time\. The gates \(approvals, freeze, lock\) are checked again then/,
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Re-schedule 1.1.0 to Live' }),
    );
    const form = await screen.findByRole('dialog', {
      name: 'Re-schedule 1.1.0 to Live',
    });
    // Opens on the current time.
    expect(within(form).getByLabelText('When')).toHaveValue('at');
    await userEvent.selectOptions(
      within(form).getByLabelText('When'),
      'In the next deployment window',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Re-schedule' }),
    );
    await waitFor(() =>
      expect(api.callsOf('schedulePromotion')).toEqual([
        ['p-20', { deployInNextWindow: true }],
      ]),
    );
    await waitFor(() =>
      expect(onChanged).toHaveBeenCalledWith(
        expect.objectContaining({ scheduledAt: '2024-03-05T08:00:00.000Z' }),
      ),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Re-schedule 1.1.0 to Live' }),
      ).not.toBeInTheDocument(),
    );
    // The detail now names the window rule.
    await waitFor(() =>
      expect(
        within(dialog).getByTestId('promotion-scheduled'),
      ).toHaveTextContent(/At the opening of the next deployment window/),
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Re-schedule 1.1.0 to Live' }),
    );
    const again = await screen.findByRole('dialog', {
      name: 'Re-schedule 1.1.0 to Live',
    });
    await userEvent.selectOptions(
      within(again).getByLabelText('When'),
      'As soon as it is approved',
    );
    await userEvent.click(
      within(again).getByRole('button', { name: 'Re-schedule' }),
    );
    await waitFor(() =>
      expect(api.callsOf('schedulePromotion')[1]).toEqual(['p-20', {}]),
    );
  });

  it('shows the server refusal in the dialog', async () => {
    const api = new FakeReleaseApi({ promotions: [scheduled] });
    api.actionFailure = new Error(
      'Promotion p-20 is deploying; only a promotion that is not queued yet can be scheduled',
    );
    const dialog = await renderDialog(api, jest.fn(), withWindows);
    await userEvent.click(
      await within(dialog).findByRole('button', {
        name: 'Re-schedule 1.1.0 to Live',
      }),
    );
    const form = await screen.findByRole('dialog', {
      name: 'Re-schedule 1.1.0 to Live',
    });
    await userEvent.click(
      within(form).getByRole('button', { name: 'Re-schedule' }),
    );
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      /is deploying; only a promotion that is not queued yet/,
    );
  });

  it('is disabled with the reason for who may not request on the phase, and absent once the promotion runs', async () => {
    const denied = withWindows.map(p =>
      p.id === 'live'
        ? {
            ...p,
            actions: {
              deploy: {
                allowed: false,
                reason:
                  'Only the deployers of Live may request promotions to it',
              },
            },
          }
        : p,
    );
    const dialog = await renderDialog(
      new FakeReleaseApi({ promotions: [scheduled] }),
      jest.fn(),
      denied,
    );
    await within(dialog).findByTestId('promotion-scheduled');
    await expectDisabledWithReason(
      'Re-schedule 1.1.0 to Live',
      'Only the deployers of Live may request promotions to it',
      dialog,
    );
  });
});
