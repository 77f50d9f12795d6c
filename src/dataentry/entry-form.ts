/**
 * The data-entry form for one org unit and period (optionally one institution or framework): every indicator the
 * unit must report, grouped by pillar and objective, with the range each cell accepts and the values already stored.
 * The same indicators as the XLSX template, so a form and a filled template always agree.
 */
import type { Queryable } from '../db/database.ts';
import { unitRange } from '../domain/framework.ts';
import { loadTemplateIndicators, type TemplateIndicator, type TemplateRequest, type TemplateSpec } from '../importexport/template-indicators.ts';

/** What a cell accepts: the unit type's range narrowed by the indicator's own minimum and maximum. */
export interface CellRange {
  min: number | null;
  max: number | null;
  integer: boolean;
}

export interface EntryFormIndicator extends TemplateIndicator {
  range: CellRange;
}

export interface EntryForm extends Omit<TemplateSpec, 'indicators'> {
  indicators: EntryFormIndicator[];
}

function narrower(a: number | null, b: number | null, pick: (x: number, y: number) => number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return pick(a, b);
}

export function cellRange(ind: Pick<TemplateIndicator, 'unitType' | 'minValue' | 'maxValue'>): CellRange {
  const unit = unitRange(ind.unitType);
  return {
    min: narrower(unit.min, ind.minValue, Math.max),
    max: narrower(unit.max, ind.maxValue, Math.min),
    integer: unit.integer,
  };
}

export async function loadEntryForm(db: Queryable, request: TemplateRequest): Promise<EntryForm> {
  const spec = await loadTemplateIndicators(db, request);
  return { ...spec, indicators: spec.indicators.map((i) => ({ ...i, range: cellRange(i) })) };
}
