import {
  changeSetSummaryLine,
  releaseDetailLink,
  releasesBetween,
  sourceCompareLink,
  sourceRepository,
  summarizeConfigDiff,
  versionDirection,
} from './changes';
import { diffConfigurations } from './config';
import { findNextFreeze } from './time';

const r = (version: string, createdAt = '2026-01-01T00:00:00Z') => ({
  version,
  createdAt,
});
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('versionDirection and releasesBetween', () => {
  const all = [
    r('1.0.0'),
    r('1.1.0'),
    r('1.2.0-rc.1'),
    r('1.2.0'),
    r('2.0.0'),
    r('1.2.1+build.1', '2026-01-02T00:00:00Z'),
    r('1.2.1+build.2', '2026-01-03T00:00:00Z'),
  ];
  const find = (v: string) => all.find(x => x.version === v)!;

  it('an upgrade lists what comes after the running release, up to the promoted one, in semver order', () => {
    expect(versionDirection(find('1.0.0'), find('1.2.0'))).toBe('upgrade');
    expect(
      releasesBetween(all, find('1.0.0'), find('1.2.0')).map(x => x.version),
    ).toEqual(['1.1.0', '1.2.0-rc.1', '1.2.0']);
  });

  it('a rollback lists what it undoes; a first deployment only the release; the same release only itself', () => {
    expect(versionDirection(find('2.0.0'), find('1.1.0'))).toBe('rollback');
    expect(
      releasesBetween(all, find('2.0.0'), find('1.1.0')).map(x => x.version),
    ).toEqual([
      '1.2.0-rc.1',
      '1.2.0',
      '1.2.1+build.1',
      '1.2.1+build.2',
      '2.0.0',
    ]);
    expect(versionDirection(undefined, find('1.0.0'))).toBe('first_deploy');
    expect(releasesBetween(all, undefined, find('1.0.0'))).toEqual([
      find('1.0.0'),
    ]);
    expect(versionDirection(find('1.1.0'), find('1.1.0'))).toBe('same');
  });

  it('builds of one version order by creation time', () => {
    expect(versionDirection(find('1.2.1+build.1'), find('1.2.1+build.2'))).toBe(
      'upgrade',
    );
    expect(
      releasesBetween(all, find('1.2.1+build.1'), find('1.2.1+build.2')).map(
        x => x.version,
      ),
    ).toEqual(['1.2.1+build.2']);
  });
});

describe('sourceCompareLink', () => {
  it.each([
    [
      'url:https://github.com/acme/pay/tree/main/',
      `https://github.com/acme/pay/compare/${A}...${B}`,
    ],
    [
      'https://github.com/acme/pay.git',
      `https://github.com/acme/pay/compare/${A}...${B}`,
    ],
    [
      'url:https://github.com/acme/pay/blob/main/catalog-info.yaml',
      `https://github.com/acme/pay/compare/${A}...${B}`,
    ],
    [
      'url:https://gitlab.com/group/sub/pay/-/tree/main',
      `https://gitlab.com/group/sub/pay/-/compare/${A}...${B}`,
    ],
    [
      'url:https://bitbucket.org/ws/pay/src/main/',
      `https://bitbucket.org/ws/pay/branches/compare/${B}%0D${A}`,
    ],
    [
      'url:https://git.example.com/projects/PAY/repos/pay/browse',
      `https://git.example.com/projects/PAY/repos/pay/compare/commits?sourceBranch=${B}&targetBranch=${A}`,
    ],
  ])('%s', (location, url) => {
    expect(sourceCompareLink(location, A, B)?.url).toBe(url);
  });

  it('uses the given host type for self-hosted instances, and refuses what is not a repository or a commit', () => {
    expect(
      sourceCompareLink('https://code.example.com/acme/pay', A, B, 'github')
        ?.url,
    ).toBe(`https://code.example.com/acme/pay/compare/${A}...${B}`);
    expect(sourceCompareLink('https://example.com/acme/pay', A, B)).toBe(
      undefined,
    );
    expect(sourceCompareLink(['javascript', 'alert(1)'].join(':'), A, B)).toBe(
      undefined,
    );
    expect(
      sourceCompareLink('https://github.com/acme/pay', 'main', B),
    ).toBeUndefined();
    expect(sourceRepository('https://github.com/acme')).toBeUndefined();
  });
});

describe('summaries', () => {
  it('counts config and secret changes in words and in the one line an approver confirms', () => {
    const diff = diffConfigurations(
      {
        variables: { A: '1', B: '2', C: '3' },
        sizing: { replicas: 1 },
        secrets: { S: 'f1' },
      },
      {
        variables: { A: '2', C: '3', D: '4' },
        sizing: { replicas: 2 },
        secrets: { S: 'f2' },
      },
    );
    const s = summarizeConfigDiff(diff);
    expect(s).toEqual({
      configChanges: 4,
      secretChanges: 1,
      text: '3 variables changed, sizing changed, 1 secret changed',
    });
    expect(
      changeSetSummaryLine({
        version: '1.2.0',
        phaseTitle: 'Live',
        direction: 'upgrade',
        configChanges: 3,
        secretChanges: 1,
      }),
    ).toBe('Deploy 1.2.0 to Live, 3 config changes, 1 secret changed');
    expect(
      changeSetSummaryLine({
        version: '1.0.0',
        phaseTitle: 'Live',
        direction: 'rollback',
        configChanges: 1,
        secretChanges: 0,
      }),
    ).toBe('Roll back Live to 1.0.0, 1 config change');
  });
});

describe('findNextFreeze', () => {
  it('finds the next start of a window after now, in its time zone', () => {
    const now = new Date('2026-11-26T10:00:00Z'); // a Thursday
    expect(
      findNextFreeze(
        [
          {
            cron: '0 0 * * 6',
            duration: 'P1D',
            timezone: 'Europe/Berlin',
            reason: 'No Saturday deployments',
          },
        ],
        now,
      ),
    ).toEqual({
      reason: 'No Saturday deployments',
      startsAt: '2026-11-27T23:00:00.000Z',
      endsAt: '2026-11-28T23:00:00.000Z',
    });
    expect(
      findNextFreeze([{ cron: '30 17 * * *', duration: 'PT1H' }], now)
        ?.startsAt,
    ).toBe('2026-11-26T17:30:00.000Z');
    expect(findNextFreeze([], now)).toBeUndefined();
  });
});

describe('releaseDetailLink', () => {
  it('links a release on the entity’s Releases tab', () => {
    expect(
      releaseDetailLink('component:default/payments-api', '1.2.0+build.1'),
    ).toBe(
      '/catalog/default/component/payments-api/releases?release=1.2.0%2Bbuild.1',
    );
  });
});
