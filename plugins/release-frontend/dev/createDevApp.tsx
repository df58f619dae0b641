import { createApp, CreateAppOptions } from '@backstage/frontend-defaults';
import {
  FrontendFeature,
  FrontendFeatureLoader,
} from '@backstage/frontend-plugin-api';
import appPlugin from '@backstage/plugin-app';
import { createRoot, Root } from 'react-dom/client';

/*
 * What `createDevApp` of @backstage/frontend-dev-utils does, on the Backstage
 * release line this repository is on: frontend-dev-utils 0.1.6 (its newest
 * release) still requires frontend-plugin-api 0.18, plugin-app 0.5 and ui 0.18,
 * which would put a second version of those packages into yarn.lock. Replace
 * this file with the package once a release for the current line exists.
 */

// No sign-in page: the app signs everyone in as its built-in guest,
// user:default/guest.
const appPluginWithoutSignIn = appPlugin.withOverrides({
  extensions: [
    appPlugin.getExtension('sign-in-page:app').override({ disabled: true }),
  ],
});

/** Options of {@link createDevApp}. */
export interface CreateDevAppOptions {
  /** The features to load in the dev app. */
  features: (FrontendFeature | FrontendFeatureLoader)[];
  /** Binds the plugins' external route refs. */
  bindRoutes?: CreateAppOptions['bindRoutes'];
}

/**
 * Creates a minimal app of the new frontend system with `features` and
 * renders it into the page's `#root` element. Returns the React root, so a
 * test can unmount it.
 */
export function createDevApp(options: CreateDevAppOptions): Root {
  const rootElement = document.getElementById('root');
  if (!rootElement) {
    throw new Error(
      "Could not find the dev app root element '#root'; make sure your dev entry HTML contains a root element with that id.",
    );
  }
  const app = createApp({
    bindRoutes: options.bindRoutes,
    features: [appPluginWithoutSignIn, ...options.features],
  });
  const root = createRoot(rootElement);
  root.render(app.createRoot());
  return root;
}
