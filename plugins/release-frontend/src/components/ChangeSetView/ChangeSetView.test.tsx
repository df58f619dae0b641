import { screen, within } from '@testing-library/react';
import { ChangeSet } from '@release-manager/backstage-plugin-release-common';
import { FakeReleaseApi, T0 } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/render';
import { ChangeSetDetails, ChangeSetView } from './ChangeSetView';

const NONE = { added: [], removed: [], changed: [] };

/** A change set as the backend answers GET /promotions/{id}/changes. */
const changes: ChangeSet = {
  entityRef: 'component:default/payments',
  phase: { id: 'live', title: 'Live' },
  promotion: {
    id: 'p-1',
    status: 'pending_approval',
    kind: 'promote',
    requestedBy: 'user:default/alice',
    requestedAt: T0,
  },
  direction: 'upgrade',
  from: {
    version: '1.0.0',
    commit: 'a'.repeat(40),
    configVersion: 3,
    configSource: 'promotion-snapshot',
    deployedAt: T0,
    deployedBy: 'user:default/bob',
  },
  to: {
    version: '1.2.0',
    commit: 'b'.repeat(40),
    artifact: 'registry.example.com/pay@sha256:12',
    configVersion: 5,
    configSource: 'promotion-snapshot',
  },
  releases: [
    {
      version: '1.1.0',
      notes: '<b>Refunds</b>',
      createdBy: 'ci',
      createdAt: T0,
    },
    { version: '1.2.0', notes: 'Faster', createdBy: 'ci', createdAt: T0 },
  ],
  commits: {
    fromCommit: 'a'.repeat(40),
    toCommit: 'b'.repeat(40),
    host: 'github',
    compareUrl: `https://github.com/acme/pay/compare/${'a'.repeat(
      40,
    )}...${'b'.repeat(40)}`,
    total: 1,
    list: [{ sha: 'c'.repeat(40), message: 'Add refunds', author: 'Alice' }],
  },
  config: {
    known: true,
    variables: {
      added: [{ key: 'FEATURE_X', to: 'on' }],
      removed: [],
      changed: [{ key: 'LOG_LEVEL', from: 'warn', to: 'error' }],
    },
    database: NONE,
    sizing: {
      added: [],
      removed: [],
      changed: [{ key: 'replicas', from: 4, to: 6 }],
    },
    secrets: {
      added: [],
      removed: [],
      changed: [{ key: 'DB_PASSWORD', from: 'f00dfeed99', to: 'beefcafe11' }],
    },
  },
  gates: {
    approvals: {
      required: 2,
      count: 1,
      approvedBy: [{ userRef: 'user:default/lead', decidedAt: T0 }],
      rejectedBy: [],
      voided: ['user:default/carol'],
    },
    requires: { phase: 'stage', met: true, succeededAt: T0 },
    lock: null,
    freeze: {
      active: null,
      next: {
        reason: 'No Saturday deployments',
        startsAt: '2024-03-02T00:00:00.000Z',
        endsAt: '2024-03-03T00:00:00.000Z',
      },
    },
    checks: [
      {
        name: 'live-readiness',
        type: 'http',
        status: 'passed',
        summary: 'ready is true',
        url: 'https://ready.example.com/payments',
        evaluatedAt: T0,
      },
    ],
    approvingDeploysNow: true,
    waitingFor: [],
  },
  comparedWithSource: {
    phase: { id: 'stage', title: 'Stage' },
    version: '1.2.0',
    configVersion: 7,
    configSource: 'promotion-snapshot',
    config: {
      known: true,
      variables: {
        added: [],
        removed: [],
        changed: [{ key: 'LOG_LEVEL', from: 'info', to: 'error' }],
      },
      database: NONE,
      sizing: NONE,
      secrets: NONE,
    },
  },
  summary: {
    configChanges: 3,
    secretChanges: 1,
    text: 'Deploy 1.2.0 to Live, 3 config changes, 1 secret changed',
  },
};

