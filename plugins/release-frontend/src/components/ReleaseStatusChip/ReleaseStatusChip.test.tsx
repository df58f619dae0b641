import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { ReleaseStatusChip } from './ReleaseStatusChip';

describe('ReleaseStatusChip', () => {
  it('shows the status and when it changed', async () => {
    const updatedAt = new Date(Date.now() - 5 * 60 * 1000).toISOString();
    await renderInTestApp(
      <ReleaseStatusChip status="pending_approval" updatedAt={updatedAt} />,
    );
    expect(screen.getByText(/Pending approval/)).toBeInTheDocument();
    expect(screen.getByText('5 minutes ago')).toHaveAttribute(
      'title',
      new Date(updatedAt).toLocaleString(),
    );
    expect(screen.queryByText('Running here')).not.toBeInTheDocument();
  });

  it('marks the release currently running in the phase', async () => {
    await renderInTestApp(<ReleaseStatusChip status="succeeded" current />);
    expect(screen.getByText('Succeeded')).toBeInTheDocument();
    expect(screen.getByText('Running here')).toBeInTheDocument();
  });
});
