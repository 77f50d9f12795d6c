import { describe, expect, it } from 'vitest';
import { ExpressionError, referenceKey, type Reference } from './expression.ts';
import { checkRule, checkValueShape, compileRule, formatNumber, type ValidationRule } from './validation-rule.ts';

const rule = (over: Partial<ValidationRule> = {}): ValidationRule => ({
  code: 'R-F-LE-TOTAL',
  nameEn: 'Women trained cannot exceed all trained',
  nameUr: '',
  left: '#{REV-04[sex=F]}',
  operator: '<=',
  right: '#{REV-04}',
  severity: 'error',
  ...over,
});

const values =
  (table: Record<string, number>) =>
  (r: Reference): number | undefined =>
    table[referenceKey(r)];

describe('compileRule', () => {
  it('lists the references of both sides once', () => {
    const c = compileRule(rule({ left: '#{A} + #{B}', right: '#{A} * 2' }));
    expect(c.references.map(referenceKey)).toEqual(['A', 'B']);
  });

  it('names the rule and the side of a broken expression', () => {
    const attempt = () => compileRule(rule({ right: '#{REV-04' }));
    expect(attempt).toThrow(ExpressionError);
    expect(attempt).toThrow(/^rule R-F-LE-TOTAL, right side: unclosed reference '#\{REV-04'/);
    expect(() => compileRule(rule({ left: 'foo(1)' }))).toThrow(/^rule R-F-LE-TOTAL, left side: unknown function 'foo'/);
  });
});

describe('checkRule', () => {
  const compiled = compileRule(rule());

  it('fails with a message naming both values', () => {
    const check = checkRule(compiled, values({ 'REV-04[sex=F]': 120, 'REV-04': 100 }));
    expect(check).toEqual({
      status: 'fail',
      left: 120,
      right: 100,
      message: 'REV-04[sex=F] = 120 must be ≤ REV-04 = 100',
    });
  });

  it('passes when the comparison holds, including equality', () => {
    expect(checkRule(compiled, values({ 'REV-04[sex=F]': 80, 'REV-04': 100 }))).toEqual({
      status: 'pass',
      left: 80,
      right: 100,
      message: 'REV-04[sex=F] = 80 ≤ REV-04 = 100',
    });
    expect(checkRule(compiled, values({ 'REV-04[sex=F]': 100, 'REV-04': 100 })).status).toBe('pass');
  });

  it('never fails for lack of data: a missing side skips the rule and says which value is missing', () => {
    const check = checkRule(compiled, values({ 'REV-04': 100 }));
    expect(check).toEqual({ status: 'skipped', left: null, right: 100, message: 'skipped: no data for REV-04[sex=F]' });
    expect(checkRule(compiled, values({})).message).toBe('skipped: no data for REV-04[sex=F], REV-04');
  });

  it('skips a side that cannot be computed, saying why', () => {
    const c = compileRule(rule({ left: '#{A.numerator} * 100 / #{A.denominator}', right: '100' }));
    const check = checkRule(c, values({ 'A.numerator': 5, 'A.denominator': 0 }));
    expect(check.status).toBe('skipped');
    expect(check.message).toBe('skipped: the left side A.numerator * 100 / A.denominator cannot be computed: division by zero');
  });

  it('writes a constant side as just the number', () => {
    const c = compileRule(rule({ left: '#{A} + #{B}', operator: '>=', right: '0' }));
    expect(checkRule(c, values({ A: -3, B: 1 })).message).toBe('A + B = -2 must be ≥ 0');
  });

  it.each([
    ['<', 5, 5, 'fail', 'X = 5 must be < Y = 5'],
    ['>', 6, 5, 'pass', 'X = 6 > Y = 5'],
    ['>=', 4, 5, 'fail', 'X = 4 must be ≥ Y = 5'],
    ['==', 4, 5, 'fail', 'X = 4 must equal Y = 5'],
    ['==', 5, 5, 'pass', 'X = 5 = Y = 5'],
    ['!=', 5, 5, 'fail', 'X = 5 must differ from Y = 5'],
    ['!=', 4, 5, 'pass', 'X = 4 ≠ Y = 5'],
  ] as const)('operator %s with %d and %d: %s', (operator, x, y, status, message) => {
    const c = compileRule(rule({ left: '#{X}', operator, right: '#{Y}' }));
    expect(checkRule(c, values({ X: x, Y: y }))).toMatchObject({ status, message });
  });

  it('does not fail an equality for binary rounding, and shows rounded numbers', () => {
    const c = compileRule(rule({ left: '#{A} + #{B}', operator: '==', right: '#{C}' }));
    expect(checkRule(c, values({ A: 0.1, B: 0.2, C: 0.3 })).status).toBe('pass');
    expect(checkRule(c, values({ A: 0.1, B: 0.2, C: 0.4 })).message).toBe('A + B = 0.3 must equal C = 0.4');
  });
});

