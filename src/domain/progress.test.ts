import { describe, expect, it } from 'vitest';
import { assessProgress, PROGRESS_STATUSES, type ProgressInput } from './progress.ts';

/**
 * Yearly count, baseline 200 in 2023 (t0 = 2024.0), target 500 in 2027 (tT = 2028.0):
 * required = 300 / 4 = 75 a year. Latest value in 2025 (t = 2026.0): actual = (x − 200) / 2.
 */
function higher(x: number, extra: Partial<ProgressInput> = {}): ProgressInput {
  return {
    unitType: 'count',
    polarity: 'higher',
    frequency: 'year',
    baseline: { value: 200, period: '2023' },
    target: { value: 500, period: '2027' },
    values: [{ period: '2025', value: x }],
    assessedAt: '2025',
    ...extra,
  };
}

/** Same times, percentage that should fall from 40 to 20: required = −20 / 4 = −5 a year; actual = (x − 40) / 2. */
function lower(x: number, extra: Partial<ProgressInput> = {}): ProgressInput {
  return {
    ...higher(x),
    unitType: 'percentage',
    polarity: 'lower',
    baseline: { value: 40, period: '2023' },
    target: { value: 20, period: '2027' },
    ...extra,
  };
}

describe('assessProgress for trend indicators, polarity higher', () => {
  it.each([
    [350, 'on_track', 1], // 75 / 75
    [346, 'on_track', 73 / 75],
    [342.5, 'on_track', 0.95], // boundary: 71.25 / 75
    [320, 'acceleration_needed', 0.8], // 60 / 75
    [290, 'acceleration_needed', 0.6], // boundary: 45 / 75
    [260, 'limited_progress', 0.4], // 30 / 75
    [200, 'limited_progress', 0], // no change
    [180, 'moving_away', -10 / 75],
  ] as const)('x = %d → %s', (x, status, ratio) => {
    const r = assessProgress(higher(x));
    expect(r.status).toBe(status);
    expect(r.ratio).toBeCloseTo(ratio, 12);
    expect(r.latest).toEqual({ period: '2025', value: x });
  });

  it('says how much of the needed growth was achieved, in plain English', () => {
    expect(assessProgress(higher(346)).message).toBe('on track: 97% of the growth needed to reach 500 by 2027');
    // required 500 / 4 = 125 a year; actual 80 / 2 = 40 → 0.32
    expect(assessProgress(higher(1080, { baseline: { value: 1000, period: '2023' }, target: { value: 1500, period: '2027' } })).message).toBe(
      'limited progress: 32% of the growth needed to reach 1,500 by 2027',
    );
  });

  it('is on track once the target is met, however fast', () => {
    const r = assessProgress(higher(500));
    expect(r.status).toBe('on_track');
    expect(r.message).toBe('on track: 500 in 2025 already meets the target of 500 by 2027');
  });

  it('works in fractions of a year for quarterly data', () => {
    // t0 = 2025.0 (end of 2024Q4), t = 2025.5 (end of 2025Q2), tT = 2027.0 (end of 2026Q4)
    // required = 100 / 2 = 50 a year; actual = 24 / 0.5 = 48 → 0.96
    const r = assessProgress({
      unitType: 'count',
      polarity: 'higher',
      frequency: 'quarterly',
      baseline: { value: 100, period: '2024Q4' },
      target: { value: 200, period: '2026Q4' },
      values: [
        { period: '2025Q1', value: 110 },
        { period: '2025Q2', value: 124 },
      ],
      assessedAt: '2025Q3',
    });
    expect(r).toEqual({
      status: 'on_track',
      ratio: expect.closeTo(0.96, 12),
      latest: { period: '2025Q2', value: 124 },
      message: 'on track: 96% of the growth needed to reach 200 by 2026Q4',
    });
  });

  it('times an end-of-phase target at the end of the phase', () => {
    // tT = 2027.5 (2026July ends June 2027): required = 300 / 3.5; actual = 75 → 0.875
    const r = assessProgress(higher(350, { target: { value: 500, period: null }, phaseEnd: '2026July' }));
    expect(r.status).toBe('acceleration_needed');
    expect(r.ratio).toBeCloseTo(0.875, 12);
    expect(() => assessProgress(higher(350, { target: { value: 500, period: null } }))).toThrow('phaseEnd');
  });

  it('uses the earliest value as baseline when none is given', () => {
    // baseline 200 in 2023 from the data: same as the x = 260 case above
    const values = [
      { period: '2024', value: 230 },
      { period: '2023', value: 200 },
      { period: '2025', value: 260 },
    ];
    const r = assessProgress(higher(0, { baseline: null, values }));
    expect(r.status).toBe('limited_progress');
    expect(r.ratio).toBeCloseTo(0.4, 12);
    expect(r.latest).toEqual({ period: '2025', value: 260 });
  });

  it('has no growth to measure from a single value without baseline', () => {
    const r = assessProgress(higher(260, { baseline: null }));
    expect(r.status).toBe('no_data');
    expect(r.latest).toEqual({ period: '2025', value: 260 });
  });

  it('ignores values after the assessment period', () => {
    const values = [
      { period: '2025', value: 260 },
      { period: '2026', value: 600 },
    ];
    expect(assessProgress(higher(0, { values })).status).toBe('limited_progress');
  });

  it('never shows a missed target as on track', () => {
    // target 500 in 2025 (tT = 2026.0): required 150 a year; actual (490 − 200) / 2 = 145 → 0.967
    const r = assessProgress(higher(490, { target: { value: 500, period: '2025' } }));
    expect(r.status).toBe('acceleration_needed');
    expect(r.ratio).toBeCloseTo(145 / 150, 12);
    expect(r.message).toContain('was missed');
  });

  it('when the target equals the baseline, holding it is on track and falling below is moving away', () => {
    const flat = { baseline: { value: 200, period: '2023' }, target: { value: 200, period: '2027' } };
    expect(assessProgress(higher(200, flat)).status).toBe('on_track');
    expect(assessProgress(higher(210, flat)).status).toBe('on_track');
    const r = assessProgress(higher(190, flat));
    expect(r.status).toBe('moving_away');
    expect(r.ratio).toBeNull();
  });

  it('has no growth path when the target ends before the baseline', () => {
    const r = assessProgress(higher(300, { baseline: { value: 200, period: '2024' }, target: { value: 500, period: '2023' }, assessedAt: '2025' }));
    expect(r.status).toBe('no_target');
  });
});