describe('ChangeSetView', () => {
  it('shows the version move, the releases with notes as text, the commits, the config and secret changes, the gates and the source comparison', async () => {
    await renderWithApis(<ChangeSetDetails changes={changes} />, {
      api: new FakeReleaseApi(),
    });
    const region = screen.getByRole('region', { name: 'What changes in Live' });
    expect(within(region).getByTestId('change-set-summary')).toHaveTextContent(
      'Deploy 1.2.0 to Live, 3 config changes, 1 secret changed',
    );
    expect(within(region).getByTestId('change-set-versions')).toHaveTextContent(
      '1.0.0 → 1.2.0 (upgrade)',
    );
    const releases = within(region).getByRole('list', { name: 'Releases' });
    expect(within(releases).getAllByRole('listitem')).toHaveLength(2);
    // Notes are text, never HTML.
    expect(releases).toHaveTextContent('<b>Refunds</b>');
    expect(releases.querySelector('b')).toBeNull();
    expect(
      within(region).getByRole('link', { name: /Compare aaaaaaa…bbbbbbb/ }),
    ).toHaveAttribute('href', changes.commits.compareUrl);
    expect(
      within(region).getByRole('list', { name: 'Commit list' }),
    ).toHaveTextContent('ccccccc Add refunds — Alice');
    const vars = within(region).getByRole('list', {
      name: 'Changes in Live: Variables',
    });
    expect(vars).toHaveTextContent('+ FEATURE_X = on');
    expect(vars).toHaveTextContent('~ LOG_LEVEL: warn → error');
    expect(
      within(region).getByRole('list', { name: 'Changes in Live: Secrets' }),
    ).toHaveTextContent(
      '~ DB_PASSWORD changed (fingerprint f00dfeed → beefcafe)',
    );
    expect(
      within(region).getByTestId('change-set-approvals'),
    ).toHaveTextContent(
      '1 of 2 — approved by lead (voided by a later change: carol)',
    );
    expect(region).toHaveTextContent('No Saturday deployments');
    expect(region).toHaveTextContent(
      'One more approval deploys it to Live now.',
    );
    const source = within(region).getByRole('region', {
      name: 'Compared with Stage, where it was tested',
    });
    expect(
      within(source).getByRole('list', {
        name: 'Stage compared with Live: Variables',
      }),
    ).toHaveTextContent('~ LOG_LEVEL: info → error');
  });

  it('lists the before-deploy checks with their result and a link', async () => {
    await renderWithApis(<ChangeSetDetails changes={changes} />, {
      api: new FakeReleaseApi(),
    });
    const list = screen.getByRole('list', {
      name: 'Checks before deploying to Live',
    });
    expect(list).toHaveTextContent('live-readiness: passed — ready is true');
    expect(within(list).getByRole('link', { name: 'details' })).toHaveAttribute(
      'href',
      'https://ready.example.com/payments',
    );
  });

  it('a deployed promotion: what ran before it and who approved it, not today’s gates', async () => {
    await renderWithApis(
      <ChangeSetDetails
        changes={{
          ...changes,
          promotion: { ...changes.promotion!, status: 'succeeded' },
        }}
      />,
      { api: new FakeReleaseApi() },
    );
    expect(
      screen.getByText(/1\.0\.0 ran in Live before this promotion/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Gates now')).not.toBeInTheDocument();
    expect(screen.getByText('Approvals')).toBeInTheDocument();
    expect(screen.getByTestId('change-set-approvals')).toHaveTextContent(
      /of 2/,
    );
    expect(screen.queryByText(/Lock/)).not.toBeInTheDocument();
  });

  it('says what it does not show when the caller may not read a phase’s configuration', async () => {
    const hidden = {
      known: true,
      hidden: true,
      variables: NONE,
      database: NONE,
      sizing: NONE,
      secrets: NONE,
    };
    await renderWithApis(
      <ChangeSetDetails
        changes={{
          ...changes,
          config: hidden,
          comparedWithSource: {
            ...changes.comparedWithSource!,
            config: hidden,
          },
        }}
      />,
      { api: new FakeReleaseApi() },
    );
    expect(
      screen.getByText(
        'Not shown: you may not read the configuration of Live (3 configuration and 1 secret changes).',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Not shown: you may not read the configuration of Stage and Live.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/LOG_LEVEL/)).toBeNull();
    expect(
      screen.queryByText('No configuration or secret changes.'),
    ).toBeNull();
  });

  it('says what an approval would wait for, and what a rollback undoes', async () => {
    await renderWithApis(
      <ChangeSetDetails
        changes={{
          ...changes,
          direction: 'rollback',
          from: { ...changes.from, version: '1.2.0' },
          to: { ...changes.to, version: '1.0.0' },
          config: {
            ...changes.config,
            variables: NONE,
            sizing: NONE,
            secrets: NONE,
          },
          gates: {
            ...changes.gates,
            approvingDeploysNow: false,
            waitingFor: ["Phase 'live' is locked: incident"],
          },
        }}
      />,
      { api: new FakeReleaseApi() },
    );
    expect(screen.getByTestId('change-set-versions')).toHaveTextContent(
      '1.2.0 → 1.0.0 (rollback)',
    );
    expect(
      screen.getByRole('region', { name: 'Releases undone' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No configuration or secret changes.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "Approving now does not deploy it yet: Phase 'live' is locked: incident.",
      ),
    ).toBeInTheDocument();
  });

  it('loads a promotion’s change set, or a preview, from the API', async () => {
    const api = new FakeReleaseApi();
    await renderWithApis(
      <>
        <ChangeSetView promotionId="p-5" />
        <ChangeSetView
          entityRef="component:default/payments"
          version="1.2.0"
          phase="qa"
        />
      </>,
      { api },
    );
    const [stage, qa] = await Promise.all([
      screen.findByRole('region', { name: 'What changes in Stage' }),
      screen.findByRole('region', { name: 'What changes in QA/Demo' }),
    ]);
    expect(within(stage).getByTestId('change-set-versions')).toHaveTextContent(
      'nothing → 1.2.0 (first deployment)',
    );
    expect(within(qa).getByTestId('change-set-versions')).toHaveTextContent(
      '1.1.0 → 1.2.0 (upgrade)',
    );
    expect(qa).toHaveTextContent(
      'Requested now, it deploys to QA/Demo right away.',
    );
    expect(api.callsOf('getPromotionChanges')).toEqual([['p-5']]);
    expect(api.callsOf('previewChanges')).toEqual([
      ['component:default/payments', '1.2.0', 'qa'],
    ]);
  });

  it('says when the change set cannot be loaded', async () => {
    await renderWithApis(<ChangeSetView promotionId="p-404" />, {
      api: new FakeReleaseApi(),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load what changes: No promotion p-404',
    );
  });
});

describe('ChangeSetView: when it would deploy', () => {
  const render = (deployAt: object) =>
    renderWithApis(
      <ChangeSetDetails
        changes={{
          ...changes,
          gates: { ...changes.gates, deployAt: deployAt as any },
        }}
      />,
      { api: new FakeReleaseApi() },
    );
  const short = (iso: string) =>
    new Date(iso).toLocaleString(undefined, {
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
  const soon = new Date(Date.now() + 2 * 86_400_000).toISOString();

  it('says "Would deploy now"', async () => {
    await render({ kind: 'now', blockedBy: [] });
    expect(screen.getByTestId('change-set-deploy-at')).toHaveTextContent(
      /^Would deploy now$/,
    );
  });

  it('names the time and why: the next deployment window', async () => {
    await render({ kind: 'at', at: soon, because: 'window', blockedBy: [] });
    expect(screen.getByTestId('change-set-deploy-at')).toHaveTextContent(
      `Would deploy at ${short(soon)} (next deployment window)`,
    );
  });

  it('a scheduled promotion: its time, or that it would end then and why; blockers time does not lift', async () => {
    await render({
      kind: 'ends',
      at: soon,
      because: 'schedule',
      reason: 'frozen until 2026-12-24T00:00:00.000Z: Year-end',
      blockedBy: ["Phase 'live' is locked: incident"],
    });
    expect(screen.getByTestId('change-set-deploy-at')).toHaveTextContent(
      `Scheduled for ${short(
        soon,
      )}, but would not deploy then: frozen until 2026-12-24T00:00:00.000Z: Year-end, once resolved: Phase 'live' is locked: incident`,
    );
  });
});