describe('formatNumber', () => {
  it('drops binary noise and keeps integers whole', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1234567)).toBe('1234567');
    expect(formatNumber(12.5)).toBe('12.5');
  });
});

describe('checkValueShape', () => {
  const codes = (...args: Parameters<typeof checkValueShape>) => checkValueShape(...args).map((p) => `${p.field}:${p.code}`);

  it('accepts well-formed values of every unit type', () => {
    expect(checkValueShape('count', { value: 12 }, null, null)).toEqual([]);
    expect(checkValueShape('percentage', { value: 40, numerator: 4, denominator: 10 }, null, null)).toEqual([]);
    expect(checkValueShape('yes_no', { value: 1 }, null, null)).toEqual([]);
    expect(checkValueShape('milestone', { value: 4 }, null, null)).toEqual([]);
    expect(checkValueShape('currency', { value: 1500.5 }, null, null)).toEqual([]);
    expect(checkValueShape('index', { value: -3.2 }, null, null)).toEqual([]);
    expect(checkValueShape('count', { value: null }, null, null)).toEqual([]);
  });

  it('flags a numerator greater than its denominator', () => {
    const problems = checkValueShape('percentage', { numerator: 12, denominator: 10 }, null, null);
    expect(problems).toEqual([
      { field: 'numerator', code: 'numerator_exceeds_denominator', message: 'the numerator 12 is greater than the denominator 10' },
    ]);
  });

  it('flags negative and fractional counts', () => {
    expect(codes('count', { value: -1 }, null, null)).toEqual(['value:negative_count']);
    expect(codes('count', { value: 2.5 }, null, null)).toEqual(['value:non_integer_count']);
    expect(codes('count', { value: -2.5 }, null, null)).toEqual(['value:negative_count', 'value:non_integer_count']);
    expect(codes('percentage', { numerator: -1, denominator: 10 }, null, null)).toEqual(['numerator:negative_count']);
  });

  it('flags a percentage outside 0–100', () => {
    expect(codes('percentage', { value: 100.1 }, null, null)).toEqual(['value:percentage_out_of_range']);
    expect(codes('percentage', { value: -0.1 }, null, null)).toEqual(['value:percentage_out_of_range']);
    expect(codes('percentage', { value: 100 }, null, null)).toEqual([]);
    expect(checkValueShape('percentage', { value: 120 }, null, null)[0]!.message).toBe('the percentage 120 is outside 0–100');
  });

  it('flags a yes/no that is not 0 or 1', () => {
    expect(codes('yes_no', { value: 2 }, null, null)).toEqual(['value:not_yes_no']);
    expect(codes('yes_no', { value: 0.5 }, null, null)).toEqual(['value:not_yes_no']);
    expect(codes('yes_no', { value: 0 }, null, null)).toEqual([]);
  });

  it('flags a milestone that is not a whole step 0–4', () => {
    expect(codes('milestone', { value: 5 }, null, null)).toEqual(['value:milestone_out_of_range']);
    expect(codes('milestone', { value: 2.5 }, null, null)).toEqual(['value:milestone_out_of_range']);
    expect(codes('milestone', { value: -1 }, null, null)).toEqual(['value:milestone_out_of_range']);
  });

  it("applies the indicator's own minimum and maximum", () => {
    expect(codes('count', { value: 4 }, 5, 10)).toEqual(['value:below_min']);
    expect(codes('count', { value: 11 }, 5, 10)).toEqual(['value:above_max']);
    expect(codes('count', { value: 10 }, 5, 10)).toEqual([]);
    expect(checkValueShape('index', { value: 11 }, null, 10)[0]!.message).toBe("the value 11 is above the indicator's maximum 10");
  });

  it('flags a negative amount of money', () => {
    expect(codes('currency', { value: -5 }, null, null)).toEqual(['value:negative_value']);
  });

  it('refuses non-finite numbers before anything else', () => {
    expect(codes('count', { value: Number.NaN }, null, null)).toEqual(['value:not_finite']);
    expect(codes('percentage', { numerator: Infinity, denominator: 1 }, null, null)).toEqual(['numerator:not_finite']);
  });
});
