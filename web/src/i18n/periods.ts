/**
 * Period codes as the API writes them (2025Q3, 202509, 2025S2, 2025, 2025July): which periods a picker offers,
 * and how a code reads. Labels come from the browser's own month names, so they are right in either language.
 */
import type { PeriodType } from '../api/types.ts';

const MONTHS: Record<PeriodType, number> = { monthly: 1, quarterly: 3, half_year: 6, year: 12, fiscal_year: 12 };

/** First month of the period as year * 12 + month index, and its type. */
export function parsePeriodCode(code: string): { type: PeriodType; startMonth: number } | null {
  let m: RegExpMatchArray | null;
  if ((m = code.match(/^(\d{4})(\d{2})$/))) return { type: 'monthly', startMonth: +m[1]! * 12 + +m[2]! - 1 };
  if ((m = code.match(/^(\d{4})Q([1-4])$/))) return { type: 'quarterly', startMonth: +m[1]! * 12 + (+m[2]! - 1) * 3 };
  if ((m = code.match(/^(\d{4})S([12])$/))) return { type: 'half_year', startMonth: +m[1]! * 12 + (+m[2]! - 1) * 6 };
  if ((m = code.match(/^(\d{4})July$/))) return { type: 'fiscal_year', startMonth: +m[1]! * 12 + 6 };
  if ((m = code.match(/^(\d{4})$/))) return { type: 'year', startMonth: +m[1]! * 12 };
  return null;
}

export function periodCode(type: PeriodType, startMonth: number): string {
  const year = Math.floor(startMonth / 12);
  const month = startMonth % 12;
  switch (type) {
    case 'monthly':
      return `${year}${String(month + 1).padStart(2, '0')}`;
    case 'quarterly':
      return `${year}Q${Math.floor(month / 3) + 1}`;
    case 'half_year':
      return `${year}S${Math.floor(month / 6) + 1}`;
    case 'year':
      return `${year}`;
    case 'fiscal_year':
      return `${year}July`;
  }
}

/** The period of a type containing a month (year * 12 + month index). */
export function periodAt(type: PeriodType, month: number): string {
  const width = MONTHS[type];
  const offset = type === 'fiscal_year' ? 6 : 0;
  return periodCode(type, Math.floor((month - offset) / width) * width + offset);
}

function monthOf(date: Date): number {
  return date.getFullYear() * 12 + date.getMonth();
}

/** The count periods of a type ending with the one containing `until` (or the one before it), newest first. */
export function recentPeriods(type: PeriodType, count: number, opts: { until?: Date; includeCurrent?: boolean } = {}): string[] {
  const width = MONTHS[type];
  const current = parsePeriodCode(periodAt(type, monthOf(opts.until ?? new Date())))!.startMonth;
  const last = opts.includeCurrent ? current : current - width;
  return Array.from({ length: count }, (_, i) => periodCode(type, last - i * width));
}

/** The last period of the type that has ended: what a scorecard is assessed at by default. */
export function lastEndedPeriod(type: PeriodType, now = new Date()): string {
  return recentPeriods(type, 1, { until: now })[0]!;
}

/** Periods of one type from `from` to `to`, oldest first. */
export function periodsBetween(from: string, to: string): string[] {
  const a = parsePeriodCode(from);
  const b = parsePeriodCode(to);
  if (!a || !b || a.type !== b.type) return [];
  const out: string[] = [];
  for (let m = a.startMonth; m <= b.startMonth; m += MONTHS[a.type]) out.push(periodCode(a.type, m));
  return out;
}

/** The period of `type` in which the period `code` ends: a quarter's fiscal year, a year's last quarter. */
export function periodEndingIn(type: PeriodType, code: string): string {
  const p = parsePeriodCode(code);
  if (!p) return code;
  return periodAt(type, p.startMonth + MONTHS[p.type] - 1);
}

export function periodMonths(code: string): { first: number; last: number; type: PeriodType } | null {
  const p = parsePeriodCode(code);
  return p && { first: p.startMonth, last: p.startMonth + MONTHS[p.type] - 1, type: p.type };
}
