import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  deliveryMetrics,
  FakeReleaseApi,
  plainEntity,
} from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/render';
import { DeliveryCard } from './DeliveryCard';

// jsdom has no layout: give recharts' ResponsiveContainer a size to draw in.
beforeAll(() => {
  class FixedSizeObserver {
    constructor(private readonly cb: ResizeObserverCallback) {}
    observe(target: Element) {
      this.cb(
        [{ target, contentRect: { width: 480, height: 180 } } as any],
        this as any,
      );
    }
    unobserve() {}
    disconnect() {}
  }
  (window as any).ResizeObserver = FixedSizeObserver;
});

const figure = (name: string) => screen.findByRole('group', { name });

describe('DeliveryCard', () => {
  it('shows the four DORA figures with their bands, the overall band and the trend', async () => {
    const api = new FakeReleaseApi();
    renderWithApis(<DeliveryCard />, { api });

    const frequency = await figure('Deployment frequency');
    expect(frequency).toHaveTextContent('3 / week');
    expect(frequency).toHaveTextContent('3 deployments');
    expect(frequency).toHaveTextContent('High');
    expect(await figure('Lead time for changes')).toHaveTextContent(
      /6 h.*p90 9.2 h.*Elite/,
    );
    expect(await figure('Change failure rate')).toHaveTextContent(
      /25 %.*1 of 4 deployments.*Low/,
    );
    expect(await figure('Time to restore')).toHaveTextContent(/2 h.*High/);
    expect(screen.getByText('DORA: Low')).toBeInTheDocument();
    const trend = screen.getByRole('img', {
      name: 'Deployments, failures and median lead time per day',
    });
    // One bar per day for deployments and for failures.
    expect(trend.querySelectorAll('.recharts-bar-rectangle').length).toBe(14);

    // The last 30 days by default.
    const [[entityRef, query]] = api.callsOf('getMetrics') as [
      [string, { from: string; to: string }],
    ];
    expect(entityRef).toBe('component:default/payments');
    expect(Date.parse(query.to) - Date.parse(query.from)).toBe(30 * 86_400_000);
  });

  it('explains each figure on hover', async () => {
    renderWithApis(<DeliveryCard />, { api: new FakeReleaseApi() });
    await userEvent.hover(await figure('Change failure rate'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /failed, or that succeeded and were then rolled back, divided by all finished deployments of new releases there\. Elite: up to 5 %/,
    );
    await userEvent.hover(await figure('Lead time for changes'));
    expect(
      await screen.findByText(/From the release's commit/),
    ).toBeInTheDocument();
  });

  it('asks for another period', async () => {
    const api = new FakeReleaseApi();
    renderWithApis(<DeliveryCard />, { api });
    await figure('Deployment frequency');
    await userEvent.click(screen.getByText('Last 30 days'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('Last 7 days'),
    );
    await waitFor(() => {
      const calls = api.callsOf('getMetrics') as Array<
        [string, { from: string; to: string }]
      >;
      const last = calls[calls.length - 1][1];
      expect(Date.parse(last.to) - Date.parse(last.from)).toBe(7 * 86_400_000);
    });
  });

  it('says so when there were no production deployments', async () => {
    const empty = deliveryMetrics();
    empty.metrics = {
      ...empty.metrics,
      deployments: 0,
      deploymentsPerDay: 0,
      changeDeployments: 0,
      failedDeployments: 0,
      changeFailureRate: null,
      leadTime: { count: 0 },
      timeToRestore: { count: 0 },
      bands: {},
    };
    renderWithApis(<DeliveryCard />, {
      api: new FakeReleaseApi({ metrics: empty }),
    });
    expect(
      await screen.findByText('No production deployments in this period'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/DORA:/)).not.toBeInTheDocument();
  });

  it('explains the missing annotation and shows backend errors', async () => {
    renderWithApis(<DeliveryCard />, {
      api: new FakeReleaseApi(),
      entity: plainEntity,
    });
    expect(
      await screen.findByText(/release.backstage.io\/pipeline/),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the backend fails', async () => {
    renderWithApis(<DeliveryCard />, {
      api: new FakeReleaseApi({ failWith: new Error('Unreachable') }),
    });
    expect(await screen.findByText('Error: Unreachable')).toBeInTheDocument();
  });
});
