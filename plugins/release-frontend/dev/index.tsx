// The dev app renders outside any app package, so it loads the Backstage UI
// styles itself (as createDevApp of @backstage/frontend-dev-utils does).
// eslint-disable-next-line @backstage/no-ui-css-imports-in-non-frontend
import '@backstage/ui/css/styles.css';
import { createDevApp } from './createDevApp';
import { createDevFeatures } from './features';

createDevApp({ features: createDevFeatures() });
