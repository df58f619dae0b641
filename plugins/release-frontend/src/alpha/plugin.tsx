import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { releaseApi } from './apis';
import {
  releaseDeliveryEntityCard,
  releaseStatusEntityCard,
} from './entityCards';
import { phasesEntityContent, releasesEntityContent } from './entityContents';
import { approvalsPage } from './pages';
import { approvalsPageRouteRef } from './routes';

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
  },
  extensions: [
    releaseApi,
    releasesEntityContent,
    phasesEntityContent,
    releaseStatusEntityCard,
    releaseDeliveryEntityCard,
    approvalsPage,
  ],
});
