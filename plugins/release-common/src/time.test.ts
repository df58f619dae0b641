import {
  findActiveFreeze,
  parseCron,
  parseIsoDuration,
  validateFreezeWindow,
} from './time';

describe('parseIsoDuration', () => {
  it.each([
    ['PT1H', 3_600_000],
    ['PT90M', 5_400_000],
    ['P1D', 86_400_000],
    ['P1DT12H', 129_600_000],
    ['P2W', 1_209_600_000],
    ['PT30S', 30_000],
  ])('%s is %d ms', (d, ms) => expect(parseIsoDuration(d)).toBe(ms));

  it.each(['', 'P', 'PT', '1H', 'P1M', 'P1Y', 'PT1.5H', 'P1DT'])(
    'rejects %p',
    d => expect(parseIsoDuration(d)).toBeUndefined(),
  );
});

describe('parseCron', () => {
  it('expands lists, ranges and steps', () => {
    const cron = parseCron('0,30 9-17/4 * * 1-5');
    expect([...cron.minute]).toEqual([0, 30]);
    expect([...cron.hour]).toEqual([9, 13, 17]);
    expect([...cron.dayOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('* * * * 7').dayOfWeek.has(0)).toBe(true);
  });

  it.each([
    ['* * * *', /must have 5 fields/],
    ['60 * * * *', /out of range 0-59/],
    ['* 24 * * *', /out of range 0-23/],
    ['* * 0 * *', /out of range 1-31/],
    ['* * * 13 *', /out of range 1-12/],
    ['*/0 * * * *', /out of range/],
    ['a * * * *', /invalid cron field 'a'/],
  ])('rejects %p', (expr, message) =>
    expect(() => parseCron(expr)).toThrow(message),
  );
});

describe('findActiveFreeze', () => {
  // Fridays from 18:00 for 2 days, Berlin time: the weekend freeze.
  const weekend = {
    cron: '0 18 * * 5',
    duration: 'P2DT14H',
    timezone: 'Europe/Berlin',
    reason: 'weekend',
  };

  it('is active inside the window, in the window’s time zone', () => {
    // Saturday 2026-11-28 10:00 UTC = 11:00 Berlin.
    expect(
      findActiveFreeze([weekend], new Date('2026-11-28T10:00:00Z')),
    ).toEqual({
      reason: 'weekend',
      startedAt: '2026-11-27T17:00:00.000Z',
      endsAt: '2026-11-30T07:00:00.000Z',
    });
  });

  it('is inactive before the start and after the end', () => {
    expect(
      findActiveFreeze([weekend], new Date('2026-11-27T16:59:00Z')),
    ).toBeUndefined();
    expect(
      findActiveFreeze([weekend], new Date('2026-11-30T07:00:00Z')),
    ).toBeUndefined();
    expect(
      findActiveFreeze([weekend], new Date('2026-11-25T12:00:00Z')),
    ).toBeUndefined();
  });

  it('follows daylight saving time', () => {
    // Friday 2026-07-03 18:00 Berlin is 16:00 UTC (summer time).
    expect(
      findActiveFreeze([weekend], new Date('2026-07-03T16:30:00Z'))?.startedAt,
    ).toBe('2026-07-03T16:00:00.000Z');
    expect(
      findActiveFreeze([weekend], new Date('2026-07-03T15:59:00Z')),
    ).toBeUndefined();
  });

  it('returns the window ending last when several are active', () => {
    const nightly = { cron: '0 22 * * *', duration: 'PT10H' };
    const found = findActiveFreeze(
      [nightly, weekend],
      new Date('2026-11-27T23:00:00Z'),
    );
    expect(found?.endsAt).toBe('2026-11-30T07:00:00.000Z');
  });

  it('validates windows', () => {
    expect(validateFreezeWindow(weekend)).toEqual([]);
    expect(
      validateFreezeWindow({
        cron: '0 18 * *',
        duration: 'P30D',
        timezone: 'Mars/Base',
      }),
    ).toEqual([
      "cron expression '0 18 * *' must have 5 fields (minute hour day-of-month month day-of-week)",
      "freeze window duration 'P30D' must be an ISO 8601 duration between PT1M and P14D",
      "unknown time zone 'Mars/Base'",
    ]);
  });
});