describe('assessProgress for trend indicators, polarity lower', () => {
  it.each([
    [30, 'on_track', 1], // −5 / −5
    [34, 'acceleration_needed', 0.6], // −3 / −5
    [38, 'limited_progress', 0.2], // −1 / −5
    [40, 'limited_progress', 0],
    [44, 'moving_away', -0.4], // +2 / −5
  ] as const)('x = %d → %s', (x, status, ratio) => {
    const r = assessProgress(lower(x));
    expect(r.status).toBe(status);
    expect(r.ratio).toBeCloseTo(ratio, 12);
  });

  it('is on track below the target', () => {
    expect(assessProgress(lower(18)).status).toBe('on_track');
    expect(assessProgress(lower(20)).status).toBe('on_track');
  });

  it('speaks of reduction, with percent units', () => {
    expect(assessProgress(lower(34)).message).toBe('acceleration needed: 60% of the reduction needed to reach 20% by 2027');
    expect(assessProgress(lower(44)).message).toBe(
      'moving away: 44% in 2025 is further from the target of 20% by 2027 than the baseline of 40% in 2023',
    );
  });

  it('treats a target above a lower-is-better baseline as a ceiling to stay under', () => {
    const ceiling = { baseline: { value: 10, period: '2023' }, target: { value: 12, period: '2027' } };
    expect(assessProgress(lower(11, ceiling)).status).toBe('on_track');
    expect(assessProgress(lower(13, ceiling)).status).toBe('moving_away');
  });
});

