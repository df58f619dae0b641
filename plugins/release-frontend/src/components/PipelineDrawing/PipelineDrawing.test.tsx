import { PipelinePhaseView } from '@release-manager/backstage-plugin-release-common';
import { screen, within } from '@testing-library/react';
import { PipelinePhaseWithActions } from '../../api';
import {
  ENTITY_REF,
  FakeReleaseApi,
  pipeline,
  promotion,
} from '../../__testUtils__/fixtures';
import {
  clickWhenEnabled,
  expectDisabledWithReason,
} from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { PipelineDrawing } from './PipelineDrawing';

const REASON = 'Simulated failure: health checks of 1.3.0 did not pass';

/** The fixture pipeline with a failed deployment of 1.3.0 in Dev. */
function withFailure(
  extra: Partial<PipelinePhaseWithActions> = {},
): PipelinePhaseView[] {
  return pipeline.phases.map(p =>
    p.id === 'dev'
      ? {
          ...p,
          lastOutcome: promotion({
            id: 'p-failed',
            version: '1.3.0',
            status: 'failed',
            progressMessage: REASON,
            finishedAt: new Date().toISOString(),
          }),
          ...extra,
        }
      : p,
  );
}

function renderDrawing(
  phases: PipelinePhaseView[],
  api = new FakeReleaseApi(),
  onChanged = jest.fn(),
) {
  renderWithApis(
    <PipelineDrawing
      entityRef={ENTITY_REF}
      phases={phases}
      onChanged={onChanged}
    />,
    { api, entity: null },
  );
  return { api, onChanged };
}

