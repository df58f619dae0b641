import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeReleaseApi,
  promotionDetail,
  release,
  releases,
  T0,
} from '../../__testUtils__/fixtures';
import {
  clickWhenEnabled,
  approveAndConfirm,
} from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { ApprovalsContent } from './ApprovalsContent';

const toLive = promotionDetail({
  id: 'p-30',
  phase: 'live',
  version: '1.2.0',
  status: 'pending_approval',
  requestedBy: 'user:default/alice',
  comment: 'Verified on Stage for 4 days',
  approvalsRequired: 3,
  approvals: [
    {
      userRef: 'user:default/bob',
      decision: 'approve',
      decidedAt: T0,
      valid: true,
    },
  ],
});
const toStage = promotionDetail({
  id: 'p-31',
  phase: 'stage',
  version: '1.3.0',
  status: 'pending_approval',
  requestedBy: 'user:default/carol',
  approvalsRequired: 1,
});

function renderInbox(api: FakeReleaseApi) {
  return renderWithApis(<ApprovalsContent />, {
    api,
    entity: null,
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

function inboxApi() {
  return new FakeReleaseApi({
    promotions: [toLive, toStage],
    inbox: [toLive, toStage],
    releases: [release('1.3.0'), ...releases],
  });
}

describe('ApprovalsContent', () => {
  it('lists what waits for the user: entity, version, phase, requester, comment, approvals', async () => {
    renderInbox(inboxApi());
    const table = await screen.findByRole('table', {
      name: 'Promotions waiting for your decision',
    });
    const live = within(table).getByTestId('approval-p-30');
    const stage = within(table).getByTestId('approval-p-31');
    expect(
      within(live).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments');
    // Phase titles and what runs there come from the bulk status call.
    await waitFor(() => expect(live).toHaveTextContent('1.2.0 → Live'));
    expect(live).toHaveTextContent('alice');
    expect(live).not.toHaveTextContent('user:default/alice');
    expect(live).toHaveTextContent('Verified on Stage for 4 days');
    expect(live).toHaveTextContent('1 of 3');
    expect(stage).toHaveTextContent('1.3.0 → Stage');
    expect(stage).toHaveTextContent('0 of 1');
    expect(stage).toHaveTextContent('—');
  });

  it('approves after confirming the one-line summary; the promotion leaves the inbox', async () => {
    const api = inboxApi();
    renderInbox(api);
    const table = await screen.findByRole('table');
    await waitFor(() => expect(table).toHaveTextContent('1.3.0 → Stage'));
    expect(
      await approveAndConfirm('Approve 1.2.0 to Live', table, {
        expectClosed: true,
      }),
    ).toBe('Deploy 1.2.0 to Live, no config changes');
    api.callsOf('approvePromotion').splice(0);
    await approveAndConfirm('Approve 1.3.0 to Stage', table);

    expect(await screen.findByRole('status')).toHaveTextContent(
      'You approved 1.3.0 of component:default/payments to Stage; it is now queued.',
    );
    await waitFor(() =>
      expect(within(table).queryByTestId('approval-p-31')).toBeNull(),
    );
    expect(api.callsOf('approvePromotion')).toEqual([
      ['p-30', {}],
      ['p-31', {}],
    ]);
  });

  it('says when a promotion still needs more approvals', async () => {
    renderInbox(inboxApi());
    const table = await screen.findByRole('table');
    await waitFor(() => expect(table).toHaveTextContent('1.2.0 → Live'));
    await approveAndConfirm('Approve 1.2.0 to Live', table);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'You approved 1.2.0 of component:default/payments to Live; it waits for more approvals.',
    );
  });

  it('asks for a comment to reject', async () => {
    const api = inboxApi();
    renderInbox(api);
    const table = await screen.findByRole('table');
    await waitFor(() => expect(table).toHaveTextContent('1.2.0 → Live'));
    await clickWhenEnabled('Reject 1.2.0 to Live', table);
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject 1.2.0 to Live',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Comment/),
      'Not during the sale',
    );
    await userEvent.click(confirm);

    expect(await screen.findByRole('status')).toHaveTextContent(
      'You rejected 1.2.0 of component:default/payments to Live.',
    );
    expect(api.callsOf('rejectPromotion')).toEqual([
      ['p-30', { comment: 'Not during the sale' }],
    ]);
    await waitFor(() =>
      expect(within(table).queryByTestId('approval-p-30')).toBeNull(),
    );
  });

  it('shows an empty state when nothing waits', async () => {
    renderInbox(new FakeReleaseApi({ inbox: [] }));
    expect(
      await screen.findByText('Nothing waits for your approval'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows an error panel when the inbox cannot be read', async () => {
    renderInbox(new FakeReleaseApi({ failWith: new Error('Backend down') }));
    expect(await screen.findByText('Error: Backend down')).toBeInTheDocument();
  });

  it('shows what changes for the first item, and for others on demand, with a link to the promotion', async () => {
    const api = inboxApi();
    renderInbox(api);
    const table = await screen.findByRole('table');
    await waitFor(() => expect(table).toHaveTextContent('1.2.0 → Live'));
    const first = await screen.findByRole('button', {
      name: 'What changes with 1.2.0 to Live',
    });
    expect(first).toHaveAttribute('aria-expanded', 'true');
    const live = await screen.findByRole('region', {
      name: 'What changes in Live',
    });
    // The move is from what runs in Live (nothing) to the promoted release.
    expect(
      await within(live).findByTestId('change-set-versions'),
    ).toHaveTextContent('nothing → 1.2.0 (first deployment)');
    expect(within(live).getByTestId('change-set-approvals')).toHaveTextContent(
      '1 of 2 — approved by bob',
    );
    expect(api.callsOf('getPromotionChanges')).toContainEqual(['p-30']);
    expect(api.callsOf('getPhaseDiff')).toEqual([]);
    expect(
      screen.getByRole('link', { name: 'Open the promotion of 1.2.0 to Live' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments/releases?promotion=p-30',
    );

    const second = screen.getByRole('button', {
      name: 'What changes with 1.3.0 to Stage',
    });
    expect(second).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(second);
    expect(
      await screen.findByRole('region', { name: 'What changes in Stage' }),
    ).toBeInTheDocument();
    await userEvent.click(first);
    expect(
      screen.queryByRole('region', { name: 'What changes in Live' }),
    ).not.toBeInTheDocument();
  });
});
