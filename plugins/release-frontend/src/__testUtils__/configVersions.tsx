import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ENTITY_REF, FakeReleaseApi, phaseConfig } from './fixtures';
import { renderWithApis } from './render';
import { ConfigVersions } from '../components/ConfigVersions/ConfigVersions';

/* Setup shared by the ConfigVersions test files. */

/** Stage at version 3 (the fake's start), then two edits: versions 4 and 5. */
export async function apiWithHistory() {
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

export function renderConfigVersions(
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
