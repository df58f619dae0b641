import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Root } from 'react-dom/client';
import { createDevApp } from './createDevApp';
import { createDevFeatures } from './features';
import { DemoReleaseApi } from './DemoReleaseApi';

// What `backstage-cli package start` hands the app; no backend runs.
const APP_CONFIG = [
  {
    context: 'dev',
    data: {
      app: { title: 'Release dev', baseUrl: 'http://localhost:3000' },
      backend: { baseUrl: 'http://localhost:7007' },
    },
  },
];

const FIND = { timeout: 20_000 };

describe('the dev app (dev/index.tsx)', () => {
  const env = process.env;
  let root: Root | undefined;

  beforeEach(() => {
    process.env = { ...env, APP_CONFIG: APP_CONFIG as unknown as string };
    const element = document.createElement('div');
    element.id = 'root';
    document.body.appendChild(element);
    window.history.replaceState(null, '', '/');
  });

  afterEach(() => {
    act(() => root?.unmount());
    root = undefined;
    document.body.innerHTML = '';
    process.env = env;
  });

  it('opens the demo service and shows both tabs, the card and the inbox without a backend', async () => {
    const api = new DemoReleaseApi();
    const fetchSpy = jest.spyOn(global, 'fetch');
    act(() => {
      root = createDevApp({ features: createDevFeatures({ releaseApi: api }) });
    });

    // `/` sends you to the Releases tab of payments-api: the release matrix.
    const matrix = await screen.findByRole(
      'table',
      { name: 'Releases by phase' },
      FIND,
    );
    expect(window.location.pathname).toBe(
      '/catalog/default/component/payments-api/releases',
    );
    for (const title of ['Dev', 'QA/Demo', 'Stage', 'Live']) {
      expect(
        within(matrix).getByRole('columnheader', { name: title }),
      ).toBeInTheDocument();
    }
    const row = within(matrix).getByText('1.4.0').closest('tr')!;
    expect(within(row).getByText(/deploying/i)).toBeInTheDocument();

    // The Phases tab: four phase cards and the running deployment.
    await userEvent.click(screen.getByRole('link', { name: 'Phases' }));
    const phases = await screen.findByRole(
      'list',
      { name: 'Pipeline phases' },
      FIND,
    );
    for (const title of ['Dev', 'QA/Demo', 'Stage', 'Live']) {
      expect(
        within(phases).getByRole('listitem', { name: title }),
      ).toBeInTheDocument();
    }
    const qa = within(phases).getByRole('listitem', { name: 'QA/Demo' });
    expect(
      await within(qa).findByRole('progressbar', { name: 'Deploying 1.4.0' }),
    ).toBeInTheDocument();
    // Phase configuration (in the phase's detail) shows secrets by name and
    // fingerprint only.
    await userEvent.click(
      within(within(phases).getByRole('listitem', { name: 'Live' })).getByRole(
        'button',
        { name: 'Configuration and gates of Live' },
      ),
    );
    const drawer = await screen.findByRole('dialog', { name: 'Phase Live' });
    const secret = await within(drawer).findByRole(
      'listitem',
      { name: 'Secret GATEWAY_API_KEY' },
      FIND,
    );
    expect(within(secret).getByLabelText('value hidden')).toHaveTextContent(
      '••••••',
    );
    expect(secret).toHaveTextContent('fingerprint hmac:93bd02');
    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close' }),
    );

    // The overview has the Release status card and the Delivery card.
    await userEvent.click(screen.getByRole('link', { name: 'Overview' }));
    expect(
      await screen.findByText('Release status', {}, FIND),
    ).toBeInTheDocument();
    expect(await screen.findByText(/^DORA: /, {}, FIND)).toBeInTheDocument();

    // The Approvals page lists the Stage promotion Alice asked for.
    await userEvent.click(
      await screen.findByRole('link', { name: /Approvals/ }),
    );
    const inbox = await screen.findByRole(
      'table',
      { name: 'Promotions waiting for your decision' },
      FIND,
    );
    expect(
      within(inbox).getByRole('button', { name: 'Approve 1.3.0 to Stage' }),
    ).toBeInTheDocument();

    // Nothing went over the network: everything came from the demo APIs.
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
    // The whole app in jsdom, with lazily loaded cards and charts: slow on
    // a busy 2-core machine.
  }, 90_000);

  it('says clearly when the page has no #root element', () => {
    document.body.innerHTML = '';
    expect(() => createDevApp({ features: [] })).toThrow(
      "Could not find the dev app root element '#root'",
    );
  });
});
