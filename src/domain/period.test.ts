import { describe, expect, it } from 'vitest';
import {
  comparePeriods,
  parsePeriod,
  periodContaining,
  periodContains,
  periodLabel,
  periodRange,
  periodsWithin,
  shiftPeriod,
} from './period.ts';

describe('period codes', () => {
  it.each([
    ['2025Q3', 'quarterly', '2025-07-01', '2025-09-30'],
    ['202509', 'monthly', '2025-09-01', '2025-09-30'],
    ['202402', 'monthly', '2024-02-01', '2024-02-29'],
    ['2025S2', 'half_year', '2025-07-01', '2025-12-31'],
    ['2025', 'year', '2025-01-01', '2025-12-31'],
    ['2025July', 'fiscal_year', '2025-07-01', '2026-06-30'],
  ])('parses %s as %s from %s to %s', (code, type, start, end) => {
    const p = parsePeriod(code);
    expect(p).toMatchObject({ code, type, start, end });
  });

  it.each(['2025Q5', '2025Q0', '202513', '2025S3', '25Q1', '2025-Q1', '2025june', '', 'Q1 2025', '1800'])(
    'rejects %j with a message that names it',
    (code) => {
      expect(() => parsePeriod(code)).toThrow(`"${code}" is not a valid period`);
    },
  );

  it('orders by start date, shorter first', () => {
    const codes = ['2026', '2025July', '2025Q3', '202507', '2025S2', '2025Q1'];
    const sorted = codes.map(parsePeriod).sort(comparePeriods).map((p) => p.code);
    expect(sorted).toEqual(['2025Q1', '202507', '2025Q3', '2025S2', '2025July', '2026']);
  });

  it('knows which periods a fiscal year contains', () => {
    const fy = parsePeriod('2025July');
    expect(periodsWithin(fy, 'quarterly').map((p) => p.code)).toEqual(['2025Q3', '2025Q4', '2026Q1', '2026Q2']);
    expect(periodContains(fy, parsePeriod('2026Q2'))).toBe(true);
    expect(periodContains(fy, parsePeriod('2025Q2'))).toBe(false);
    expect(periodContains(fy, parsePeriod('2025'))).toBe(false);
  });

  it('shifts and ranges across year ends', () => {
    expect(shiftPeriod(parsePeriod('2025Q4'), 1).code).toBe('2026Q1');
    expect(shiftPeriod(parsePeriod('202601'), -1).code).toBe('202512');
    expect(shiftPeriod(parsePeriod('2025July'), -1).code).toBe('2024July');
    expect(periodRange(parsePeriod('2024Q3'), parsePeriod('2025Q2')).map((p) => p.code)).toEqual([
      '2024Q3',
      '2024Q4',
      '2025Q1',
      '2025Q2',
    ]);
  });

  it('finds the period containing a date', () => {
    expect(periodContaining('fiscal_year', '2026-03-15').code).toBe('2025July');
    expect(periodContaining('fiscal_year', '2025-07-01').code).toBe('2025July');
    expect(periodContaining('quarterly', '2025-12-31').code).toBe('2025Q4');
  });

  it('labels periods for people', () => {
    expect(periodLabel(parsePeriod('2025July'))).toBe('FY 2025-26');
    expect(periodLabel(parsePeriod('2025Q3'))).toBe('Jul–Sep 2025');
  });
});
