import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import App from './App';

const backend = 'http://localhost:7007';

/** Provides app config the way a built app does: a config script tag. */
function injectConfig(data: object) {
  const script = document.createElement('script');
  script.type = 'backstage.io/config';
  script.textContent = JSON.stringify([{ context: 'test', data }]);
  document.head.appendChild(script);
}

/** A token of the shape the guest provider of the auth backend returns. */
function fakeToken(): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '');
  return `${encode({ alg: 'none' })}.${encode({
    sub: 'user:default/guest',
    exp: Math.floor(Date.now() / 1000) + 3600,
  })}.sig`;
}

const payments = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'release.backstage.io/pipeline': 'default' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'guest' },
  relations: [],
};

/** The demo's example template, as the catalog serves it. */
const template = {
  ...parse(
    readFileSync(
      resolve(
        __dirname,
        '../../../examples/templates/release-managed-service/template.yaml',
      ),
      'utf8',
    ),
  ),
  relations: [],
};
template.metadata.namespace = 'default';

const server = setupServer(
  http.get(`${backend}/api/auth/guest/refresh`, () =>
    HttpResponse.json({
      profile: { displayName: 'Guest' },
      providerInfo: {},
      backstageIdentity: {
        token: fakeToken(),
        identity: {
          type: 'user',
          userEntityRef: 'user:default/guest',
          ownershipEntityRefs: ['user:default/guest'],
        },
      },
    }),
  ),
  http.get(
    `${backend}/api/catalog/entities/by-name/component/default/payments`,
    () => HttpResponse.json(payments),
  ),
  http.post(`${backend}/api/permission/authorize`, async ({ request }) => {
    const body = (await request.json()) as { items: Array<{ id: string }> };
    return HttpResponse.json({
      items: body.items.map(({ id }) => ({ id, result: 'ALLOW' })),
    });
  }),
  http.get(
    `${backend}/api/release/entities/component/default/payments/pipeline`,
    () =>
      HttpResponse.json({
        entityRef: 'component:default/payments',
        template: 'default',
        phases: [
          {
            id: 'dev',
            title: 'Dev',
            order: 0,
            providerType: 'simulated',
            current: {
              version: '1.0.0',
              promotionId: 'p1',
              deployedAt: new Date().toISOString(),
              deployedBy: 'user:default/guest',
            },
            active: null,
            pending: [],
            lastOutcome: null,
            lock: null,
            freeze: null,
            gates: {
              requires: null,
              approvalsRequired: 0,
              allowSelfApproval: false,
              freezeWindows: 0,
              autoPromote: true,
            },
          },
        ],
      }),
  ),
  // The portfolio: every entity with a pipeline the user may see.
  http.get(`${backend}/api/release/portfolio`, () =>
    HttpResponse.json({
      items: [
        {
          entityRef: 'component:default/payments',
          kind: 'Component',
          namespace: 'default',
          name: 'payments',
          owner: 'guest',
          lifecycle: 'production',
          pipeline: 'default',
          phases: [
            { id: 'dev', title: 'Dev', currentVersion: '1.0.0', pending: 0 },
            { id: 'live', title: 'Live', pending: 1 },
          ],
        },
      ],
      totalItems: 1,
    }),
  ),
  http.get(
    `${backend}/api/release/entities/component/default/payments/metrics`,
    () =>
      HttpResponse.json({
        from: '2026-10-27T00:00:00.000Z',
        to: '2026-11-26T00:00:00.000Z',
        bucket: 'day',
        entityRefs: ['component:default/payments'],
        productionPhases: { default: 'live' },
        metrics: {
          deployments: 6,
          deploymentsPerDay: 0.2,
          leadTime: { count: 6, medianSeconds: 29400, p90Seconds: 29400 },
          changeFailureRate: 1 / 7,
          failedDeployments: 1,
          changeDeployments: 7,
          timeToRestore: { count: 1, medianSeconds: 28800, p90Seconds: 28800 },
          unrestored: 0,
          bands: {
            deploymentFrequency: 'high',
            leadTime: 'elite',
            changeFailureRate: 'medium',
            timeToRestore: 'high',
            overall: 'medium',
          },
        },
        series: [
          { start: '2026-10-27T00:00:00.000Z', deployments: 1, failures: 0 },
        ],
      }),
  ),
  // The demo template, for the scaffolder's template list.
  http.post(`${backend}/api/catalog/entities/by-query`, async ({ request }) => {
    const query = JSON.stringify(await request.json());
    return HttpResponse.json(
      /kind[^a-z]+template/i.test(query)
        ? { items: [template], totalItems: 1, pageInfo: {} }
        : { items: [], totalItems: 0, pageInfo: {} },
    );
  }),
  // Everything else (catalog lists, relations, releases): empty.
  http.all(`${backend}/api/*`, () =>
    HttpResponse.json({ items: [], totalItems: 0, pageInfo: {}, facets: {} }),
  ),
);

