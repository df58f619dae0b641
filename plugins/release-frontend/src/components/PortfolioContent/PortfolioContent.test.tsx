import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { JsonObject } from '@backstage/types';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PortfolioEntry, releaseApiRef } from '../../api';
import {
  FakeReleaseApi,
  pipeline,
  portfolioEntry,
} from '../../__testUtils__/fixtures';
import { ReleasesPortfolioPage } from '../ReleasesPortfolioPage';
import { PortfolioContent } from './PortfolioContent';

function entry(
  name: string,
  overrides: Partial<PortfolioEntry> = {},
): PortfolioEntry {
  return portfolioEntry(
    { ...pipeline, entityRef: `component:default/${name}` },
    { title: undefined, ...overrides },
  );
}

const storefront = entry('checkout-web', {
  owner: 'group:default/team-storefront',
  system: 'storefront',
});

/** A signals API that tests can push messages through. */
class FakeSignals implements SignalApi {
  private readonly listeners = new Map<string, (m: JsonObject) => void>();
  subscribe<TMessage extends JsonObject = JsonObject>(
    channel: string,
    onMessage: (message: TMessage) => void,
  ) {
    this.listeners.set(channel, m => onMessage(m as TMessage));
    return { unsubscribe: () => this.listeners.delete(channel) };
  }
  push(channel: string, message: JsonObject) {
    act(() => this.listeners.get(channel)?.(message));
  }
}

function render(
  api: FakeReleaseApi,
  element = <PortfolioContent />,
  signals?: FakeSignals,
) {
  const identity = mockApis.identity({ userEntityRef: 'user:default/guest' });
  return renderInTestApp(
    signals ? (
      <TestApiProvider
        apis={[[releaseApiRef, api], identity, [signalApiRef, signals]]}
      >
        {element}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[releaseApiRef, api], identity]}>
        {element}
      </TestApiProvider>
    ),
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const rows = () => screen.getAllByTestId('portfolio-row');

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

