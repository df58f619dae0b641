import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { releaseApiRef } from './api';
import { ReleaseApprovalsPage, releasePlugin } from './plugin';
import { approvalsRouteRef } from './routes';
import { FakeReleaseApi, promotionDetail } from './__testUtils__/fixtures';

describe('releasePlugin (legacy frontend system)', () => {
  it('registers the release API', () => {
    expect(releasePlugin.getId()).toBe('release');
    expect([...releasePlugin.getApis()].map(f => f.api.id)).toEqual([
      releaseApiRef.id,
    ]);
  });

  it('has a route for the approvals page', () => {
    expect(releasePlugin.routes.approvals).toBe(approvalsRouteRef);
  });

  it('renders the approvals page with its header', async () => {
    const waiting = promotionDetail({
      id: 'p-50',
      phase: 'live',
      status: 'pending_approval',
      comment: 'Ready for Live',
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            releaseApiRef,
            new FakeReleaseApi({ promotions: [waiting], inbox: [waiting] }),
          ],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <Routes>
          <Route path="/*" element={<ReleaseApprovalsPage />} />
        </Routes>
      </TestApiProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'Approvals' }),
    ).toBeInTheDocument();
    // The inbox loads after the page (and its live-update subscription).
    expect(
      await screen.findByText('Ready for Live', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
  });
});