describe('assessProgress: no data, stale, no target', () => {
  const quarterly = (periods: string[], extra: Partial<ProgressInput> = {}): ProgressInput => ({
    unitType: 'count',
    polarity: 'higher',
    frequency: 'quarterly',
    baseline: { value: 100, period: '2025Q4' },
    target: { value: 200, period: '2027Q4' },
    values: periods.map((period) => ({ period, value: 130 })),
    assessedAt: '2026Q3',
    ...extra,
  });

  it('is no_data without any value up to the assessment period', () => {
    expect(assessProgress(quarterly([]))).toEqual({ status: 'no_data', ratio: null, latest: null, message: 'no data up to 2026Q3' });
    expect(assessProgress(quarterly(['2026Q4'])).status).toBe('no_data');
  });

  it('is stale when the latest value is 2 or more quarters before the assessment', () => {
    const r = assessProgress(quarterly(['2026Q1']));
    expect(r.status).toBe('stale');
    expect(r.latest).toEqual({ period: '2026Q1', value: 130 });
    expect(r.message).toBe('stale: the latest value, 130 in 2026Q1, is 2 quarters before 2026Q3');
    expect(assessProgress(quarterly(['2026Q2'])).status).not.toBe('stale');
    expect(assessProgress(quarterly(['2026Q1'], { staleAfter: 3 })).status).not.toBe('stale');
  });

  it('counts staleness in the indicator frequency when assessed at a longer period', () => {
    // assessed at FY 2025-26, which ends in 2026Q2
    expect(assessProgress(quarterly(['2026Q1'], { assessedAt: '2025July' })).status).not.toBe('stale');
    expect(assessProgress(quarterly(['2025Q4'], { assessedAt: '2025July' })).status).toBe('stale');
  });

  it('is no_target without a target, still reporting the latest value', () => {
    const r = assessProgress(quarterly(['2026Q3'], { target: null }));
    expect(r).toEqual({ status: 'no_target', ratio: null, latest: { period: '2026Q3', value: 130 }, message: 'no target: the latest value is 130 in 2026Q3' });
  });
});

describe('assessProgress for milestones and yes/no', () => {
  const milestone = (x: number, baseline: number | null): ProgressInput => ({
    unitType: 'milestone',
    polarity: 'higher',
    frequency: 'half_year',
    baseline: baseline === null ? null : { value: baseline, period: '2024S2' },
    target: { value: 4, period: null },
    phaseEnd: '2027July',
    values: [{ period: '2026S1', value: x }],
    assessedAt: '2026S1',
  });

  it('is achieved at or above the target', () => {
    const r = assessProgress(milestone(4, 1));
    expect(r.status).toBe('achieved');
    expect(r.ratio).toBeNull();
    expect(r.message).toBe('achieved: 4 (Operational with evidence) in 2026S1 meets the target of 4 (Operational with evidence) by 2027July');
  });

  it('is partially achieved above the baseline but short of the target', () => {
    expect(assessProgress(milestone(2, 1)).status).toBe('partially_achieved');
    expect(assessProgress(milestone(2, 1)).message).toBe(
      'partially achieved: 2 (Approved) in 2026S1, up from 1 (Drafted), short of the target of 4 (Operational with evidence) by 2027July',
    );
  });

  it('is not achieved with no step beyond the baseline', () => {
    expect(assessProgress(milestone(1, 1)).status).toBe('not_achieved');
    expect(assessProgress(milestone(0, 1)).status).toBe('not_achieved');
  });

  it('counts from "Not started" when there is no baseline', () => {
    expect(assessProgress(milestone(1, null)).status).toBe('partially_achieved');
    expect(assessProgress(milestone(0, null)).status).toBe('not_achieved');
  });

  it('is achieved for yes/no only when the value equals the target', () => {
    const yesNo = (x: number): ProgressInput => ({ ...milestone(x, 0), unitType: 'yes_no', target: { value: 1, period: '2026S2' } });
    expect(assessProgress(yesNo(1)).status).toBe('achieved');
    const r = assessProgress(yesNo(0));
    expect(r.status).toBe('not_achieved');
    expect(r.message).toBe('not achieved: no in 2026S1, short of the target of yes by 2026S2');
  });
});

describe('PROGRESS_STATUSES', () => {
  it('gives every status once, each with a label and a distinct symbol', () => {
    const statuses = PROGRESS_STATUSES.map((s) => s.status);
    expect(new Set(statuses).size).toBe(10);
    expect(new Set(PROGRESS_STATUSES.map((s) => s.symbol)).size).toBe(10);
    expect(PROGRESS_STATUSES.every((s) => s.label.length > 0)).toBe(true);
    expect(statuses.slice(0, 4)).toEqual(['on_track', 'acceleration_needed', 'limited_progress', 'moving_away']);
  });
});
