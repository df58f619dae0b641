import {
  computeDoraMetrics,
  doraOutcomes,
  doraSummaryValidUntil,
  summarizeDoraOutcomes,
  percentile,
  ProductionDeployment,
  resolveMetricsPeriod,
} from './metrics';

const H = 3600;
const from = new Date('2026-11-01T00:00:00Z');
const to = new Date('2026-11-08T00:00:00Z');

function dep(
  finishedAt: string,
  status: 'succeeded' | 'failed',
  kind: 'promote' | 'rollback' = 'promote',
  releaseCreatedAt = '2026-10-31T00:00:00Z',
  entityRef = 'component:default/a',
): ProductionDeployment {
  return { entityRef, kind, status, finishedAt, releaseCreatedAt };
}

describe('percentile', () => {
  it('interpolates like percentile_cont', () => {
    expect(percentile([], 0.5)).toBeUndefined();
    expect(percentile([4], 0.9)).toBe(4);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10, 1, 5, 7, 3, 9, 2, 8, 6, 4], 0.9)).toBeCloseTo(9.1);
  });
});

describe('computeDoraMetrics', () => {
  it('counts successes, failures, rollbacks and restores', () => {
    const { metrics, series } = computeDoraMetrics(
      [
        // Before the period: not counted, but a rollback of it is no change.
        dep('2026-10-31T12:00:00Z', 'succeeded'),
        dep('2026-11-01T02:00:00Z', 'succeeded'), // lead 26 h
        dep('2026-11-02T10:00:00Z', 'failed'), // failure, restored 2 h later
        dep(
          '2026-11-02T12:00:00Z',
          'succeeded',
          'promote',
          '2026-11-02T08:00:00Z',
        ), // lead 4 h, rolled back
        dep('2026-11-02T13:00:00Z', 'failed', 'rollback'), // a failed rollback: no change
        dep('2026-11-02T13:30:00Z', 'succeeded', 'rollback'), // restores 1.5 h after
        dep('2026-11-07T23:00:00Z', 'failed'), // unrestored in the period…
        dep('2026-11-08T01:00:00Z', 'succeeded'), // …restored after it (2 h)
      ],
      { from, to, bucket: 'day' },
    );
    expect(metrics.deployments).toBe(2);
    expect(metrics.deploymentsPerDay).toBeCloseTo(2 / 7);
    expect(metrics.changeDeployments).toBe(4);
    expect(metrics.failedDeployments).toBe(3);
    expect(metrics.changeFailureRate).toBe(0.75);
    expect(metrics.leadTime).toEqual({
      count: 2,
      medianSeconds: 15 * H,
      p90Seconds: 4 * H + 0.9 * 22 * H,
    });
    // Restores: 2 h (failed → the success at 12:00), 1.5 h (rolled back),
    // 2 h (after the period).
    expect(metrics.timeToRestore).toEqual({
      count: 3,
      medianSeconds: 2 * H,
      p90Seconds: 2 * H,
    });
    expect(metrics.unrestored).toBe(0);
    expect(metrics.bands).toEqual({
      deploymentFrequency: 'high',
      leadTime: 'elite',
      changeFailureRate: 'low',
      timeToRestore: 'high',
      overall: 'low',
    });
    expect(series).toHaveLength(7);
    expect(series[1]).toEqual({
      start: '2026-11-02T00:00:00.000Z',
      deployments: 1,
      failures: 2,
      leadTimeMedianSeconds: 4 * H,
      timeToRestoreMedianSeconds: 1.75 * H,
    });
  });

  it('reports an empty period without bands', () => {
    const { metrics, series } = computeDoraMetrics([], {
      from,
      to,
      bucket: 'week',
    });
    expect(metrics).toEqual({
      deployments: 0,
      deploymentsPerDay: 0,
      leadTime: { count: 0 },
      changeFailureRate: null,
      failedDeployments: 0,
      changeDeployments: 0,
      timeToRestore: { count: 0 },
      unrestored: 0,
      bands: {},
    });
    // 2026-11-01 is a Sunday: its week starts on Monday 2026-10-26.
    expect(series.map(p => p.start)).toEqual([
      '2026-10-26T00:00:00.000Z',
      '2026-11-02T00:00:00.000Z',
    ]);
  });

  it('keeps entities apart and counts unrestored failures', () => {
    const { metrics } = computeDoraMetrics(
      [
        dep(
          '2026-11-03T00:00:00Z',
          'failed',
          'promote',
          undefined,
          'component:default/a',
        ),
        dep(
          '2026-11-04T00:00:00Z',
          'succeeded',
          'promote',
          '2026-11-03T00:00:00Z',
          'component:default/b',
        ),
      ],
      { from, to, bucket: 'day' },
    );
    // b's success does not restore a's failure.
    expect(metrics.unrestored).toBe(1);
    expect(metrics.timeToRestore.count).toBe(0);
    expect(metrics.changeFailureRate).toBe(0.5);
  });

  it('counts lead time from the commit where known', () => {
    const { metrics } = computeDoraMetrics(
      [
        {
          ...dep('2026-11-03T00:00:00Z', 'succeeded'),
          releaseCreatedAt: '2026-11-02T00:00:00Z',
          committedAt: '2026-11-01T00:00:00Z',
        },
      ],
      { from, to, bucket: 'day' },
    );
    expect(metrics.leadTime.medianSeconds).toBe(48 * H);
  });
});

