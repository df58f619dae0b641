import { PageBlueprint } from '@backstage/frontend-plugin-api';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { approvalsPageRouteRef } from './routes';

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
