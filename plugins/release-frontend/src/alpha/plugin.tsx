import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { releaseApi } from './apis';
import { releaseStatusEntityCard } from './entityCards';
import { phasesEntityContent, releasesEntityContent } from './entityContents';

/**
 * The Release Manager plugin for the new frontend system.
 *
 * @alpha
 */
export const releasePlugin = createFrontendPlugin({
  pluginId: 'release',
  title: 'Release Manager',
  extensions: [
    releaseApi,
    releasesEntityContent,
    phasesEntityContent,
    releaseStatusEntityCard,
  ],
});