describe('App', () => {
  registerMswTestHooks(server);

  beforeAll(() => {
    injectConfig({
      app: { title: 'Release Manager test', baseUrl: 'http://localhost' },
      backend: { baseUrl: backend },
    });
  });

  it('signs in as guest and shows the release tabs of an entity', async () => {
    window.history.replaceState(
      null,
      '',
      '/catalog/default/component/payments',
    );
    render(App.createRoot());

    // The first render loads the app's chunks: slow on a busy machine.
    expect(
      await screen.findByText('Guest', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Enter' }));

    expect(
      await screen.findByRole('navigation', { name: 'sidebar nav' }),
    ).toBeInTheDocument();
    // The overview shows the release status card, the header both tabs.
    expect(
      await screen.findByText('Release status', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect((await screen.findAllByText('1.0.0'))[0]).toBeInTheDocument();
    // …and the delivery card with the DORA figures and band.
    expect(
      await screen.findByText('DORA: Medium', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('1.4 / week')).toBeInTheDocument();
    // The tab and the card's link lead to the same place.
    for (const link of screen.getAllByRole('link', { name: 'Phases' })) {
      expect(link).toHaveAttribute(
        'href',
        '/catalog/default/component/payments/phases',
      );
    }

    // The entity tab (the sidebar has a "Releases" page too).
    const releasesTab = screen
      .getAllByRole('link', { name: 'Releases' })
      .find(l => l.getAttribute('href')?.endsWith('/payments/releases'))!;
    await userEvent.click(releasesTab);
    expect(
      await screen.findByText('No releases yet', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
  }, 30000);

  it('has an Approvals page in the sidebar that shows the inbox', async () => {
    // Sign in again: forget the session of the previous test. The app keeps
    // its own history, so the page is reached through the sidebar.
    localStorage.clear();
    render(App.createRoot());

    await userEvent.click(await screen.findByRole('button', { name: 'Enter' }));
    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    const link = within(nav).getByRole('link', { name: 'Approvals' });
    expect(link).toHaveAttribute('href', '/release/approvals');
    await userEvent.click(link);
    expect(
      await screen.findByText(
        'Nothing waits for your approval',
        {},
        { timeout: 10000 },
      ),
    ).toBeInTheDocument();
    // The standard Backstage page header, with its subtitle.
    expect(
      screen.getByText('Promotions waiting for your decision'),
    ).toBeInTheDocument();
  }, 30000);

  it('has a Releases page in the sidebar that lists the services with a pipeline', async () => {
    localStorage.clear();
    render(App.createRoot());

    await userEvent.click(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 10000 }),
    );
    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    const link = within(nav).getByRole('link', { name: 'Releases' });
    expect(link).toHaveAttribute('href', '/release/portfolio');
    await userEvent.click(link);
    const open = await screen.findByRole(
      'link',
      { name: 'Releases of payments' },
      { timeout: 10000 },
    );
    expect(open).toHaveAttribute(
      'href',
      '/catalog/default/component/payments/releases',
    );
    expect(screen.getByText(/1 waiting/)).toBeInTheDocument();
  }, 30000);

  it('has a Create page in the sidebar that offers the release-managed service template', async () => {
    localStorage.clear();
    render(App.createRoot());

    await userEvent.click(await screen.findByRole('button', { name: 'Enter' }));
    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    const link = within(nav).getByRole('link', { name: /Create/ });
    expect(link).toHaveAttribute('href', '/create');
    await userEvent.click(link);
    expect(
      await screen.findByText(
        'Service with a release pipeline',
        {},
        { timeout: 10000 },
      ),
    ).toBeInTheDocument();
  }, 30000);
});
