import { Content } from '@backstage/core-components';
import { PageBlueprint } from '@backstage/frontend-plugin-api';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import LocalShippingIcon from '@material-ui/icons/LocalShipping';
import { approvalsPageRouteRef, portfolioPageRouteRef } from './routes';

/**
 * Page "Approvals" at `/release/approvals`, with a nav item: every
 * promotion the signed-in user may decide, under the standard Backstage
 * page header.
 *
 * @alpha
 */
export const approvalsPage = PageBlueprint.make({
  name: 'approvals',
  params: {
    path: '/release/approvals',
    title: 'Approvals',
    icon: <AssignmentTurnedInIcon fontSize="inherit" />,
    routeRef: approvalsPageRouteRef,
    loader: () =>
      import('../components/ApprovalsPage').then(m => <m.ApprovalsPage />),
  },
});

/**
 * Page "Releases" at `/release/portfolio`, with a nav item: every entity
 * with a release pipeline the user may see × its phases.
 *
 * @alpha
 */
export const portfolioPage = PageBlueprint.make({
  name: 'portfolio',
  params: {
    path: '/release/portfolio',
    title: 'Releases',
    icon: <LocalShippingIcon fontSize="inherit" />,
    routeRef: portfolioPageRouteRef,
    loader: () =>
      import('../components/PortfolioContent').then(m => (
        <Content>
          <m.PortfolioContent />
        </Content>
      )),
  },
});
