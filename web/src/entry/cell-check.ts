/**
 * The checks a cell gets while the user types, before the server sees it: is it a number, and inside the
 * range the form says the cell accepts. The server checks again, with the validation rules and outliers.
 */
import type { EntryFormIndicator } from '../api/types.ts';
import { normalizeDigits, type Measure } from './entry-grid.ts';

export interface CellProblem {
  field: Measure;
  code: string;
  params: Record<string, string | number>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseCellNumber(text: string): number | null | 'invalid' {
  const t = normalizeDigits(text);
  if (t === '') return null;
  return NUMBER.test(t) ? Number(t) : 'invalid';
}

export function checkCell(ind: Pick<EntryFormIndicator, 'unitType' | 'range'>, texts: Partial<Record<Measure, string>>): CellProblem[] {
  const problems: CellProblem[] = [];
  const numbers: Partial<Record<Measure, number>> = {};
  for (const [field, text] of Object.entries(texts) as [Measure, string][]) {
    const n = parseCellNumber(text);
    if (n === 'invalid') problems.push({ field, code: 'not_a_number', params: { value: text.trim() } });
    else if (n !== null) numbers[field] = n;
  }
  if (ind.unitType === 'percentage') {
    for (const field of ['numerator', 'denominator'] as const) {
      const n = numbers[field];
      if (n !== undefined && n < 0) problems.push({ field, code: 'negative_count', params: {} });
    }
    const { numerator, denominator } = numbers;
    if (numerator !== undefined && denominator !== undefined && numerator > denominator) {
      problems.push({ field: 'numerator', code: 'numerator_exceeds_denominator', params: {} });
    }
    const given = (['numerator', 'denominator'] as const).filter((f) => (texts[f] ?? '').trim() !== '');
    if (given.length === 1) problems.push({ field: given[0] === 'numerator' ? 'denominator' : 'numerator', code: 'parts_missing', params: {} });
    return problems;
  }
  const value = numbers.value;
  if (value === undefined) return problems;
  const { min, max, integer } = ind.range;
  if (min !== null && value < min) {
    const code = ind.unitType === 'count' ? 'negative_count' : ind.unitType === 'currency' ? 'negative_value' : 'below_min';
    problems.push({ field: 'value', code, params: { min } });
  }
  if (max !== null && value > max) problems.push({ field: 'value', code: 'above_max', params: { max } });
  if (integer && !Number.isInteger(value)) problems.push({ field: 'value', code: 'non_integer_count', params: {} });
  return problems;
}
