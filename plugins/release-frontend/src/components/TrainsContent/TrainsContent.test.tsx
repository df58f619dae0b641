import { useAppLocation } from '@backstage/frontend-plugin-api';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeReleaseApi,
  shopSystem,
  SHOP_REF,
  train,
  trainMember,
  trainPlan,
} from '../../__testUtils__/fixtures';
import {
  approveAndConfirm,
  clickWhenEnabled,
  expectDisabledWithReason,
} from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { TrainsContent } from './TrainsContent';

function Location() {
  const location = useAppLocation();
  return <output aria-label="location">{location.search}</output>;
}

function renderTrains(
  api: FakeReleaseApi,
  options: { route?: string; pageSize?: number } = {},
) {
  return renderWithApis(
    <>
      <TrainsContent pageSize={options.pageSize} />
      <Location />
    </>,
    {
      api,
      entity: shopSystem,
      initialRouteEntries: options.route ? [options.route] : undefined,
    },
  );
}

/** The rows of the trains table as text, header first. */
function rowsText(): string[] {
  const table = screen.getByRole('table', { name: 'Trains' });
  return within(table)
    .getAllByRole('row')
    .map(r => r.textContent ?? '');
}

const succeeded = (id: string) =>
  train({
    id,
    status: 'succeeded',
    canDecide: false,
    canCancel: false,
    members: train().members.map(m => ({ ...m, status: 'succeeded' })),
  });

