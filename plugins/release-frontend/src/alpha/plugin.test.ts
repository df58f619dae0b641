import releasePlugin from './index';

describe('release plugin (new frontend system)', () => {
  it('provides the API, both tabs, the card and the page under stable ids', () => {
    expect(releasePlugin.pluginId).toBe('release');
    for (const id of [
      'api:release',
      'entity-content:release/releases',
      'entity-content:release/phases',
      'entity-card:release/release-status',
      'page:release/approvals',
    ] as const) {
      expect(releasePlugin.getExtension(id)).toBeDefined();
    }
  });
});

it('exposes the approvals page route', () => {
  expect(releasePlugin.routes.approvals).toBeDefined();
});
