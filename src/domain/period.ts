/**
 * Periods by readable code, as DHIS2 writes them: 202509 (month), 2025Q3 (quarter), 2025S2 (half year),
 * 2025 (calendar year), 2025July (Pakistan's fiscal year, July 2025 to June 2026).
 */
export type PeriodType = 'monthly' | 'quarterly' | 'half_year' | 'year' | 'fiscal_year';

export const PERIOD_TYPES: readonly PeriodType[] = ['monthly', 'quarterly', 'half_year', 'year', 'fiscal_year'];

/** Months in one period of each type. */
const MONTHS: Record<PeriodType, number> = { monthly: 1, quarterly: 3, half_year: 6, year: 12, fiscal_year: 12 };

export interface Period {
  code: string;
  type: PeriodType;
  /** First month as a month index: year * 12 + (month - 1). */
  startMonth: number;
  /** First day, ISO date. */
  start: string;
  /** Last day, ISO date. */
  end: string;
}

export class PeriodError extends Error {
  constructor(
    readonly periodCode: string,
    reason: string,
  ) {
    super(`"${periodCode}" is not a valid period: ${reason}`);
    this.name = 'PeriodError';
  }
}

const PATTERNS: { type: PeriodType; re: RegExp; month: (m: RegExpMatchArray) => number | string }[] = [
  { type: 'monthly', re: /^(\d{4})(\d{2})$/, month: (m) => monthIn(m, 12, 1) },
  { type: 'quarterly', re: /^(\d{4})Q(\d)$/, month: (m) => monthIn(m, 4, 3) },
  { type: 'half_year', re: /^(\d{4})S(\d)$/, month: (m) => monthIn(m, 2, 6) },
  { type: 'fiscal_year', re: /^(\d{4})July$/, month: () => 6 },
  { type: 'year', re: /^(\d{4})$/, month: () => 0 },
];

function monthIn(m: RegExpMatchArray, count: number, width: number): number | string {
  const n = Number(m[2]);
  if (n < 1 || n > count) return `${n} is outside 1–${count}`;
  return (n - 1) * width;
}

function daysIn(year: number, monthIndex: number): number {
  if (monthIndex !== 1) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][monthIndex]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

function isoDate(year: number, monthIndex: number, day: number): string {
  return `${year}-${String(monthIndex + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Periods are values: built once and shared, since scorecards build tens of thousands of them.
const built = new Map<string, Period>();

function build(type: PeriodType, startMonth: number): Period {
  const key = `${type}${startMonth}`;
  let period = built.get(key);
  if (!period) {
    period = Object.freeze(create(type, startMonth));
    built.set(key, period);
  }
  return period;
}

function create(type: PeriodType, startMonth: number): Period {
  const year = Math.floor(startMonth / 12);
  const month = startMonth % 12;
  const lastMonth = startMonth + MONTHS[type] - 1;
  const lastYear = Math.floor(lastMonth / 12);
  return {
    code: codeFor(type, year, month),
    type,
    startMonth,
    start: isoDate(year, month, 1),
    end: isoDate(lastYear, lastMonth % 12, daysIn(lastYear, lastMonth % 12)),
  };
}

function codeFor(type: PeriodType, year: number, month: number): string {
  switch (type) {
    case 'monthly':
      return `${year}${String(month + 1).padStart(2, '0')}`;
    case 'quarterly':
      return `${year}Q${month / 3 + 1}`;
    case 'half_year':
      return `${year}S${month / 6 + 1}`;
    case 'year':
      return `${year}`;
    case 'fiscal_year':
      return `${year}July`;
  }
}

/** Parses a period code; throws PeriodError naming the code when it is not one. */
const parsed = new Map<string, Period>();

export function parsePeriod(code: string): Period {
  const known = parsed.get(code);
  if (known) return known;
  const period = parseCode(code);
  parsed.set(code, period);
  return period;
}

function parseCode(code: string): Period {
  const trimmed = code.trim();
  if (trimmed === '') throw new PeriodError(code, 'the period is empty');
  for (const p of PATTERNS) {
    const m = trimmed.match(p.re);
    if (!m) continue;
    const year = Number(m[1]);
    if (year < 1900 || year > 2200) throw new PeriodError(code, `year ${year} is outside 1900–2200`);
    const month = p.month(m);
    if (typeof month === 'string') throw new PeriodError(code, month);
    return build(p.type, year * 12 + month);
  }
  throw new PeriodError(code, 'expected 2025Q3, 202509, 2025S2, 2025 or 2025July');
}

export function tryParsePeriod(code: string): Period | null {
  try {
    return parsePeriod(code);
  } catch {
    return null;
  }
}

export function formatPeriod(p: Period): string {
  return p.code;
}

/** Human label, e.g. "Jul–Sep 2025" or "FY 2025-26". */
export function periodLabel(p: Period): string {
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const year = Math.floor(p.startMonth / 12);
  const m = p.startMonth % 12;
  switch (p.type) {
    case 'monthly':
      return `${names[m]} ${year}`;
    case 'year':
      return `${year}`;
    case 'fiscal_year':
      return `FY ${year}-${String((year + 1) % 100).padStart(2, '0')}`;
    default:
      return `${names[m]}–${names[m + MONTHS[p.type] - 1]} ${year}`;
  }
}

/** Orders by start, then the shorter period first. */
export function comparePeriods(a: Period, b: Period): number {
  return a.startMonth - b.startMonth || MONTHS[a.type] - MONTHS[b.type];
}

export function periodMonths(p: Period): number {
  return MONTHS[p.type];
}

/** Months in one period of a type (a quarter is 3). */
export function monthsOfType(type: PeriodType): number {
  return MONTHS[type];
}

/** True when inner lies wholly inside outer (a period contains itself). */
export function periodContains(outer: Period, inner: Period): boolean {
  return (
    inner.startMonth >= outer.startMonth &&
    inner.startMonth + MONTHS[inner.type] <= outer.startMonth + MONTHS[outer.type]
  );
}

/** The period of the given type that n steps away (n may be negative). */
export function shiftPeriod(p: Period, n: number): Period {
  return build(p.type, p.startMonth + n * MONTHS[p.type]);
}

/** The period of a type that contains an ISO date (or a Date). */
export function periodContaining(type: PeriodType, date: string | Date): Period {
  const d = typeof date === 'string' ? new Date(`${date}T00:00:00Z`) : date;
  const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
  const width = MONTHS[type];
  const offset = type === 'fiscal_year' ? 6 : 0;
  return build(type, Math.floor((month - offset) / width) * width + offset);
}

/** Every period of a type wholly inside outer, in order. */
export function periodsWithin(outer: Period, type: PeriodType): Period[] {
  const width = MONTHS[type];
  const out: Period[] = [];
  for (let first = periodContaining(type, outer.start); ; first = shiftPeriod(first, 1)) {
    if (first.startMonth + width > outer.startMonth + MONTHS[outer.type]) break;
    if (first.startMonth >= outer.startMonth) out.push(first);
  }
  return out;
}

/** Periods of one type from a to b inclusive. */
export function periodRange(from: Period, to: Period): Period[] {
  if (from.type !== to.type) throw new PeriodError(to.code, `is a ${to.type} period but ${from.code} is ${from.type}`);
  const out: Period[] = [];
  for (let p = from; p.startMonth <= to.startMonth; p = shiftPeriod(p, 1)) out.push(p);
  return out;
}
