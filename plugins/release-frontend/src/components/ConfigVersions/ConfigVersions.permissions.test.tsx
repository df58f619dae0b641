import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  FakeReleaseApi,
  phaseConfig,
} from '../../__testUtils__/fixtures';
import { expectDisabledWithReason } from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { ConfigVersions } from './ConfigVersions';

// usePermission caches decisions per test file (swr): the denied case has
// its own file.

/** Stage at version 3 (the fake's start), then two edits: versions 4 and 5. */
async function apiWithHistory() {
  const api = new FakeReleaseApi({ configs: { stage: phaseConfig() } });
  await api.putPhaseConfig(ENTITY_REF, 'stage', {
    variables: { LOG_LEVEL: 'debug', FEATURE_X: 'on' },
    sizing: { replicas: 3, cpu: '500m', memory: '1Gi' },
    database: phaseConfig().database,
    expectedVersion: 3,
    comment: 'Debugging the checkout',
  });
  await api.putPhaseConfig(ENTITY_REF, 'stage', {
    variables: { LOG_LEVEL: 'warn' },
    sizing: { replicas: 5, cpu: '500m', memory: '1Gi' },
    database: phaseConfig().database,
    expectedVersion: 4,
  });
  return api;
}

function render(
  api: FakeReleaseApi,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return renderWithApis(
    <ConfigVersions
      entityRef={ENTITY_REF}
      phaseId="stage"
      phaseTitle="Stage"
      currentVersion={5}
    />,
    { api, authorize },
  );
}

describe('ConfigVersions without permission to change the configuration', () => {
  it('disables restore with the reason when the user may not change the configuration', async () => {
    await render(await apiWithHistory(), AuthorizeResult.DENY);
    await userEvent.click(screen.getByRole('button', { name: 'History' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Configuration history of Stage',
    });
    await within(dialog).findByTestId('config-version-3');
    await expectDisabledWithReason(
      'Restore version 3',
      'You may not change the configuration of Stage',
      dialog,
    );
  });
});
