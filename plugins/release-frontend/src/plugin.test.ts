import { releaseApiRef } from './api';
import { releasePlugin } from './plugin';

describe('releasePlugin (legacy frontend system)', () => {
  it('registers the release API', () => {
    expect(releasePlugin.getId()).toBe('release');
    expect([...releasePlugin.getApis()].map(f => f.api.id)).toEqual([
      releaseApiRef.id,
    ]);
  });
});
