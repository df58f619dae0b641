import { compareSemver, isValidSemver, parseSemver } from './semver';

describe('semver', () => {
  it.each([
    '1.0.0',
    '0.0.1',
    '10.20.30',
    '1.0.0-rc.1',
    '1.0.0-alpha+build.5',
    '2.0.0+meta',
  ])('accepts %s', v => expect(isValidSemver(v)).toBe(true));

  it.each([
    '',
    '1',
    '1.0',
    'v1.0.0',
    '01.0.0',
    '1.0.0-',
    '1.0.0-01',
    '1.0.0 ',
    'latest',
    `1.0.0-${'a'.repeat(130)}`,
  ])('rejects %p', v => expect(isValidSemver(v)).toBe(false));

  it('parses the parts', () => {
    expect(parseSemver('1.2.3-rc.10+b.7')).toEqual({
      major: 1,
      minor: 2,
      patch: 3,
      prerelease: ['rc', 10],
      build: ['b', '7'],
    });
  });

  it('orders by precedence as semver.org specifies', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
      '10.0.0',
    ];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(compareSemver)).toEqual(ordered);
    expect(compareSemver('1.0.0+a', '1.0.0+b')).toBe(0);
    expect(() => compareSemver('1.0.0', 'x')).toThrow(
      /Not a semantic version: x/,
    );
  });
});
