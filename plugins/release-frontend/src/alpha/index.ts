import { releasePlugin } from './plugin';

export { releaseApi } from './apis';
export { releasesEntityContent, phasesEntityContent } from './entityContents';
export {
  releaseDeliveryEntityCard,
  releaseStatusEntityCard,
} from './entityCards';
export { approvalsPage } from './pages';
export { approvalsPageRouteRef } from './routes';

export default releasePlugin;