describe('PipelineDrawing', () => {
  it('draws every phase left to right with its version and health', async () => {
    renderDrawing(pipeline.phases);
    const drawing = await screen.findByRole('list', {
      name: 'Pipeline at a glance',
    });
    const items = within(drawing).getAllByRole('listitem');
    expect(items.map(i => i.getAttribute('aria-label'))).toEqual([
      'Dev summary',
      'QA/Demo summary',
      'Stage summary',
      'Live summary',
    ]);
    expect(items.map(i => i.getAttribute('data-health'))).toEqual([
      'succeeded',
      'deploying',
      'idle',
      'failed',
    ]);
    const [dev, qa, stage, live] = items;
    expect(within(dev).getByLabelText('1.2.0 runs in Dev')).toBeVisible();
    expect(dev).toHaveTextContent('Healthy');
    expect(dev).toHaveTextContent('auto-promote');
    expect(qa).toHaveTextContent(/Deploying 1\.2\.0/);
    expect(qa).toHaveTextContent('Rolling out 2/3 pods');
    expect(
      within(qa).getByRole('progressbar', {
        name: 'Deploying 1.2.0 to QA/Demo',
      }),
    ).toBeVisible();
    expect(qa).toHaveTextContent('after Dev');
    expect(stage).toHaveTextContent('Locked: Load test running');
    expect(stage).toHaveTextContent('2 waiting for approval');
    expect(stage).toHaveTextContent('after QA/Demo · 1 approval');
    expect(within(stage).getByLabelText('Nothing runs in Stage')).toBeVisible();
    expect(live).toHaveTextContent(/Frozen until/);
    expect(live).toHaveTextContent('2 approvals · 1 freeze window');
  });

  it('puts a failure up front: the reason, the last success and a Retry through the request API', async () => {
    const { api, onChanged } = renderDrawing(withFailure());
    const dev = await screen.findByRole('listitem', { name: 'Dev summary' });
    const failure = within(dev).getByRole('group', { name: 'Failure in Dev' });
    expect(failure).toHaveTextContent(/Failed 1\.3\.0/);
    expect(failure).toHaveTextContent(REASON);
    // What still runs: the last success.
    expect(within(dev).getByLabelText('1.2.0 runs in Dev')).toBeVisible();

    await clickWhenEnabled('Retry 1.3.0 in Dev', dev);
    expect(api.callsOf('createPromotion')).toEqual([
      [
        ENTITY_REF,
        {
          version: '1.3.0',
          phase: 'dev',
          comment: 'Retry of the failed deployment of 1.3.0 to Dev',
        },
        { idempotencyKey: expect.any(String) },
      ],
    ]);
    expect(onChanged).toHaveBeenCalledWith(
      expect.objectContaining({ version: '1.3.0', phase: 'dev' }),
    );
  });

  it('disables Retry with the reason the API gives', async () => {
    renderDrawing(
      withFailure({
        actions: {
          deploy: {
            allowed: false,
            reason: 'Only release managers may deploy to Dev',
          },
        },
      }),
    );
    const dev = await screen.findByRole('listitem', { name: 'Dev summary' });
    await expectDisabledWithReason(
      'Retry 1.3.0 in Dev',
      'Only release managers may deploy to Dev',
      dev,
    );
  });

  it("shows the server's answer when a retry is refused", async () => {
    const api = new FakeReleaseApi();
    api.actionFailure = new Error('Dev is locked: maintenance');
    renderDrawing(withFailure(), api);
    const dev = await screen.findByRole('listitem', { name: 'Dev summary' });
    await clickWhenEnabled('Retry 1.3.0 in Dev', dev);
    expect(await within(dev).findByRole('alert')).toHaveTextContent(
      'Dev is locked: maintenance',
    );
  });

  it('shows the deployment window and each check with its last result', async () => {
    const now = Date.now();
    const at = (h: number) => new Date(now + h * 3600_000).toISOString();
    const phases = pipeline.phases.map(p =>
      p.id === 'live'
        ? {
            ...p,
            deploymentWindows: {
              restricted: true,
              open: false,
              next: { startedAt: at(10), endsAt: at(20) },
              windows: [
                {
                  cron: '0 8 * * 1-5',
                  duration: 'PT10H',
                  timezone: 'Europe/Berlin',
                  reason: 'Working hours',
                },
              ],
            },
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
                  version: '1.3.0',
                  evaluatedAt: at(-1),
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
    ) as PipelinePhaseView[];
    renderDrawing(phases);
    const live = await screen.findByRole('listitem', { name: 'Live summary' });
    expect(live).toHaveTextContent(/Window closed until/);
    expect(
      within(live)
        .getByText(/Window closed/)
        .closest('[title]'),
    ).toHaveAttribute(
      'title',
      'Deployment windows: Working hours: from "0 8 * * 1-5" for PT10H (Europe/Berlin)',
    );
    const checks = within(live).getByRole('group', { name: 'Checks of Live' });
    expect(checks).toHaveTextContent('Check live-readiness: failed');
    expect(checks).toHaveTextContent('Verify smoke: not run yet');
    expect(
      within(checks)
        .getByText(/live-readiness/)
        .closest('[title]'),
    ).toHaveAttribute(
      'title',
      expect.stringContaining('ready is false, not true (1.3.0'),
    );
    const dev = screen.getByRole('listitem', { name: 'Dev summary' });
    expect(dev).not.toHaveTextContent(/Window/);
    expect(within(dev).queryByRole('group', { name: /Checks of/ })).toBeNull();
  });
});

describe('PipelineDrawing: scheduled promotions', () => {
  it('shows the earliest scheduled promotion of a phase with its time, who and the rule on hover', async () => {
    const phases = pipeline.phases.map(p =>
      p.id === 'stage'
        ? {
            ...p,
            pending: [
              ...p.pending,
              promotion({
                id: 'p-s1',
                phase: 'stage',
                version: '1.1.0',
                status: 'approved',
                requestedBy: 'user:default/carol',
                scheduledAt: '2024-03-05T08:00:00.000Z',
              }),
              promotion({
                id: 'p-s2',
                phase: 'stage',
                version: '1.2.0',
                status: 'pending_approval',
                scheduledAt: '2024-03-06T08:00:00.000Z',
              }),
            ],
          }
        : p,
    );
    renderDrawing(phases);
    const line = await screen.findByTestId('scheduled-stage');
    const marker = within(line).getByTestId('scheduled-marker');
    expect(marker).toHaveTextContent(
      /^Scheduled for .+ \(1\.1\.0, \+1 more\)$/,
    );
    expect(marker).toHaveAccessibleName(
      /^Scheduled by carol for .+\. At a set time\. The gates \(approvals, freeze, lock\) are checked again then/,
    );
    expect(screen.queryByTestId('scheduled-dev')).toBeNull();
  });
});