describe('resolveMetricsPeriod', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  it('defaults to the last 30 days in daily buckets', () => {
    expect(resolveMetricsPeriod({}, now)).toEqual({
      from: new Date('2026-10-27T12:00:00Z'),
      to: now,
      bucket: 'day',
    });
    expect(
      resolveMetricsPeriod({ from: '2026-01-01T00:00:00Z' }, now).bucket,
    ).toBe('week');
  });
  it('refuses an inverted or too long period', () => {
    expect(() =>
      resolveMetricsPeriod({ from: '2026-12-01T00:00:00Z' }, now),
    ).toThrow('from must be before to');
    expect(() =>
      resolveMetricsPeriod({ from: '2020-01-01T00:00:00Z' }, now),
    ).toThrow('at most 366 days');
  });
});

describe('doraSummaryValidUntil', () => {
  /** A deterministic pseudo-random sequence (mulberry32). */
  function random(seed: number) {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('a summary kept until then equals the summary computed afresh, for any later end of the period', () => {
    const day = 86_400_000;
    const base = Date.parse('2026-09-01T00:00:00Z');
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = random(seed);
      // Deployments over 90 days, some failed, some rollbacks.
      const deployments: ProductionDeployment[] = [];
      let t = base;
      const count = 5 + Math.floor(rnd() * 80);
      for (let i = 0; i < count; i++) {
        t += Math.floor(rnd() * 3 * day);
        deployments.push(
          dep(
            new Date(t).toISOString(),
            rnd() < 0.2 ? 'failed' : 'succeeded',
            rnd() < 0.1 ? 'rollback' : 'promote',
            new Date(t - Math.floor(rnd() * day)).toISOString(),
          ),
        );
      }
      const outcomes = doraOutcomes(deployments);
      const length = (rnd() < 0.5 ? 30 : 7 + Math.floor(rnd() * 60)) * day;
      const bucket = rnd() < 0.5 ? 'day' : 'week';
      let end = base + 20 * day + Math.floor(rnd() * 60 * day);
      // Slide the period forward: within the validity the summary holds.
      for (let step = 0; step < 25; step++) {
        const period = {
          from: new Date(end - length),
          to: new Date(end),
          bucket,
        } as const;
        const kept = summarizeDoraOutcomes(outcomes, period);
        const until = doraSummaryValidUntil(outcomes, period);
        expect(until).toBeGreaterThan(end);
        for (const later of [end + 1, (end + until) / 2, until - 1]) {
          if (!Number.isFinite(later) || later <= end) continue;
          const at = Math.floor(later);
          expect(
            summarizeDoraOutcomes(outcomes, {
              from: new Date(at - length),
              to: new Date(at),
              bucket,
            }),
          ).toEqual(kept);
        }
        end = Number.isFinite(until)
          ? until + Math.floor(rnd() * 3 * 3600_000)
          : end + day;
      }
    }
  });
});
