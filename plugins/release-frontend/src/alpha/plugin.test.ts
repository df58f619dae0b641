import releasePlugin from './index';

describe('release plugin (new frontend system)', () => {
  it('provides the API, both tabs and the card under stable ids', () => {
    expect(releasePlugin.pluginId).toBe('release');
    for (const id of [
      'api:release',
      'entity-content:release/releases',
      'entity-content:release/phases',
      'entity-card:release/release-status',
    ] as const) {
      expect(releasePlugin.getExtension(id)).toBeDefined();
    }
  });
});
