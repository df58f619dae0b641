import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { pipeline } from '../../__testUtils__/fixtures';
import { DeploymentWindowStatus } from './DeploymentWindowStatus';

const live = pipeline.phases[3];
const window = {
  cron: '0 9 * * 2-4',
  duration: 'PT7H',
  timezone: 'Europe/Berlin',
  reason: 'office hours',
};

describe('DeploymentWindowStatus', () => {
  it('says when the next window opens while outside, and lists the windows on hover', async () => {
    await renderInTestApp(
      <DeploymentWindowStatus
        phase={{
          ...live,
          deploymentWindows: {
            restricted: true,
            open: false,
            windows: [window],
            next: {
              reason: 'office hours',
              startedAt: '2026-12-01T08:00:00.000Z',
              endsAt: '2026-12-01T15:00:00.000Z',
            },
          },
        }}
      />,
    );
    const line = screen.getByText(/^Outside deployment windows; next opens/);
    expect(line).toHaveTextContent(
      new Date('2026-12-01T08:00:00.000Z').toLocaleString(),
    );
    await userEvent.hover(line);
    expect(
      await screen.findByText(
        'Deployment windows: office hours: from "0 9 * * 2-4" for PT7H (Europe/Berlin)',
      ),
    ).toBeInTheDocument();
  });

  it('says until when an open window lasts, and nothing without windows', async () => {
    await renderInTestApp(
      <>
        <DeploymentWindowStatus
          phase={{
            ...live,
            deploymentWindows: {
              restricted: true,
              open: true,
              windows: [window],
              current: {
                startedAt: '2026-11-25T08:00:00.000Z',
                endsAt: '2026-11-25T15:00:00.000Z',
              },
            },
          }}
        />
        <DeploymentWindowStatus
          phase={{
            ...live,
            id: 'dev',
            deploymentWindows: { restricted: false, open: true, windows: [] },
          }}
        />
      </>,
    );
    expect(screen.getByText(/^Deployment window open until/)).toHaveTextContent(
      new Date('2026-11-25T15:00:00.000Z').toLocaleString(),
    );
    expect(screen.queryByText(/Outside deployment windows/)).toBeNull();
  });
});
