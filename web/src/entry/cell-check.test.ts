import { describe, expect, it } from 'vitest';
import { checkCell } from './cell-check.ts';

const count = { unitType: 'count' as const, range: { min: 0, max: null, integer: true } };
const budget = { unitType: 'currency' as const, range: { min: 0, max: 1e9, integer: false } };
const share = { unitType: 'percentage' as const, range: { min: 0, max: 100, integer: false } };
const codes = (p: { field: string; code: string }[]) => p.map((x) => `${x.field}:${x.code}`);

describe('checking a cell as it is typed', () => {
  it('accepts a number, an empty cell and Urdu digits', () => {
    expect(checkCell(count, { value: '120' })).toEqual([]);
    expect(checkCell(count, { value: '' })).toEqual([]);
    expect(checkCell(count, { value: '۱۲۰' })).toEqual([]);
  });

  it('names text in a number cell, a negative or fractional count and a value above the maximum', () => {
    expect(checkCell(count, { value: 'twelve' })).toEqual([{ field: 'value', code: 'not_a_number', params: { value: 'twelve' } }]);
    expect(codes(checkCell(count, { value: '-4' }))).toEqual(['value:negative_count']);
    expect(codes(checkCell(count, { value: '2.5' }))).toEqual(['value:non_integer_count']);
    expect(checkCell(budget, { value: '2000000000' })).toEqual([{ field: 'value', code: 'above_max', params: { max: 1e9 } }]);
  });

  it('wants both parts of a percentage, the numerator no larger than the denominator', () => {
    expect(checkCell(share, { numerator: '30', denominator: '60' })).toEqual([]);
    expect(codes(checkCell(share, { numerator: '70', denominator: '60' }))).toEqual(['numerator:numerator_exceeds_denominator']);
    expect(codes(checkCell(share, { numerator: '30', denominator: '' }))).toEqual(['denominator:parts_missing']);
    expect(codes(checkCell(share, { numerator: '', denominator: '' }))).toEqual([]);
  });
});
