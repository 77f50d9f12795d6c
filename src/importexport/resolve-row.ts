/** One source row → a staged row with ids, or the errors that name what is wrong with it. */
import { DisaggregationError } from '../domain/disaggregation.ts';
import { parseValueText, parseNumberText, percentageValue } from '../domain/data-value-input.ts';
import { isRatio } from '../domain/framework.ts';
import { checkValueShape } from '../domain/validation-rule.ts';
import { reportingUnitLevel } from '../domain/org-unit.ts';
import { PeriodError, type Period } from '../domain/period.ts';
import type { RowError } from '../domain/row-error.ts';
import type { ImportLookups } from './import-lookups.ts';
import type { SourceRow } from './source-row.ts';

/** Which measures a row sets; a partial row (DHIS2 numerator only) merges with the stored value. */
export const MASK = { value: 1, numerator: 2, denominator: 4, comment: 8 } as const;

export interface StagedRow {
  row: number;
  indicatorId: number;
  orgUnitId: number;
  period: Period;
  disagg: string;
  mask: number;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
  deleted: boolean;
}

const FREQUENCY_WORD: Record<string, string> = {
  monthly: 'monthly', quarterly: 'quarterly', half_year: 'half-yearly', year: 'by calendar year', fiscal_year: 'by fiscal year (July–June)',
};

export function resolveRow(src: SourceRow, lookups: ImportLookups, deleteAll: boolean): StagedRow | RowError[] {
  const errors: RowError[] = [];
  const err = (field: string, code: string, message: string) => errors.push({ row: src.row, field, code, message, ...(src.sheet ? { sheet: src.sheet } : {}) });

  const indicator = src.indicator.trim() === '' ? undefined : lookups.indicator(src.indicator.trim());
  if (src.indicator.trim() === '') err('indicator', 'required', 'the indicator code is empty');
  else if (!indicator) err('indicator', 'unknown_indicator', `unknown indicator "${src.indicator}"`);

  const orgUnit = src.orgUnit.trim() === '' ? undefined : lookups.orgUnit(src.orgUnit.trim());
  if (src.orgUnit.trim() === '') err('org_unit', 'required', 'the org unit code is empty');
  else if (!orgUnit) err('org_unit', 'unknown_org_unit', `unknown org unit "${src.orgUnit}"`);

  const parsedPeriod = lookups.period(src.period);
  const period: Period | undefined = parsedPeriod instanceof PeriodError ? undefined : parsedPeriod;
  if (parsedPeriod instanceof PeriodError) err('period', 'invalid_period', parsedPeriod.message);

  const parsedDisagg = lookups.disaggregation(src.disaggregation ?? '');
  const disagg = parsedDisagg instanceof DisaggregationError ? '' : parsedDisagg.key;
  if (parsedDisagg instanceof DisaggregationError) err('disaggregation', 'invalid_disaggregation', parsedDisagg.message);

  if (indicator && period && indicator.frequency !== period.type) {
    err('period', 'wrong_frequency', `${indicator.code} is reported ${FREQUENCY_WORD[indicator.frequency]}, but ${period.code} is a ${FREQUENCY_WORD[period.type]?.replace(/^by /, '')} period`);
  }
  if (indicator && orgUnit) {
    const level = reportingUnitLevel(indicator.lowestLevel);
    if (orgUnit.level !== level) {
      err('org_unit', 'wrong_level', `${indicator.code} is reported by ${level} units, but ${orgUnit.code} is a ${orgUnit.level}`);
    }
  }
  if (orgUnit && period && ((orgUnit.validFrom && orgUnit.validFrom > period.end) || (orgUnit.validTo && orgUnit.validTo <= period.start))) {
    err('org_unit', 'not_valid_in_period', `${orgUnit.code} did not exist during ${period.code} (valid ${orgUnit.validFrom ?? 'always'} to ${orgUnit.validTo ?? 'now'})`);
  }
  if (indicator && disagg !== '') {
    for (const [cat, opt] of (parsedDisagg as { parts: Map<string, string> }).parts) {
      const options = indicator.categories.get(cat);
      if (!options) err('disaggregation', 'unknown_category', `${indicator.code} is not disaggregated by "${cat}"`);
      else if (!options.has(opt)) err('disaggregation', 'unknown_option', `"${opt}" is not an option of "${cat}" (options: ${[...options].join(', ')})`);
    }
  }

  const deleted = deleteAll || src.deleted === true;
  let mask = 0;
  let value: number | null = null;
  let numerator: number | null = null;
  let denominator: number | null = null;
  const comment = src.comment === undefined ? null : src.comment === null || src.comment.trim() === '' ? null : src.comment;
  if (src.comment !== undefined) mask |= MASK.comment;

  if (indicator && !deleted) {
    const ratio = isRatio(indicator.unitType);
    const v = parseValueText(indicator.unitType, src.value);
    const n = parseNumberText(src.numerator);
    const d = parseNumberText(src.denominator);
    if (!v.ok) err('value', 'not_a_number', v.message);
    if (!n.ok) err('numerator', 'not_a_number', n.message);
    if (!d.ok) err('denominator', 'not_a_number', d.message);
    if (v.ok && n.ok && d.ok) {
      if (ratio) {
        if (v.value !== null && n.value === null && d.value === null) {
          err('value', 'ratio_needs_parts', `${indicator.code} is a percentage: give its numerator and denominator, not the percentage`);
        }
        if (src.numerator !== undefined) mask |= MASK.numerator;
        if (src.denominator !== undefined) mask |= MASK.denominator;
        numerator = n.value;
        denominator = d.value;
        if (src.numerator !== undefined && src.denominator !== undefined) {
          if (n.value === null) err('numerator', 'required', `${indicator.code} is a percentage: the numerator is missing`);
          if (d.value === null) err('denominator', 'required', `${indicator.code} is a percentage: the denominator is missing`);
        }
        for (const p of checkValueShape(indicator.unitType, { numerator: n.value, denominator: d.value }, null, null)) err(p.field, p.code, p.message);
        value = percentageValue(numerator, denominator);
      } else {
        if (n.value !== null || d.value !== null) {
          err(n.value !== null ? 'numerator' : 'denominator', 'not_a_ratio', `${indicator.code} is a ${indicator.unitType.replace('_', '/')} indicator: it takes a value, not a numerator or denominator`);
        }
        if (src.value !== undefined) {
          mask |= MASK.value;
          if (v.value === null) err('value', 'required', 'the value is empty (to remove a value, import it with the delete strategy)');
          else for (const p of checkValueShape(indicator.unitType, { value: v.value }, indicator.minValue, indicator.maxValue)) err(p.field, p.code, p.message);
          value = v.value;
        }
      }
      if ((mask & (MASK.value | MASK.numerator | MASK.denominator)) === 0 && errors.length === 0) {
        err('value', 'required', 'the row carries no value');
      }
    }
  }

  if (errors.length > 0 || !indicator || !orgUnit || !period) return errors;
  return {
    row: src.row,
    indicatorId: indicator.id,
    orgUnitId: orgUnit.id,
    period,
    disagg,
    mask: deleted ? 0 : mask,
    value,
    numerator,
    denominator,
    comment,
    deleted,
  };
}
