import {
  evaluateDeploymentWindow,
  nextDeploymentWindow,
  validateDeploymentWindow,
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

describe('deployment windows', () => {
  // "Live deploys Tue–Thu 09:00–16:00 Europe/Berlin".
  const live = {
    id: 'live',
    title: 'Live',
    deploymentWindows: [
      {
        cron: '0 9 * * 2-4',
        duration: 'PT7H',
        timezone: 'Europe/Berlin',
        reason: 'office hours',
      },
    ],
  };

  it('is open inside a window, with the next opening after it', () => {
    // Wednesday 2026-11-25 10:00 UTC = 11:00 Berlin.
    expect(
      nextDeploymentWindow(live, new Date('2026-11-25T10:00:00Z')),
    ).toEqual({
      restricted: true,
      open: true,
      current: {
        reason: 'office hours',
        startedAt: '2026-11-25T08:00:00.000Z',
        endsAt: '2026-11-25T15:00:00.000Z',
      },
      next: {
        reason: 'office hours',
        startedAt: '2026-11-26T08:00:00.000Z',
        endsAt: '2026-11-26T15:00:00.000Z',
      },
    });
    expect(
      evaluateDeploymentWindow(live, new Date('2026-11-25T10:00:00Z')),
    ).toBeUndefined();
  });

  it('is closed outside, saying when the next window opens', () => {
    // Thursday 16:00 Berlin: closed until Tuesday 09:00 Berlin.
    const now = new Date('2026-11-26T15:00:00Z');
    const state = nextDeploymentWindow(live, now);
    expect(state.open).toBe(false);
    expect(state.next?.startedAt).toBe('2026-12-01T08:00:00.000Z');
    expect(evaluateDeploymentWindow(live, now)).toEqual({
      code: 'outside_window',
      message:
        'Live deploys only inside its deployment windows; the next opens at 2026-12-01T08:00:00.000Z (office hours)',
      nextOpensAt: '2026-12-01T08:00:00.000Z',
    });
    // One minute before the opening, and at the opening itself.
    expect(
      nextDeploymentWindow(live, new Date('2026-12-01T07:59:00Z')).open,
    ).toBe(false);
    expect(
      nextDeploymentWindow(live, new Date('2026-12-01T08:00:00Z')).open,
    ).toBe(true);
  });

  it('follows daylight saving time', () => {
    // Tuesday 2026-07-07 09:00 Berlin is 07:00 UTC.
    expect(
      nextDeploymentWindow(live, new Date('2026-07-06T12:00:00Z')).next
        ?.startedAt,
    ).toBe('2026-07-07T07:00:00.000Z');
  });

  it('leaves a phase without windows unrestricted', () => {
    expect(nextDeploymentWindow({ id: 'dev' }, new Date())).toEqual({
      restricted: false,
      open: true,
    });
    expect(
      evaluateDeploymentWindow(
        { id: 'dev', deploymentWindows: [] },
        new Date(),
      ),
    ).toBeUndefined();
  });

  it('takes the earliest next opening of several windows', () => {
    const phase = {
      id: 'live',
      deploymentWindows: [
        ...live.deploymentWindows,
        { cron: '0 6 * * 1', duration: 'PT1H' },
      ],
    };
    // Saturday: Monday 06:00 UTC comes before Tuesday 09:00 Berlin.
    expect(
      nextDeploymentWindow(phase, new Date('2026-11-28T12:00:00Z')).next,
    ).toEqual({
      startedAt: '2026-11-30T06:00:00.000Z',
      endsAt: '2026-11-30T07:00:00.000Z',
    });
  });

  it('validates windows', () => {
    expect(validateDeploymentWindow(live.deploymentWindows[0])).toEqual([]);
    expect(
      validateDeploymentWindow({
        cron: '0 9 * * 8',
        duration: 'P8D',
        timezone: 'Mars/Base',
      }),
    ).toEqual([
      "cron field '8' is out of range 0-7",
      "deployment window duration 'P8D' must be an ISO 8601 duration between PT1M and P7D",
      "unknown time zone 'Mars/Base'",
    ]);
  });
});

describe('speed', () => {
  // Timed in one run against a baseline in the same process (the machine is
  // shared and noisy): the cost of a read must not grow with the windows'
  // durations. The old matcher walked back minute by minute over the
  // duration (~100 ms per read with a two-week window).
  const crons = [
    { cron: '0 18 * * 5', timezone: 'Europe/Berlin' },
    { cron: '0 22 * * *' },
    { cron: '0 0 1 1 *', timezone: 'America/New_York' },
    { cron: '0 0 20 12 *', timezone: 'Asia/Tokyo' },
    { cron: '*/15 9-17 * * 1-5' },
  ];
  const timePerRead = (duration: string) => {
    const windows = crons.map(c => ({ ...c, duration }));
    const phase = { id: 'live', deploymentWindows: windows };
    const reads = 30;
    const start = process.hrtime.bigint();
    for (let i = 0; i < reads; i++) {
      const now = new Date(Date.UTC(2026, 0, 1) + i * 7_919_000);
      findActiveFreeze(windows, now);
      nextDeploymentWindow(phase, now);
    }
    return Number(process.hrtime.bigint() - start) / 1e6 / reads;
  };

  it('reads several windows at a cost that does not grow with their duration', () => {
    timePerRead('PT1M'); // warm-up: parse and cache the schedules
    const short = timePerRead('PT1M');
    const long = timePerRead('P14D');
    // Measured ~2–7 ms per read of five windows, both rules, on the 2-core
    // dev machine under jest; a walk over the duration would make the
    // two-week windows thousands of times slower than one-minute ones.
    expect(long / short).toBeLessThan(4);
    expect(long).toBeLessThan(100);
  });
});