describe('PortfolioContent', () => {
  it('shows the DORA figures of the owner filter over the chosen period, with the band and the trend', async () => {
    const api = new FakeReleaseApi({ portfolio: [storefront] });
    render(api);
    const section = await screen.findByRole('region', {
      name: 'Delivery (DORA)',
    });
    // No owner or system: GET /metrics needs one; the section says so.
    expect(section).toHaveTextContent(/Filter by an owner or a system/);
    expect(api.callsOf('getGroupMetrics')).toHaveLength(0);

    await userEvent.type(screen.getByLabelText('Owner'), 'team-storefront');
    const frequency = await within(section).findByRole('group', {
      name: 'Deployment frequency',
    });
    expect(frequency).toHaveTextContent('3 / week');
    expect(
      within(section).getByRole('group', { name: 'Change failure rate' }),
    ).toHaveTextContent(/25 %.*1 of 4 deployments/);
    expect(within(section).getByText('DORA: Low')).toBeInTheDocument();
    expect(
      within(section).getByRole('img', {
        name: 'Deployments, failures and median lead time per day',
      }),
    ).toBeInTheDocument();
    expect(section).toHaveTextContent(
      'Delivery (DORA) — owner team-storefront',
    );
    const [query] = api.callsOf('getGroupMetrics').at(-1) as [
      { owner?: string; system?: string; from: string; to: string },
    ];
    expect(query.owner).toBe('team-storefront');
    expect(query.system).toBeUndefined();
    expect(Date.parse(query.to) - Date.parse(query.from)).toBe(30 * 86_400_000);

    // Another period asks again for it.
    await userEvent.click(
      within(section).getByRole('button', { name: 'Period' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 90 days' }),
    );
    await waitFor(() => {
      const [last] = api.callsOf('getGroupMetrics').at(-1) as [
        { from: string; to: string },
      ];
      expect(Date.parse(last.to) - Date.parse(last.from)).toBe(90 * 86_400_000);
    });
  });

  it('lists each service with its phases, linked to its Releases tab', async () => {
    const api = new FakeReleaseApi({
      portfolio: [storefront, entry('payments-api')],
    });
    render(api);
    const table = await screen.findByRole('table', {
      name: 'Services and the versions in their phases',
    });
    expect(within(table).getAllByTestId('portfolio-row')).toHaveLength(2);
    const link = within(table).getByRole('link', {
      name: 'Releases of checkout-web',
    });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-web/releases',
    );
    const row = rows()[0];
    expect(
      within(row).getByText('team-storefront · storefront · production'),
    ).toBeInTheDocument();
    // Each phase with what runs there, or that nothing does yet.
    for (const phase of pipeline.phases) {
      const chip = within(row).getByTestId(`phase-${phase.id}`);
      expect(chip).toHaveTextContent(phase.title);
      expect(chip).toHaveTextContent(phase.current?.version ?? 'nothing yet');
    }
    // A failed deployment shows on its phase.
    const failedPhase = pipeline.phases.find(
      p => p.lastOutcome?.status === 'failed',
    )!;
    expect(
      within(row).getByTestId(`phase-${failedPhase.id}`),
    ).toHaveTextContent('last deployment failed');
    const waiting = pipeline.phases.find(p => p.pending.length > 0)!;
    expect(within(row).getByTestId(`phase-${waiting.id}`)).toHaveTextContent(
      `${waiting.pending.length} waiting`,
    );
  });

  it('filters on the server by text and owner', async () => {
    const api = new FakeReleaseApi({
      portfolio: [storefront, entry('payments-api')],
    });
    render(api);
    await screen.findByRole('table');
    await userEvent.type(screen.getByLabelText('Owner'), 'team-storefront');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('checkout-web');
    expect(api.callsOf('getPortfolio').pop()).toEqual([
      { owner: 'team-storefront', limit: 50, cursor: undefined },
    ]);

    await userEvent.clear(screen.getByLabelText('Owner'));
    await userEvent.type(screen.getByLabelText('Search'), 'nothing-like-it');
    expect(
      await screen.findByText('No service with a release pipeline matches'),
    ).toBeInTheDocument();
  });

  it('pages on the server with the cursor, forward and back', async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      entry(`svc-${String(i).padStart(2, '0')}`),
    );
    const api = new FakeReleaseApi({ portfolio: many });
    render(api);
    await screen.findByRole('table');
    expect(rows()).toHaveLength(50);
    expect(screen.getByText('1–50 of 60')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(rows()).toHaveLength(10));
    expect(screen.getByText('51–60 of 60')).toBeInTheDocument();
    expect(rows()[0]).toHaveTextContent('svc-50');
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    const [, second] = api.callsOf('getPortfolio');
    expect((second[0] as { cursor?: string }).cursor).toBeDefined();
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await waitFor(() => expect(rows()).toHaveLength(50));
    expect(rows()[0]).toHaveTextContent('svc-00');
  });

  it('downloads everything that matches as CSV', async () => {
    const created: Blob[] = [];
    const createObjectURL = jest.fn((b: Blob) => {
      created.push(b);
      return 'blob:portfolio';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    const api = new FakeReleaseApi({
      portfolio: [storefront, entry('payments-api')],
    });
    render(api);
    await screen.findByRole('table');
    await userEvent.type(screen.getByLabelText('System'), 'storefront');
    await waitFor(() => expect(rows()).toHaveLength(1));
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(api.callsOf('getPortfolioCsv')).toEqual([
      [{ system: 'storefront' }],
    ]);
    const text = await created[0].text();
    expect(text).toContain('component:default/checkout-web,dev,');
    expect(text).not.toContain('payments-api');
    click.mockRestore();
  });

  it('reads the page again when a signal names a service on it', async () => {
    const api = new FakeReleaseApi({ portfolio: [entry('payments-api')] });
    const signals = new FakeSignals();
    render(api, <PortfolioContent />, signals);
    await screen.findByRole('table');
    const dev = () => within(rows()[0]).getByTestId('phase-dev');
    expect(dev()).not.toHaveTextContent('9.9.9');

    api.portfolio[0].phases[0].currentVersion = '9.9.9';
    signals.push('release:lifecycle', {
      entityRef: 'component:default/other',
      type: 'promotion.succeeded',
    });
    signals.push('release:lifecycle', {
      entityRef: 'component:default/payments-api',
      type: 'promotion.succeeded',
      phase: 'dev',
    });
    await waitFor(() => expect(dev()).toHaveTextContent('9.9.9'));
    // The first page once, then once for the signal of an entity on it.
    expect(api.callsOf('getPortfolio')).toHaveLength(2);
  });
});

describe('ReleasesPortfolioPage', () => {
  it('has the standard Backstage header', async () => {
    render(new FakeReleaseApi(), <ReleasesPortfolioPage />);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Releases' }),
    ).toBeInTheDocument();
    expect(await screen.findByRole('table')).toBeInTheDocument();
  });
});

describe('PortfolioContent: scheduled promotions', () => {
  it('counts the scheduled promotions of each phase', async () => {
    const scheduledPipeline = {
      ...pipeline,
      phases: pipeline.phases.map(p =>
        p.id === 'live'
          ? {
              ...p,
              pending: [
                {
                  ...p.lastOutcome!,
                  id: 'p-s',
                  status: 'approved' as const,
                  scheduledAt: '2024-03-05T08:00:00.000Z',
                },
              ],
            }
          : p,
      ),
    };
    const api = new FakeReleaseApi({
      portfolio: [
        portfolioEntry(
          { ...scheduledPipeline, entityRef: 'component:default/payments-api' },
          { title: undefined },
        ),
      ],
    });
    render(api);
    const [row] = await screen.findAllByTestId('portfolio-row');
    expect(within(row).getByTestId('phase-live')).toHaveTextContent(
      '1 scheduled',
    );
    expect(within(row).getByTestId('phase-dev')).not.toHaveTextContent(
      'scheduled',
    );
  });
});
