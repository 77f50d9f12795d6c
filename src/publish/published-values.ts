/**
 * The values a publication shows for an indicator: the country, every province and (for district-level
 * indicators) every district that existed in the period, as a total and by each option of a category that
 * holds data, for each of the indicator's own periods. Read through the publication scope, then passed
 * through disclosure control table by table (one table per indicator and period: its org-unit sums and its
 * category sums are the relations a reader could solve).
 */
import type { Queryable } from '../db/database.ts';
import { disaggregationCategories, parseDisaggregation } from '../domain/disaggregation.ts';
import {
  protectCounts,
  ratioSuppression,
  type AdditiveRelation,
  type CountCell,
  type SuppressionReason,
} from '../domain/disclosure-control.ts';
import { orgUnitValidDuring } from '../domain/org-unit.ts';
import { comparePeriods, parsePeriod, type Period } from '../domain/period.ts';
import { analyticsInScope, indicatorDataExtent, type PublicationScope, type ScopedIndicator } from './publication-scope.ts';

export interface PublishedValue {
  indicator: string;
  period: string;
  orgUnit: string;
  /** '' is the total; otherwise one category=option. */
  disaggregation: string;
  /** null when suppressed. */
  value: number | null;
  suppressed: SuppressionReason | null;
}

export interface PublishedUnit {
  code: string;
  nameEn: string;
  nameUr: string;
  level: 'country' | 'province' | 'district';
  /** The province a district lies in; the country for a province. */
  parent: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export interface IndicatorValues {
  indicator: ScopedIndicator;
  periods: string[];
  lastUpdated: string | null;
  values: PublishedValue[];
}

/** Country, provinces and districts, each district under its province (divisions are not published). */
export async function publishedUnits(db: Queryable): Promise<PublishedUnit[]> {
  return (await db.query<PublishedUnit>(
    `SELECT u.code, u.name_en AS "nameEn", u.name_ur AS "nameUr", u.level,
            (SELECT a.code FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id
              WHERE c.descendant_id = u.id AND c.depth > 0 AND a.level IN ('country', 'province') ORDER BY c.depth LIMIT 1) AS parent,
            to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(u.valid_to, 'YYYY-MM-DD') AS "validTo"
       FROM org_unit u WHERE u.level IN ('country', 'province', 'district') ORDER BY u.id`)).rows;
}

const LEVELS_SHOWN: Record<ScopedIndicator['lowestLevel'], PublishedUnit['level'][]> = {
  federal: ['country'],
  province: ['country', 'province'],
  district: ['country', 'province', 'district'],
};

const key = (unit: string, disagg: string) => `${unit}|${disagg}`;

/**
 * Values of each indicator over its own periods that hold data (or the periods asked for), protected as the
 * scope requires. Cells with no data are left out.
 */
export async function publishedValues(
  db: Queryable,
  scope: PublicationScope,
  indicators: ScopedIndicator[],
  units: PublishedUnit[],
  opts: { periods?: string[] } = {},
): Promise<IndicatorValues[]> {
  const extent = await indicatorDataExtent(db, scope, indicators.map((i) => i.id));
  const out: IndicatorValues[] = [];
  for (const ind of indicators) {
    const found = extent.get(ind.id);
    const periods = (opts.periods ?? found?.periods ?? [])
      .map((c) => parsePeriod(c))
      .filter((p) => p.type === ind.frequency)
      .sort(comparePeriods);
    // One category's options at a time: the breakdowns a reader can add up to the total.
    const disaggs = ['', ...(found?.disaggregations ?? []).filter((d) => {
      const cats = d === '' ? [] : disaggregationCategories(d);
      return cats.length === 1 && ind.categories.includes(cats[0]!);
    }).sort()];
    const shown = units.filter((u) => LEVELS_SHOWN[ind.lowestLevel].includes(u.level));
    const values: PublishedValue[] = [];
    if (periods.length && found) {
      const cells = new Map<string, { value: number | null; numerator: number | null; denominator: number | null }>();
      for (const d of disaggs) {
        const res = await analyticsInScope(db, scope, { indicators: [ind.code], orgUnits: shown.map((u) => u.code), periods, disaggregation: d });
        for (const c of res) cells.set(`${c.period}|${key(c.orgUnit, d)}`, c);
      }
      for (const period of periods) values.push(...tableFor(ind, period, shown, disaggs, cells, scope));
    }
    out.push({ indicator: ind, periods: periods.map((p) => p.code), lastUpdated: found?.lastUpdated ?? null, values });
  }
  return out;
}

function tableFor(
  ind: ScopedIndicator,
  period: Period,
  units: PublishedUnit[],
  disaggs: string[],
  cells: Map<string, { value: number | null; numerator: number | null; denominator: number | null }>,
  scope: PublicationScope,
): PublishedValue[] {
  const existing = units.filter((u) => orgUnitValidDuring(u, period.start, period.end));
  const cell = (u: string, d: string) => cells.get(`${period.code}|${key(u, d)}`);
  const hidden = new Map<string, SuppressionReason>();
  if (scope.disclosure && ind.unitType === 'count') {
    const counts: CountCell[] = existing.flatMap((u) => disaggs.map((d) => ({ key: key(u.code, d), value: cell(u.code, d)?.value ?? null })));
    for (const [k, reason] of protectCounts(counts, relationsFor(ind, existing, disaggs), scope.disclosure)) hidden.set(k, reason);
  } else if (scope.disclosure && ind.unitType === 'percentage') {
    for (const u of existing) {
      for (const d of disaggs) {
        const c = cell(u.code, d);
        const reason = c && c.value !== null ? ratioSuppression(c.numerator, c.denominator, scope.disclosure) : null;
        if (reason) hidden.set(key(u.code, d), reason);
      }
    }
  }
  const out: PublishedValue[] = [];
  for (const u of existing) {
    for (const d of disaggs) {
      const value = cell(u.code, d)?.value ?? null;
      if (value === null) continue;
      const reason = hidden.get(key(u.code, d)) ?? null;
      out.push({ indicator: ind.code, period: period.code, orgUnit: u.code, disaggregation: d, value: reason ? null : value, suppressed: reason });
    }
  }
  return out;
}

/** What a reader can add up: units to their parent (when the indicator sums over org units), options to the total. */
function relationsFor(ind: ScopedIndicator, units: PublishedUnit[], disaggs: string[]): AdditiveRelation[] {
  const relations: AdditiveRelation[] = [];
  if (ind.aggregationOrg === 'sum') {
    for (const parent of units) {
      const children = units.filter((u) => u.parent === parent.code);
      if (children.length === 0) continue;
      for (const d of disaggs) relations.push({ total: key(parent.code, d), parts: children.map((c) => key(c.code, d)) });
    }
  }
  const byCategory = new Map<string, string[]>();
  for (const d of disaggs) {
    if (d === '') continue;
    const [category] = [...parseDisaggregation(d).keys()];
    byCategory.set(category!, [...(byCategory.get(category!) ?? []), d]);
  }
  for (const u of units) {
    for (const options of byCategory.values()) relations.push({ total: key(u.code, ''), parts: options.map((d) => key(u.code, d)) });
  }
  return relations;
}
