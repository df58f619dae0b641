import {
  compareSemver,
  isValidSemver,
  MAX_VERSION_LENGTH,
  parseSemver,
  semverProblem,
  versionKey,
} from './semver';

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
    ' 1.0.0',
    '=1.0.0',
    'V1.0.0',
    '1.0.0\u0000',
    '1.0.0%00',
    '1.0.0\n',
    '1.0.0+',
    '1.0.0+a..b',
    '99999999999999999999.0.0',
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

  it('accepts versions up to the length limit, not beyond', () => {
    const at = `1.0.0-${'a'.repeat(MAX_VERSION_LENGTH - 6)}`;
    expect(at).toHaveLength(MAX_VERSION_LENGTH);
    expect(isValidSemver(at)).toBe(true);
    expect(isValidSemver(`${at}b`)).toBe(false);
  });

  it('keys a release by its version without build metadata', () => {
    expect(versionKey('0.12.0+build.1')).toBe('0.12.0');
    expect(versionKey('0.12.0+build.2')).toBe('0.12.0');
    expect(versionKey('1.0.0-rc.1+b')).toBe('1.0.0-rc.1');
    expect(versionKey('1.0.0')).toBe('1.0.0');
    expect(versionKey('1.0.0-rc.1')).not.toBe(versionKey('1.0.0-RC.1'));
    expect(() => versionKey('v1.0.0')).toThrow(/Not a semantic version/);
    // Same key exactly when the same precedence.
    expect(compareSemver('0.12.0+build.1', '0.12.0+build.2')).toBe(0);
  });

  it('says what is wrong with a version, printably', () => {
    expect(semverProblem('1.0.0')).toBeUndefined();
    expect(semverProblem('1.0.0+build.7')).toBeUndefined();
    expect(semverProblem('v1.0.0')).toBe(
      "version 'v1.0.0' is not a semantic version: write it without the leading 'v' (1.0.0)",
    );
    expect(semverProblem('1.0.0\u0000')).toBe(
      "version '1.0.0\\u0000' is not a semantic version (e.g. 1.4.0, 2.0.0-rc.1 or 1.4.0+build.7)",
    );
    expect(semverProblem('1'.repeat(200))).toMatch(
      /is longer than 128 characters/,
    );
    expect(semverProblem(7)).toBe('version must be a string');
  });
});
