import { DEFAULT_PIPELINE_TEMPLATE } from './pipeline';
import {
  comparePlan,
  mergeReleasePlan,
  validateCreateRelease,
  validateReleasePlan,
} from './validation';

describe('release plan', () => {
  it('accepts phases of the pipeline with ISO dates or date-times', () => {
    expect(
      validateReleasePlan(
        { stage: '2026-12-01', live: '2026-12-03T09:00:00+01:00' },
        DEFAULT_PIPELINE_TEMPLATE,
      ),
    ).toEqual([]);
  });

  it('names unknown phases, bad dates and nulls where not allowed', () => {
    expect(
      validateReleasePlan(
        { prod: '2026-12-01', live: 'next week', qa: null },
        DEFAULT_PIPELINE_TEMPLATE,
      ),
    ).toEqual([
      "plannedAt: 'prod' is not a phase of the pipeline (dev, qa, stage, live)",
      "plannedAt.live 'next week' is not an ISO 8601 date or date-time",
      'plannedAt.qa must be a date',
    ]);
    expect(
      validateReleasePlan({ qa: null }, DEFAULT_PIPELINE_TEMPLATE, {
        allowNull: true,
      }),
    ).toEqual([]);
    expect(
      validateCreateRelease({
        version: '1.0.0',
        artifact: 'a',
        committedAt: 'yesterday',
      }),
    ).toEqual(["committedAt 'yesterday' is not a date-time"]);
  });

  it('merges updates: sets, clears and keeps', () => {
    expect(
      mergeReleasePlan(
        { qa: '2026-11-30T00:00:00.000Z', live: '2026-12-03T00:00:00.000Z' },
        { live: null, stage: '2026-12-01' },
      ),
    ).toEqual({
      qa: '2026-11-30T00:00:00.000Z',
      stage: '2026-12-01T00:00:00.000Z',
    });
  });

  it('compares planned with actual by calendar day', () => {
    const now = new Date('2026-12-05T12:00:00Z');
    const planned = '2026-12-03T00:00:00.000Z';
    expect(
      comparePlan(
        planned,
        { status: 'succeeded', updatedAt: '2026-12-03T18:00:00Z' },
        now,
      ),
    ).toMatchObject({ state: 'on_time', daysLate: 0 });
    expect(
      comparePlan(
        planned,
        { status: 'succeeded', updatedAt: '2026-12-05T08:00:00Z' },
        now,
      ),
    ).toMatchObject({ state: 'late', daysLate: 2 });
    expect(
      comparePlan(
        planned,
        { status: 'succeeded', updatedAt: '2026-12-01T08:00:00Z' },
        now,
      ),
    ).toMatchObject({ state: 'on_time', daysLate: -2 });
    expect(
      comparePlan(
        planned,
        { status: 'failed', updatedAt: '2026-12-03T08:00:00Z' },
        now,
      ),
    ).toEqual({ plannedAt: planned, state: 'overdue' });
    expect(comparePlan('2026-12-09', undefined, now)).toEqual({
      plannedAt: '2026-12-09',
      state: 'planned',
    });
  });
});
