import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { releaseApi } from './apis';
import {
  releaseDeliveryEntityCard,
  releaseStatusEntityCard,
} from './entityCards';
import {
  phasesEntityContent,
  releasesEntityContent,
  trainsEntityContent,
} from './entityContents';
import { approvalsPage, portfolioPage } from './pages';
import { approvalsPageRouteRef, portfolioPageRouteRef } from './routes';

/**
 * The Release Manager plugin for the new frontend system.
 *
 * @alpha
 */
export const releasePlugin = createFrontendPlugin({
  pluginId: 'release',
  title: 'Release Manager',
  routes: {
    approvals: approvalsPageRouteRef,
    portfolio: portfolioPageRouteRef,
  },
  extensions: [
    releaseApi,
    releasesEntityContent,
    phasesEntityContent,
    trainsEntityContent,
    releaseStatusEntityCard,
    releaseDeliveryEntityCard,
    approvalsPage,
    portfolioPage,
  ],
});