describe('TrainsContent', () => {
  it('lists the trains of the System, open ones first, page by page', async () => {
    const api = new FakeReleaseApi({
      trains: [
        succeeded('t-9'),
        train({ id: 't-2', phase: 'live', phaseTitle: 'Live' }),
        succeeded('t-8'),
      ],
    });
    renderTrains(api, { pageSize: 2 });
    await screen.findByRole('table', { name: 'Trains' });
    expect(api.callsOf('listTrains')[0]).toEqual([
      { system: SHOP_REF, status: 'all', limit: 2, cursor: undefined },
    ]);
    const rows = rowsText();
    expect(rows).toHaveLength(3);
    // The open train comes first although the server sent it second.
    expect(rows[1]).toMatch(
      /^Shop → Live.*Pending approval.*3 services.*0 of 3 deployed/,
    );
    expect(rows[2]).toMatch(/^Shop → Stage.*Succeeded.*3 of 3 deployed/);
    expect(
      within(screen.getByRole('table')).getAllByText('carol'),
    ).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(rowsText()).toHaveLength(4));
  });

  it('shows an empty state with New train, and the error of a failed load', async () => {
    renderTrains(new FakeReleaseApi());
    expect(await screen.findByText('No trains yet')).toBeInTheDocument();
    await clickWhenEnabled('New train');
    expect(
      await screen.findByRole('dialog', { name: 'New train of Shop' }),
    ).toBeInTheDocument();
  });

  it('shows the error when the trains cannot be loaded', async () => {
    renderTrains(new FakeReleaseApi({ failWith: new Error('backend down') }));
    expect(
      await screen.findByText('Error: backend down', { selector: 'h6' }),
    ).toBeInTheDocument();
  });

  it('disables New train with the reason when no phase can be requested', async () => {
    const api = new FakeReleaseApi({
      trainPlans: {
        stage: trainPlan('stage', {
          canRequest: false,
          reasons: ['You may not promote cart-api to Stage'],
        }),
        live: trainPlan('live', {
          canRequest: false,
          reasons: ['Live is frozen until Monday'],
        }),
      },
    });
    renderTrains(api);
    await expectDisabledWithReason(
      'New train',
      'Stage: You may not promote cart-api to Stage — Live: Live is frozen until Monday',
    );
  });

  it('disables New train when the System has no train configured', async () => {
    renderTrains(new FakeReleaseApi({ trainDefinitions: [] }));
    await expectDisabledWithReason(
      'New train',
      'No train is configured for Shop (release.trains in app-config)',
    );
  });

  it("shows the chosen phase's plan (members in order, versions, blockers) and requests the train", async () => {
    const stage = trainPlan('stage');
    stage.members[1].blockers = ['Stage is locked by bob'];
    stage.canRequest = false;
    stage.reasons = ['cart-api: Stage is locked by bob'];
    const api = new FakeReleaseApi({
      trainPlans: { stage, live: trainPlan('live') },
    });
    renderTrains(api);
    await clickWhenEnabled('New train');
    const dialog = await screen.findByRole('dialog', {
      name: 'New train of Shop',
    });
    const members = await within(dialog).findAllByTestId('plan-member');
    expect(members.map(m => m.textContent)).toEqual([
      '1payments-api1.2.0 → 1.2.1None',
      '2cart-api3.0.0 → 3.1.0Stage is locked by bob',
      '3checkout-web2.5.0 → 2.5.1None',
    ]);
    expect(within(dialog).getByTestId('plan-reasons')).toHaveTextContent(
      'cart-api: Stage is locked by bob',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Request train' }),
    ).toBeDisabled();

    // Live has no blockers: the train can be requested.
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Phase'),
      'live',
    );
    await waitFor(() =>
      expect(api.callsOf('getTrainPlan')).toContainEqual([SHOP_REF, 'live']),
    );
    await userEvent.type(
      within(dialog).getByLabelText('Comment (optional)'),
      'Checkout v2',
    );
    await clickWhenEnabled('Request train', dialog);
    await waitFor(() => expect(api.callsOf('createTrain')).toHaveLength(1));
    const [request, options] = api.callsOf('createTrain')[0] as any[];
    expect(request).toEqual({
      system: SHOP_REF,
      phase: 'live',
      members: [
        { entityRef: 'component:default/payments-api', version: '1.2.1' },
        { entityRef: 'component:default/cart-api', version: '3.1.0' },
        { entityRef: 'component:default/checkout-web', version: '2.5.1' },
      ],
      comment: 'Checkout v2',
    });
    expect(options.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    // The new train opens.
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'location' }),
      ).toHaveTextContent('?train=t-new-1'),
    );
    expect(
      await screen.findByRole('heading', { name: 'Train Shop → Live' }),
    ).toBeInTheDocument();
  });

  it('opens a train from the list with its own URL (?train=<id>), and goes back to a fresh list', async () => {
    const api = new FakeReleaseApi({ trains: [train()] });
    renderTrains(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Shop → Stage' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Train Shop → Stage' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'location' })).toHaveTextContent(
      '?train=t-1',
    );
    // The train moves on while it is open.
    api.trains[0].status = 'deploying';
    await userEvent.click(screen.getByRole('button', { name: 'All trains' }));
    await screen.findByRole('table', { name: 'Trains' });
    await waitFor(() => expect(rowsText()[1]).toMatch(/Deploying/));
    expect(screen.getByRole('status', { name: 'location' })).toHaveTextContent(
      /^$/,
    );
  });

  it('shows the members in deploy order with status, progress and failure reason, and a change set per member (first expanded)', async () => {
    const api = new FakeReleaseApi({
      trains: [
        train({
          status: 'failed',
          canDecide: false,
          canCancel: false,
          rollbackAvailable: true,
          stoppedBy: {
            entityRef: 'component:default/cart-api',
            reason: 'Health check failed',
          },
          members: [
            trainMember({ status: 'succeeded' }),
            trainMember({
              entityRef: 'component:default/cart-api',
              order: 2,
              version: '3.1.0',
              fromVersion: '3.0.0',
              promotionId: 'tp-2',
              status: 'failed',
              failureReason: 'Health check failed',
            }),
            trainMember({
              entityRef: 'component:default/checkout-web',
              order: 3,
              version: '2.5.1',
              promotionId: 'tp-3',
              status: 'cancelled',
            }),
          ],
        }),
      ],
    });
    renderTrains(api, { route: '/?train=t-1' });
    const steps = await screen.findAllByTestId('train-member');
    expect(steps.map(s => s.textContent)).toEqual([
      // Done and failed steps show an icon instead of their number.
      'payments-api1.2.0 → 1.2.1Succeeded',
      'cart-api3.0.0 → 3.1.0FailedHealth check failed',
      '3checkout-web1.2.0 → 2.5.1Cancelled',
    ]);
    expect(screen.getByTestId('train-stopped')).toHaveTextContent(
      'Stopped: cart-api failed: Health check failed',
    );
    // The first member's change set is open, the others load when opened.
    expect(
      await screen.findByText(
        'Deploy 1.2.1 of component:default/payments-api to Stage',
      ),
    ).toBeInTheDocument();
    expect(api.callsOf('getPromotionChanges')).toEqual([['tp-1']]);
    await userEvent.click(
      screen.getByRole('button', { name: 'Changes of cart-api' }),
    );
    expect(
      await screen.findByText(
        'Deploy 3.1.0 of component:default/cart-api to Stage',
      ),
    ).toBeInTheDocument();
    // No decision on a failed train; rollback of what deployed.
    expect(
      screen.queryByRole('button', { name: /Approve/ }),
    ).not.toBeInTheDocument();
    await clickWhenEnabled('Roll back train Shop → Stage');
    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back train Shop → Stage',
    });
    expect(dialog).toHaveTextContent('(payments-api)');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    await waitFor(() =>
      expect(api.callsOf('rollbackTrain')).toEqual([['t-1', {}]]),
    );
  });

  it('approves the whole train once, after a confirmation naming every member', async () => {
    const api = new FakeReleaseApi({ trains: [train()] });
    renderTrains(api, { route: '/?train=t-1' });
    const summary = await approveAndConfirm(
      'Approve train Shop → Stage',
      screen,
      {
        comment: 'Go',
      },
    );
    expect(summary).toBe(
      'Deploy 3 services to Stage: payments-api 1.2.1, cart-api 3.1.0, checkout-web 2.5.1',
    );
    expect(api.callsOf('approveTrain')).toEqual([['t-1', { comment: 'Go' }]]);
    expect(api.callsOf('approvePromotion')).toEqual([]);
    // The train reloads: approved, the first member queued.
    await waitFor(() =>
      expect(screen.getByTestId('train-status')).toHaveTextContent('Approved'),
    );
    expect(
      screen.queryByRole('button', { name: 'Approve train Shop → Stage' }),
    ).not.toBeInTheDocument();
  });

  it('shows why the caller may not decide, and still offers Cancel', async () => {
    const api = new FakeReleaseApi({
      trains: [
        train({
          canDecide: false,
          cannotDecideReason: 'You requested this train',
        }),
      ],
    });
    renderTrains(api, { route: '/?train=t-1' });
    await expectDisabledWithReason(
      'Approve train Shop → Stage',
      'You requested this train',
    );
    await expectDisabledWithReason(
      'Reject train Shop → Stage',
      'You requested this train',
    );
    await clickWhenEnabled('Cancel train Shop → Stage');
    const dialog = await screen.findByRole('dialog', {
      name: 'Cancel train Shop → Stage',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel train' }),
    );
    await waitFor(() =>
      expect(api.callsOf('cancelTrain')).toEqual([['t-1', {}]]),
    );
    await waitFor(() =>
      expect(screen.getByTestId('train-status')).toHaveTextContent('Cancelled'),
    );
  });

  it('rejects with a required comment and shows the server refusal', async () => {
    const api = new FakeReleaseApi({ trains: [train()] });
    renderTrains(api, { route: '/?train=t-1' });
    await clickWhenEnabled('Reject train Shop → Stage');
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject train Shop → Stage',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox'), 'Not today');
    api.actionFailure = new Error('payments-api: Stage is locked by bob');
    await userEvent.click(confirm);
    expect(
      await within(dialog).findByText('payments-api: Stage is locked by bob'),
    ).toBeInTheDocument();
    api.actionFailure = undefined;
    await userEvent.click(confirm);
    await waitFor(() => expect(api.callsOf('rejectTrain')).toHaveLength(2));
    await waitFor(() =>
      expect(screen.getByTestId('train-status')).toHaveTextContent('Rejected'),
    );
  });
});
