/**
 * DHIS2-style relative periods (LAST_4_QUARTERS, THIS_FISCAL_YEAR, …) resolved against a reference
 * date the caller passes, so results are reproducible and testable. As in DHIS2, "LAST_n" means the
 * n whole periods before the current one: the current period is still being reported.
 * Fiscal years are Pakistan's July–June (2025July = July 2025 to June 2026).
 */
import {
  comparePeriods,
  parsePeriod,
  periodContaining,
  periodRange,
  PeriodError,
  shiftPeriod,
  type Period,
  type PeriodType,
} from './period.ts';

export interface RelativePeriodDef {
  code: string;
  label: string;
  type: PeriodType;
  /** How many periods of type. */
  count: number;
  /** True: the current period only; false: the count periods before it. */
  current: boolean;
}

function thisOne(code: string, label: string, type: PeriodType): RelativePeriodDef {
  return { code, label, type, count: 1, current: true };
}

function last(code: string, label: string, type: PeriodType, count: number): RelativePeriodDef {
  return { code, label, type, count, current: false };
}

export const RELATIVE_PERIODS: readonly RelativePeriodDef[] = [
  thisOne('THIS_MONTH', 'This month', 'monthly'),
  last('LAST_MONTH', 'Last month', 'monthly', 1),
  last('LAST_3_MONTHS', 'Last 3 months', 'monthly', 3),
  last('LAST_6_MONTHS', 'Last 6 months', 'monthly', 6),
  last('LAST_12_MONTHS', 'Last 12 months', 'monthly', 12),
  thisOne('THIS_QUARTER', 'This quarter', 'quarterly'),
  last('LAST_QUARTER', 'Last quarter', 'quarterly', 1),
  last('LAST_4_QUARTERS', 'Last 4 quarters', 'quarterly', 4),
  last('LAST_8_QUARTERS', 'Last 8 quarters', 'quarterly', 8),
  thisOne('THIS_SIX_MONTH', 'This six-month', 'half_year'),
  last('LAST_SIX_MONTH', 'Last six-month', 'half_year', 1),
  last('LAST_2_SIXMONTHS', 'Last 2 six-months', 'half_year', 2),
  thisOne('THIS_YEAR', 'This year', 'year'),
  last('LAST_YEAR', 'Last year', 'year', 1),
  last('LAST_5_YEARS', 'Last 5 years', 'year', 5),
  last('LAST_10_YEARS', 'Last 10 years', 'year', 10),
  thisOne('THIS_FISCAL_YEAR', 'This fiscal year', 'fiscal_year'),
  last('LAST_FISCAL_YEAR', 'Last fiscal year', 'fiscal_year', 1),
  last('LAST_5_FISCAL_YEARS', 'Last 5 fiscal years', 'fiscal_year', 5),
  last('LAST_10_FISCAL_YEARS', 'Last 10 fiscal years', 'fiscal_year', 10),
];

const BY_CODE = new Map(RELATIVE_PERIODS.map((r) => [r.code, r]));

export function isRelativePeriod(code: string): boolean {
  return BY_CODE.has(code.trim().toUpperCase());
}

function referenceDate(today: string): string {
  const date = new Date(`${today}T00:00:00Z`);
  // The round trip rejects dates like 2026-02-30 that Date would roll over into March.
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(today) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(today);
  if (!ok) throw new RangeError(`reference date "${today}" is not an ISO date (YYYY-MM-DD)`);
  return today;
}

/** The periods a relative period stands for on the reference date, oldest first. */
export function resolveRelativePeriod(code: string, today: string): Period[] {
  const def = BY_CODE.get(code.trim().toUpperCase());
  if (!def) {
    throw new PeriodError(code, `not a relative period; expected one of ${RELATIVE_PERIODS.map((r) => r.code).join(', ')}`);
  }
  const current = periodContaining(def.type, referenceDate(today));
  if (def.current) return [current];
  return periodRange(shiftPeriod(current, -def.count), shiftPeriod(current, -1));
}

/**
 * Periods from user text: a period code (2025Q3), a relative period (LAST_4_QUARTERS) or a
 * `;`-separated list of both. The result is deduplicated and ordered by comparePeriods.
 * Empty items (a trailing `;`) are ignored; an expression with no item at all is an error.
 */
export function resolvePeriodExpression(text: string, today: string): Period[] {
  const items = text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new PeriodError(text, 'the period is empty');
  const byCode = new Map<string, Period>();
  for (const item of items) {
    for (const p of resolveItem(item, today)) byCode.set(p.code, p);
  }
  return [...byCode.values()].sort(comparePeriods);
}

function resolveItem(item: string, today: string): Period[] {
  if (isRelativePeriod(item)) return resolveRelativePeriod(item, today);
  // Period codes start with a year; anything else was meant as a relative period, so say both.
  if (!/^\d/.test(item)) {
    const err = new PeriodError(item, 'not a period or relative period');
    // PeriodError's own wording ("is not a valid period") would hide that relative periods are accepted too.
    err.message =
      `"${item}" is not a period or relative period ` +
      '(periods look like 2025Q3, 202509, 2025S2, 2025 or 2025July; relative periods like LAST_4_QUARTERS or THIS_FISCAL_YEAR)';
    throw err;
  }
  return [parsePeriod(item)];
}
