import { releasePlugin } from './plugin';

export { releaseApi } from './apis';
export {
  releasesEntityContent,
  phasesEntityContent,
  trainsEntityContent,
} from './entityContents';
export {
  releaseDeliveryEntityCard,
  releaseStatusEntityCard,
} from './entityCards';
export { approvalsPage, portfolioPage } from './pages';
export { approvalsPageRouteRef, portfolioPageRouteRef } from './routes';

export default releasePlugin;
