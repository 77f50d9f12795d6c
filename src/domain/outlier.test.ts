import { describe, expect, it } from 'vitest';
import { isOutlier, median, modifiedZScore } from './outlier.ts';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('modifiedZScore', () => {
  it('matches a hand-computed example', () => {
    // history sorted 9 10 11 12 12 13 → median 11.5; |deviations| sorted 0.5 0.5 0.5 1.5 1.5 2.5 → MAD 1.0
    // M = 0.6745 × (30 − 11.5) / 1.0 = 12.47825
    expect(modifiedZScore(30, [10, 12, 11, 13, 9, 12])).toBeCloseTo(12.47825, 10);
    expect(modifiedZScore(11, [10, 12, 11, 13, 9, 12])).toBeCloseTo(-0.33725, 10);
  });

  it('is negative for a drop', () => {
    expect(modifiedZScore(0, [100, 98, 102, 101, 99])).toBeCloseTo((0.6745 * -100) / 1, 10);
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    // median 5, deviations 0 0 0 0 4 → MAD 0, MeanAD 0.8; M = (9 − 5) / (1.253314 × 0.8)
    expect(modifiedZScore(9, [5, 5, 5, 5, 9])).toBeCloseTo(4 / (1.253314 * 0.8), 10);
  });

  it('gives no score with fewer than 4 history points', () => {
    expect(modifiedZScore(1000, [10, 11, 12])).toBeNull();
    expect(modifiedZScore(1000, [])).toBeNull();
    expect(modifiedZScore(1000, [10, 11, 12, 13])).not.toBeNull();
  });

  it('gives no score for a constant history that the value also equals', () => {
    expect(modifiedZScore(7, [7, 7, 7, 7])).toBeNull();
  });

  it('scores any departure from a constant history as infinitely far', () => {
    expect(modifiedZScore(8, [7, 7, 7, 7])).toBe(Infinity);
    expect(modifiedZScore(6, [7, 7, 7, 7])).toBe(-Infinity);
  });
});

describe('isOutlier', () => {
  it('flags scores beyond ±3.5 by default, not at the threshold itself', () => {
    expect(isOutlier(3.51)).toBe(true);
    expect(isOutlier(-3.51)).toBe(true);
    expect(isOutlier(3.5)).toBe(false);
    expect(isOutlier(-Infinity)).toBe(true);
    expect(isOutlier(null)).toBe(false);
  });

  it('takes another threshold', () => {
    expect(isOutlier(2.5, 2)).toBe(true);
    expect(isOutlier(2.5, 3)).toBe(false);
  });
});
