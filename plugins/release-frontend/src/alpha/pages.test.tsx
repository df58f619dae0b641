import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { releaseApiRef } from '../api';
import { FakeReleaseApi, promotionDetail } from '../__testUtils__/fixtures';
import { approvalsPage } from './pages';
import { approvalsPageRouteRef } from './routes';

describe('approvalsPage', () => {
  it('is the page at /release/approvals with a nav title and route ref', () => {
    const tester = createExtensionTester(approvalsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/release/approvals');
    expect(tester.get(coreExtensionData.title)).toBe('Approvals');
    expect(tester.get(coreExtensionData.routeRef)).toBe(approvalsPageRouteRef);
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('renders the inbox of the signed-in user', async () => {
    const waiting = promotionDetail({
      id: 'p-40',
      phase: 'live',
      status: 'pending_approval',
      comment: 'Ready for Live',
    });
    const tester = createExtensionTester(approvalsPage);
    renderInTestApp(tester.reactElement(), {
      apis: [
        [
          releaseApiRef,
          new FakeReleaseApi({ promotions: [waiting], inbox: [waiting] }),
        ],
        mockApis.permission(),
        mockApis.identity({ userEntityRef: 'user:default/guest' }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const table = await screen.findByRole('table', {
      name: 'Promotions waiting for your decision',
    });
    expect(within(table).getByText('Ready for Live')).toBeInTheDocument();
    expect(
      within(table).getByRole('button', { name: 'Approve 1.2.0 to Live' }),
    ).toBeInTheDocument();
  });
});
