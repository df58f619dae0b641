import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
} from '@backstage/frontend-test-utils';
import { ReleaseClient } from '../api';
import { releaseApi } from './apis';

describe('releaseApi', () => {
  it('provides the ReleaseClient as plugin.release.service', () => {
    const factory = createExtensionTester(releaseApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe('plugin.release.service');
    expect(
      factory.factory({
        discoveryApi: mockApis.discovery(),
        fetchApi: mockApis.fetch(),
      }),
    ).toBeInstanceOf(ReleaseClient);
  });
});
