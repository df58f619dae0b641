/*
 * The demo Backstage backend with the Release Manager plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { releaseDemoDataModule } from './modules/releaseDemoData';
import { releasePermissionPolicyModule } from './modules/releasePermissionPolicy';
import { createScaffoldedComponentsModules } from './modules/scaffoldedComponents';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in for the demo
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog with the demo entities from examples/
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permissions: allow-all policy by default; RELEASE_DEMO_POLICY=release-managers
// installs the example policy (Live promotions only for release managers).
backend.add(import('@backstage/plugin-permission-backend'));
if (process.env.RELEASE_DEMO_POLICY === 'release-managers') {
  backend.add(releasePermissionPolicyModule);
} else {
  backend.add(
    import('@backstage/plugin-permission-backend-module-allow-all-policy'),
  );
}

// notifications (with signals, so the Notifications page updates live):
// release approvals and outcomes reach the people concerned
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// release management
backend.add(import('@release-manager/backstage-plugin-release-backend'));
backend.add(releaseDemoDataModule);
// deployment provider modules: they start without configuration; the demo
// pipelines keep the `simulated` provider, so nothing external is needed.
backend.add(
  import(
    '@release-manager/backstage-plugin-release-backend-module-github-actions'
  ),
);
backend.add(
  import('@release-manager/backstage-plugin-release-backend-module-argocd'),
);
backend.add(
  import('@release-manager/backstage-plugin-release-backend-module-kubernetes'),
);

// scaffolder with the release actions (release:create, release:promote) and
// the example template examples/templates/release-managed-service. The demo
// is offline, so a demo module stands in for publish + catalog:register.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(
  import('@release-manager/backstage-plugin-scaffolder-backend-module-release'),
);
const scaffoldedComponents = createScaffoldedComponentsModules();
backend.add(scaffoldedComponents.catalogModule);
backend.add(scaffoldedComponents.scaffolderModule);

backend.start();
