import { describe, expect, it } from 'vitest';
import type { EntryForm, EntryFormIndicator } from '../api/types.ts';
import { entryValues, gridRows, withText } from './entry-grid.ts';

const named = (code: string) => ({ code, nameEn: code, nameUr: code });
const indicator = (code: string, unitType: EntryFormIndicator['unitType'], values: EntryFormIndicator['values'] = []): EntryFormIndicator => ({
  ...named(code), framework: 'F', pillar: named('P'), objective: named('O'), unitType,
  range: { min: 0, max: null, integer: unitType === 'count' },
  disaggregations: unitType === 'count' ? [{ ...named('sex'), options: [named('F'), named('M')] }] : [],
  values,
});
const form: EntryForm = {
  orgUnit: { ...named('PK-PB-LHR'), level: 'district' },
  period: { code: '2026Q4', type: 'quarterly', start: '2026-10-01', end: '2026-12-31' },
  institution: null,
  indicators: [
    indicator('A', 'count', [{ disaggregation: '', value: 40, numerator: null, denominator: null, comment: null }]),
    indicator('B', 'percentage', [{ disaggregation: '', value: 50, numerator: 30, denominator: 60, comment: null }]),
  ],
};

describe('the data-entry grid', () => {
  it('has a row per measure, a numerator and a denominator row for a percentage, Total first', () => {
    expect(gridRows(form).map((r) => [r.indicator.code, r.measure, r.keys])).toEqual([
      ['A', 'value', ['', 'sex=F', 'sex=M']],
      ['B', 'numerator', ['']],
      ['B', 'denominator', ['']],
    ]);
  });

  it('sends only changed cells, each whole, and forgets a cell typed back to its stored value', () => {
    let typed = withText({}, form.indicators[0]!, 'sex=F', 'value', '15');
    typed = withText(typed, form.indicators[1]!, '', 'numerator', '۳۵');
    expect(entryValues(form, typed)).toEqual([
      { indicator: 'A', disaggregation: 'sex=F', value: '15' },
      { indicator: 'B', disaggregation: '', numerator: '35', denominator: '60' },
    ]);
    typed = withText(typed, form.indicators[1]!, '', 'numerator', '30');
    expect(entryValues(form, typed).map((v) => v.indicator)).toEqual(['A']);
  });
});
