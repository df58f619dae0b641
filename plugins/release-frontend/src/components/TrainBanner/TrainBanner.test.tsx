import { screen, waitFor } from '@testing-library/react';
import {
  FakeReleaseApi,
  pipeline,
  releaseEntity,
  train,
  trainMember,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/render';
import { ReleasesContent } from '../ReleasesContent';
import { bannerTrain } from './TrainBanner';

const PAYMENTS = 'component:default/payments';

/** A train of the shop system with the test entity as its first member. */
function shopTrain(overrides: Parameters<typeof train>[0] = {}) {
  const base = train(overrides);
  return {
    ...base,
    members: base.members.map((m, i) =>
      i === 0 ? { ...m, entityRef: PAYMENTS } : m,
    ),
  };
}

describe('TrainBanner', () => {
  it("shows the train in the member's Releases tab, linked to the train", async () => {
    const api = new FakeReleaseApi({
      trains: [
        shopTrain({
          status: 'deploying',
          members: [
            trainMember({ status: 'succeeded' }),
            trainMember({
              entityRef: 'component:default/cart-api',
              order: 2,
              promotionId: 'tp-2',
              status: 'deploying',
            }),
            trainMember({
              entityRef: 'component:default/checkout-web',
              order: 3,
              promotionId: 'tp-3',
              status: 'approved',
            }),
          ],
        }),
      ],
    });
    renderWithApis(<ReleasesContent />, { api, entity: releaseEntity });
    const banner = await screen.findByTestId(
      'train-banner',
      {},
      { timeout: 5000 },
    );
    expect(banner).toHaveTextContent(
      'Part of train Shop → Stage: 1 of 3 deployed',
    );
    expect(
      screen.getByRole('link', {
        name: 'Part of train Shop → Stage: 1 of 3 deployed',
      }),
    ).toHaveAttribute('href', '/catalog/default/system/shop/trains?train=t-1');
    expect(api.callsOf('listEntityTrains')[0]).toEqual([
      PAYMENTS,
      { status: 'all', limit: 10 },
    ]);
  });

  it('shows nothing when no open or recently failed train includes the entity', async () => {
    const api = new FakeReleaseApi({
      trains: [shopTrain({ status: 'succeeded' })],
    });
    renderWithApis(<ReleasesContent />, { api, entity: releaseEntity });
    await screen.findByRole('table', { name: 'Releases by phase' });
    await waitFor(() =>
      expect(api.callsOf('listEntityTrains')).toHaveLength(1),
    );
    expect(screen.queryByTestId('train-banner')).not.toBeInTheDocument();
  });

  it('offers no decision on a member promotion of a train: the train is decided as a whole', async () => {
    const withTrain = JSON.parse(JSON.stringify(pipeline));
    withTrain.phases[2].pending[0].trainId = 't-1';
    const api = new FakeReleaseApi({ pipeline: withTrain });
    renderWithApis(<ReleasesContent />, { api, entity: releaseEntity });
    const note = await screen.findByTestId(
      'train-member-note',
      {},
      { timeout: 5000 },
    );
    expect(note).toHaveTextContent(
      'Part of a release train: approve, reject or cancel the train.',
    );
    // The other pending promotion keeps its buttons.
    expect(screen.getAllByRole('button', { name: /^Approve / })).toHaveLength(
      1,
    );
  });

  it('picks an open train, else a failure of the last day', () => {
    const now = Date.parse('2024-03-01T12:00:00.000Z');
    const failed = train({ id: 'f', status: 'failed' });
    const old = train({
      id: 'o',
      status: 'failed',
      requestedAt: '2024-02-20T10:00:00.000Z',
    });
    const done = train({ id: 'd', status: 'succeeded' });
    const open = train({ id: 'p', status: 'pending_approval' });
    expect(bannerTrain([done, failed, open], now)?.id).toBe('p');
    expect(bannerTrain([done, failed], now)?.id).toBe('f');
    expect(bannerTrain([done, old], now)).toBeUndefined();
  });
});
