import { describe, expect, it } from 'vitest';
import { PeriodError } from './period.ts';
import { RELATIVE_PERIODS, resolvePeriodExpression, resolveRelativePeriod } from './relative-period.ts';

const TODAY = '2026-11-22';
const codes = (code: string, today = TODAY) => resolveRelativePeriod(code, today).map((p) => p.code);

describe('resolveRelativePeriod on 2026-11-22', () => {
  it('resolves months, excluding the current month from LAST_n', () => {
    expect(codes('THIS_MONTH')).toEqual(['202611']);
    expect(codes('LAST_MONTH')).toEqual(['202610']);
    expect(codes('LAST_3_MONTHS')).toEqual(['202608', '202609', '202610']);
    expect(codes('LAST_6_MONTHS')).toEqual(['202605', '202606', '202607', '202608', '202609', '202610']);
    expect(codes('LAST_12_MONTHS')).toEqual([
      '202511', '202512', '202601', '202602', '202603', '202604',
      '202605', '202606', '202607', '202608', '202609', '202610',
    ]);
  });

  it('resolves quarters across the year boundary', () => {
    expect(codes('THIS_QUARTER')).toEqual(['2026Q4']);
    expect(codes('LAST_QUARTER')).toEqual(['2026Q3']);
    expect(codes('LAST_4_QUARTERS')).toEqual(['2025Q4', '2026Q1', '2026Q2', '2026Q3']);
    expect(codes('LAST_8_QUARTERS')).toEqual([
      '2024Q4', '2025Q1', '2025Q2', '2025Q3', '2025Q4', '2026Q1', '2026Q2', '2026Q3',
    ]);
  });

  it('resolves six-months and years', () => {
    expect(codes('THIS_SIX_MONTH')).toEqual(['2026S2']);
    expect(codes('LAST_SIX_MONTH')).toEqual(['2026S1']);
    expect(codes('THIS_YEAR')).toEqual(['2026']);
    expect(codes('LAST_YEAR')).toEqual(['2025']);
    expect(codes('LAST_5_YEARS')).toEqual(['2021', '2022', '2023', '2024', '2025']);
  });

  it('resolves Pakistan fiscal years (July–June)', () => {
    expect(codes('THIS_FISCAL_YEAR')).toEqual(['2026July']);
    expect(codes('LAST_FISCAL_YEAR')).toEqual(['2025July']);
    expect(codes('LAST_5_FISCAL_YEARS')).toEqual(['2021July', '2022July', '2023July', '2024July', '2025July']);
  });

  it('puts January–June in the fiscal year that started the July before', () => {
    expect(codes('THIS_FISCAL_YEAR', '2026-06-30')).toEqual(['2025July']);
    expect(codes('LAST_FISCAL_YEAR', '2026-06-30')).toEqual(['2024July']);
    expect(codes('THIS_FISCAL_YEAR', '2026-07-01')).toEqual(['2026July']);
  });

  it('steps back over the calendar year in January', () => {
    expect(codes('LAST_MONTH', '2026-01-01')).toEqual(['202512']);
    expect(codes('LAST_QUARTER', '2026-01-15')).toEqual(['2025Q4']);
    expect(codes('LAST_SIX_MONTH', '2026-03-31')).toEqual(['2025S2']);
  });

  it('returns full Period objects', () => {
    const [q] = resolveRelativePeriod('LAST_QUARTER', TODAY);
    expect(q).toMatchObject({ code: '2026Q3', type: 'quarterly', start: '2026-07-01', end: '2026-09-30' });
  });

  it('resolves every listed relative period, oldest first', () => {
    for (const r of RELATIVE_PERIODS) {
      const periods = resolveRelativePeriod(r.code, TODAY);
      expect(periods).toHaveLength(r.count);
      expect(periods.every((p) => p.type === r.type)).toBe(true);
      const starts = periods.map((p) => p.startMonth);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
  });

  it('rejects unknown codes and bad reference dates', () => {
    expect(() => resolveRelativePeriod('LAST_7_WEEKS', TODAY)).toThrow(PeriodError);
    expect(() => resolveRelativePeriod('LAST_MONTH', '2026-13-01')).toThrow('reference date "2026-13-01"');
    expect(() => resolveRelativePeriod('LAST_MONTH', '2026-02-30')).toThrow(RangeError);
  });
});

describe('resolvePeriodExpression', () => {
  const expr = (text: string) => resolvePeriodExpression(text, TODAY).map((p) => p.code);

  it('accepts a single period code or relative period', () => {
    expect(expr('2025Q3')).toEqual(['2025Q3']);
    expect(expr('LAST_QUARTER')).toEqual(['2026Q3']);
    expect(expr(' last_year ')).toEqual(['2025']);
  });

  it('merges a list, dropping duplicates and ordering by start then length', () => {
    expect(expr('2026Q2;LAST_4_QUARTERS;2025Q4')).toEqual(['2025Q4', '2026Q1', '2026Q2', '2026Q3']);
    expect(expr('THIS_YEAR; 2025July ;202601;')).toEqual(['2025July', '202601', '2026']);
  });

  it('names the bad item', () => {
    expect(() => expr('2025Q3;LAST_7_WEEKS')).toThrow('"LAST_7_WEEKS" is not a period or relative period');
    expect(() => expr('2025Q3;LAST_7_WEEKS')).toThrow(PeriodError);
    expect(() => expr('LAST_QUARTER;2025Q5')).toThrow('"2025Q5" is not a valid period: 5 is outside 1–4');
  });

  it('rejects an empty expression', () => {
    expect(() => expr(' ; ')).toThrow(PeriodError);
  });
});
