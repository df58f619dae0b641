import { DateTime } from 'luxon';
import { wouldDeployAt } from './schedule';

const at = (iso: string) => new Date(iso);
/** An instant given as a wall-clock time in a zone, in UTC ISO. */
const wall = (text: string, zone: string) =>
  DateTime.fromISO(text, { zone }).toUTC().toISO()!;
const free = { blockedBy: [] };

// Live deploys Tue–Thu 09:00–16:00 Europe/Berlin.
const office = [
  { cron: '0 9 * * 2-4', duration: 'PT7H', timezone: 'Europe/Berlin' },
];

describe('wouldDeployAt', () => {
  it('deploys now with no windows, freezes, soak or schedule', () => {
    const now = at('2026-11-24T10:00:00.000Z');
    expect(wouldDeployAt(now, free, undefined, [], [])).toEqual({
      kind: 'now',
      blockedBy: [],
    });
  });

  it('inside a window deploys now; after it closes, at the next opening (across the DST change, in the window time zone)', () => {
    // Tue 24 March 2026 10:00 Berlin (CET, UTC+1): open.
    expect(
      wouldDeployAt(
        at(wall('2026-03-24T10:00', 'Europe/Berlin')),
        free,
        undefined,
        office,
        [],
      ).kind,
    ).toBe('now');
    // Thu 26 March 16:00 Berlin: the window just closed (end is exclusive);
    // the next opens Tue 31 March 09:00 Berlin, now CEST (UTC+2): 07:00Z.
    const closed = wouldDeployAt(
      at(wall('2026-03-26T16:00', 'Europe/Berlin')),
      free,
      undefined,
      office,
      [],
    );
    expect(closed).toEqual({
      kind: 'at',
      at: '2026-03-31T07:00:00.000Z',
      because: 'window',
      blockedBy: [],
    });
    expect(closed.at).toBe(wall('2026-03-31T09:00', 'Europe/Berlin'));
    // One minute before the close it still deploys now.
    expect(
      wouldDeployAt(
        at(wall('2026-03-26T15:59', 'Europe/Berlin')),
        free,
        undefined,
        office,
        [],
      ).kind,
    ).toBe('now');
    // And back in autumn (CET again from 25 October 2026): 08:00Z.
    expect(
      wouldDeployAt(
        at(wall('2026-10-23T12:00', 'Europe/Berlin')),
        free,
        undefined,
        office,
        [],
      ).at,
    ).toBe('2026-10-27T08:00:00.000Z');
  });

  it('reads windows in their own time zone (New York, with its own DST date)', () => {
    // 09:00–17:00 New York on weekdays. US DST starts 8 March 2026, Europe's 29 March.
    const ny = [
      { cron: '0 9 * * 1-5', duration: 'PT8H', timezone: 'America/New_York' },
    ];
    // Fri 6 March 18:00 New York (EST, UTC-5) → Mon 9 March 09:00 EDT (UTC-4) = 13:00Z.
    expect(
      wouldDeployAt(
        at(wall('2026-03-06T18:00', 'America/New_York')),
        free,
        undefined,
        ny,
        [],
      ).at,
    ).toBe('2026-03-09T13:00:00.000Z');
  });

  it('waits for the end of an active freeze; the freeze end counts (exclusive end)', () => {
    const freeze = [
      { cron: '0 8 * * *', duration: 'PT2H', reason: 'Morning batch' },
    ];
    expect(
      wouldDeployAt(
        at('2026-11-24T09:00:00.000Z'),
        free,
        undefined,
        [],
        freeze,
      ),
    ).toEqual({
      kind: 'at',
      at: '2026-11-24T10:00:00.000Z',
      because: 'freeze',
      blockedBy: [],
    });
    // At the freeze start exactly it is frozen; at its end exactly it is not.
    expect(
      wouldDeployAt(at('2026-11-24T08:00:00.000Z'), free, undefined, [], freeze)
        .at,
    ).toBe('2026-11-24T10:00:00.000Z');
    expect(
      wouldDeployAt(at('2026-11-24T10:00:00.000Z'), free, undefined, [], freeze)
        .kind,
    ).toBe('now');
  });

  it('a freeze ending inside a window deploys at its end; ending after the window, at the next opening', () => {
    const window = [{ cron: '0 9 * * *', duration: 'PT2H', timezone: 'UTC' }];
    // Frozen 08:30–09:30; window 09:00–11:00: at 09:30.
    expect(
      wouldDeployAt(at('2026-11-24T08:45:00.000Z'), free, undefined, window, [
        { cron: '30 8 24 11 *', duration: 'PT1H' },
      ]),
    ).toMatchObject({
      kind: 'at',
      at: '2026-11-24T09:30:00.000Z',
      because: 'freeze',
    });
    // Frozen 08:30–11:30 on the 24th only: the next opening, the 25th 09:00.
    expect(
      wouldDeployAt(at('2026-11-24T08:45:00.000Z'), free, undefined, window, [
        { cron: '30 8 24 11 *', duration: 'PT3H' },
      ]),
    ).toMatchObject({
      kind: 'at',
      at: '2026-11-25T09:00:00.000Z',
      because: 'window',
    });
  });

  it('never, when freezes cover every window', () => {
    const result = wouldDeployAt(
      at('2026-11-24T12:00:00.000Z'),
      free,
      undefined,
      [{ cron: '0 9 * * *', duration: 'PT1H', timezone: 'UTC' }],
      [{ cron: '30 8 * * *', duration: 'PT2H' }],
    );
    expect(result.kind).toBe('never');
    expect(result.reason).toMatch(/no time outside its freeze windows/);
  });

  it('a soak time delays, then the windows apply', () => {
    expect(
      wouldDeployAt(
        at(wall('2026-11-24T10:00', 'Europe/Berlin')),
        { blockedBy: [], readyAt: wall('2026-11-24T12:00', 'Europe/Berlin') },
        undefined,
        office,
        [],
      ),
    ).toMatchObject({
      kind: 'at',
      because: 'soak',
      at: wall('2026-11-24T12:00', 'Europe/Berlin'),
    });
    expect(
      wouldDeployAt(
        at(wall('2026-11-26T10:00', 'Europe/Berlin')),
        { blockedBy: [], readyAt: wall('2026-11-26T17:00', 'Europe/Berlin') },
        undefined,
        office,
        [],
      ),
    ).toMatchObject({
      kind: 'at',
      because: 'window',
      at: wall('2026-12-01T09:00', 'Europe/Berlin'),
    });
  });

  it('a scheduled promotion deploys at its time, or ends then in a freeze or outside every window', () => {
    const now = at('2026-11-24T07:00:00.000Z');
    const freeze = [
      { cron: '0 8 * * 2', duration: 'PT1H', reason: 'QA freeze' },
    ];
    expect(
      wouldDeployAt(now, free, '2026-11-24T09:00:00.000Z', [], freeze),
    ).toEqual({
      kind: 'scheduled',
      at: '2026-11-24T09:00:00.000Z',
      because: 'schedule',
      blockedBy: [],
    });
    expect(
      wouldDeployAt(now, free, '2026-11-24T08:30:00.000Z', [], freeze),
    ).toMatchObject({
      kind: 'ends',
      at: '2026-11-24T08:30:00.000Z',
      reason: 'frozen until 2026-11-24T09:00:00.000Z: QA freeze',
    });
    // Wed 02:00 Berlin is outside the office windows.
    expect(
      wouldDeployAt(
        now,
        free,
        wall('2026-11-25T02:00', 'Europe/Berlin'),
        office,
        [],
      ),
    ).toMatchObject({
      kind: 'ends',
      reason: `outside its deployment windows; the next opens at ${wall(
        '2026-11-25T09:00',
        'Europe/Berlin',
      )}`,
    });
    // A time already past: due now.
    expect(
      wouldDeployAt(now, free, '2026-11-24T06:00:00.000Z', [], []).at,
    ).toBe(now.toISOString());
  });

  it('an override lifts the freeze and the window; other blockers are passed through', () => {
    const result = wouldDeployAt(
      at('2026-11-24T09:00:00.000Z'),
      {
        blockedBy: ['Live is locked: incident'],
        overrides: ['freeze', 'window'],
      },
      undefined,
      office,
      [{ cron: '0 8 * * *', duration: 'PT2H' }],
    );
    expect(result).toEqual({
      kind: 'now',
      blockedBy: ['Live is locked: incident'],
    });
  });
});
