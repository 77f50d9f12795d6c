/**
 * The data-entry form as a grid: one row per indicator measure (a percentage has a numerator and a denominator
 * row), one cell per disaggregation key, Total first. Enter and paste move through these rows across indicators,
 * the way the XLSX template lays them out.
 */
import type { EntryForm, EntryFormIndicator, EntryValue } from '../api/types.ts';

export type Measure = 'value' | 'numerator' | 'denominator';

export interface GridRow {
  indicator: EntryFormIndicator;
  measure: Measure;
  /** Disaggregation keys of the row's cells, '' (the total) first. */
  keys: string[];
}

/** What a user typed into one cell, per measure and comment; absent = not touched. */
export type TypedCell = Partial<Record<Measure | 'comment', string>>;
export type Typed = Record<string, TypedCell>;

export const cellKey = (indicator: string, disaggregation: string) => `${indicator}|${disaggregation}`;

export function isRatio(ind: Pick<EntryFormIndicator, 'unitType'>): boolean {
  return ind.unitType === 'percentage';
}

export function measuresOf(ind: Pick<EntryFormIndicator, 'unitType'>): Measure[] {
  return isRatio(ind) ? ['numerator', 'denominator'] : ['value'];
}

export function disaggregationKeys(ind: EntryFormIndicator): string[] {
  return ['', ...ind.disaggregations.flatMap((c) => c.options.map((o) => `${c.code}=${o.code}`))];
}

export function gridRows(form: EntryForm): GridRow[] {
  return form.indicators.flatMap((indicator) => measuresOf(indicator).map((measure) => ({ indicator, measure, keys: disaggregationKeys(indicator) })));
}

/** The stored value of a cell as the text a user would type. */
export function storedText(ind: EntryFormIndicator, disaggregation: string, field: Measure | 'comment'): string {
  const v = ind.values.find((x) => x.disaggregation === disaggregation);
  const x = v?.[field];
  return x === null || x === undefined ? '' : String(x);
}

/** The text a cell shows: what was typed, else what is stored. */
export function shownText(typed: Typed, ind: EntryFormIndicator, disaggregation: string, field: Measure | 'comment'): string {
  return typed[cellKey(ind.code, disaggregation)]?.[field] ?? storedText(ind, disaggregation, field);
}

/**
 * Records a change; a cell back at its stored text is no longer typed, so only real changes are sent.
 */
export function withText(typed: Typed, ind: EntryFormIndicator, disaggregation: string, field: Measure | 'comment', text: string): Typed {
  const key = cellKey(ind.code, disaggregation);
  const cell: TypedCell = { ...typed[key], [field]: text };
  if (text === storedText(ind, disaggregation, field)) delete cell[field];
  const next = { ...typed };
  if (Object.keys(cell).length === 0) delete next[key];
  else next[key] = cell;
  return next;
}

/** Latin digits for the Urdu (۰–۹) and Arabic (٠–٩) ones a keyboard may type, and the Arabic decimal mark. */
export function normalizeDigits(text: string): string {
  return text
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/\u066B/g, '.')
    .trim();
}

/** The typed cells as the API takes them: each cell whole (every measure), so the server sees what will be stored. */
export function entryValues(form: EntryForm, typed: Typed): EntryValue[] {
  const out: EntryValue[] = [];
  for (const ind of form.indicators) {
    for (const key of disaggregationKeys(ind)) {
      const cell = typed[cellKey(ind.code, key)];
      if (!cell) continue;
      const v: EntryValue = { indicator: ind.code, disaggregation: key };
      for (const m of measuresOf(ind)) v[m] = normalizeDigits(cell[m] ?? storedText(ind, key, m));
      if (cell.comment !== undefined) v.comment = cell.comment;
      out.push(v);
    }
  }
  return out;
}
