import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  releaseConfigReadPermission,
  toPhaseResourceRef,
} from '@release-manager/backstage-plugin-release-common';
import { screen } from '@testing-library/react';
import { ENTITY_REF, FakeReleaseApi } from '../../__testUtils__/fixtures';
import { expectDisabledWithReason } from '../../__testUtils__/queries';
import { renderWithApis } from '../../__testUtils__/render';
import { PhaseConfigSection } from './PhaseConfigSection';

// A file of its own: usePermission caches answers per test file. Here the
// user may read the configuration of Stage, change nothing, and not even
// read that of Live.
const authorize = (request: {
  permission: { name: string };
  resourceRef?: string;
}) =>
  request.permission.name === releaseConfigReadPermission.name &&
  request.resourceRef === toPhaseResourceRef(ENTITY_REF, 'stage')
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;

describe('PhaseConfigSection without permissions', () => {
  it('disables Edit, Set secret and Remove with the reason', async () => {
    renderWithApis(
      <PhaseConfigSection
        entityRef={ENTITY_REF}
        phaseId="stage"
        phaseTitle="Stage"
      />,
      { api: new FakeReleaseApi(), authorize },
    );
    expect(await screen.findByText('LOG_LEVEL')).toBeInTheDocument();
    await expectDisabledWithReason(
      'Edit configuration of Stage',
      'You may not change the configuration of Stage',
    );
    await expectDisabledWithReason(
      'Set secret of Stage',
      'You may not change the secrets of Stage',
    );
    await expectDisabledWithReason(
      'Remove secret API_TOKEN of Stage',
      'You may not change the secrets of Stage',
    );
  });

  it('does not load a configuration the user may not read', async () => {
    const api = new FakeReleaseApi();
    renderWithApis(
      <PhaseConfigSection
        entityRef={ENTITY_REF}
        phaseId="live"
        phaseTitle="Live"
      />,
      { api, authorize },
    );
    expect(
      await screen.findByText('You may not view the configuration of Live'),
    ).toBeInTheDocument();
    expect(api.callsOf('getPhaseConfig')).toEqual([]);
  });
});
