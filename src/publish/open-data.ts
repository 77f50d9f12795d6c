/**
 * Open data in the Open SDG tidy shape: one row per published value, one column per disaggregation category
 * (a blank cell is the total), a suppressed value blank with the reason beside it. CSV and JSON carry the
 * same rows; the Frictionless data package describes them.
 */
import { stringify } from 'csv-stringify/sync';
import { parseDisaggregation } from '../domain/disaggregation.ts';
import type { SuppressionReason } from '../domain/disclosure-control.ts';
import type { DisaggregationCategoryDef, UnitType } from '../domain/framework.ts';
import type { IndicatorValues, PublishedUnit } from './published-values.ts';
import type { ScopedIndicator } from './publication-scope.ts';

export const OPEN_DATA_LICENCE = {
  name: 'CC-BY-4.0',
  title: 'Creative Commons Attribution 4.0 International',
  path: 'https://creativecommons.org/licenses/by/4.0/',
} as const;

/** How the unit column names each unit type. */
export const UNIT_OF_MEASURE: Record<UnitType, string> = {
  count: 'count',
  percentage: 'percent',
  currency: 'PKR',
  yes_no: 'yes (1) / no (0)',
  milestone: 'milestone stage (0–4)',
  index: 'index',
};

export interface OpenDataRow {
  indicator: string;
  period: string;
  org_unit: string;
  org_unit_name: string;
  org_unit_name_ur: string;
  /** One entry per category of the table; null is the total. */
  [category: string]: string | number | null;
  unit: string;
  value: number | null;
  suppressed: SuppressionReason | null;
}

/** The category columns of a set of indicators, in first-seen order. */
export function categoryColumns(indicators: ScopedIndicator[]): string[] {
  return [...new Set(indicators.flatMap((i) => i.categories))];
}

export function openDataRows(tables: IndicatorValues[], units: PublishedUnit[], categories: string[]): OpenDataRow[] {
  const names = new Map(units.map((u) => [u.code, u]));
  const rows: OpenDataRow[] = [];
  for (const t of tables) {
    for (const v of t.values) {
      const parts = parseDisaggregation(v.disaggregation);
      const row: OpenDataRow = {
        indicator: v.indicator,
        period: v.period,
        org_unit: v.orgUnit,
        org_unit_name: names.get(v.orgUnit)?.nameEn ?? v.orgUnit,
        org_unit_name_ur: names.get(v.orgUnit)?.nameUr ?? '',
        unit: UNIT_OF_MEASURE[t.indicator.unitType],
        value: v.value,
        suppressed: v.suppressed,
      };
      for (const c of categories) row[c] = parts.get(c) ?? null;
      rows.push(row);
    }
  }
  return rows;
}

export function openDataColumns(categories: string[]): string[] {
  return ['indicator', 'period', 'org_unit', 'org_unit_name', 'org_unit_name_ur', ...categories, 'unit', 'value', 'suppressed'];
}

/** UTF-8 CSV with a byte-order mark (Excel then reads names correctly); blank cells for totals and nulls. */
export function openDataCsv(rows: OpenDataRow[], categories: string[]): string {
  const columns = openDataColumns(categories);
  return stringify([columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))], { bom: true });
}

export interface IndicatorMetadata {
  code: string;
  nameEn: string;
  nameUr: string;
  definitionEn: string;
  definitionUr: string;
  unit: string;
  unitType: UnitType;
  frequency: string;
  framework: string;
  pillar: string;
  objective: string;
  polarity: string;
  aggregation: { overOrgUnits: string; overTime: string };
  institutions: { code: string; nameEn: string; nameUr: string }[];
  meansOfVerification: string;
  /** The indicator's categories with their options' names, in its order. */
  disaggregations: DisaggregationCategoryDef[];
  periods: string[];
  lastUpdated: string | null;
}

export function indicatorMetadata(t: IndicatorValues, catalogue: DisaggregationCategoryDef[]): IndicatorMetadata {
  const i = t.indicator;
  return {
    code: i.code,
    nameEn: i.nameEn,
    nameUr: i.nameUr,
    definitionEn: i.definitionEn,
    definitionUr: i.definitionUr,
    unit: UNIT_OF_MEASURE[i.unitType],
    unitType: i.unitType,
    frequency: i.frequency,
    framework: i.framework,
    pillar: i.pillar,
    objective: i.objective,
    polarity: i.polarity,
    aggregation: { overOrgUnits: i.aggregationOrg, overTime: i.aggregationTime },
    institutions: i.institutions,
    meansOfVerification: i.meansOfVerification,
    disaggregations: i.categories.map((c) => catalogue.find((x) => x.code === c) ?? { code: c, nameEn: c, nameUr: '', options: [] }),
    periods: t.periods,
    lastUpdated: t.lastUpdated,
  };
}

const METADATA_COLUMNS = ['code', 'name_en', 'name_ur', 'definition_en', 'definition_ur', 'unit', 'frequency', 'framework', 'pillar',
  'objective', 'polarity', 'institutions', 'means_of_verification', 'disaggregations', 'first_period', 'last_period', 'last_updated'] as const;

export function indicatorsCsv(metadata: IndicatorMetadata[]): string {
  const rows = metadata.map((m) => [m.code, m.nameEn, m.nameUr, m.definitionEn, m.definitionUr, m.unit, m.frequency, m.framework, m.pillar,
    m.objective, m.polarity, m.institutions.map((x) => x.code).join(';'), m.meansOfVerification, m.disaggregations.map((d) => d.code).join(';'),
    m.periods[0] ?? '', m.periods.at(-1) ?? '', m.lastUpdated ?? '']);
  return stringify([[...METADATA_COLUMNS], ...rows], { bom: true });
}

/**
 * The Frictionless data package (v1) describing the bulk files, with their fields, the licence and the
 * disclosure rule. Paths are relative to the descriptor's own address.
 */
export function dataPackage(categories: string[], threshold: number, created: string): Record<string, unknown> {
  const text = (name: string, description: string, extra: Record<string, unknown> = {}) => ({ name, type: 'string', description, ...extra });
  return {
    profile: 'tabular-data-package',
    name: 'jaiza-npve-open-data',
    title: 'Jaiza open data: National Prevention of Violent Extremism Policy 2024 indicators',
    description:
      'Accepted values of the public NPVE and NAP indicators, by org unit and period, as a total and by disaggregation. ' +
      `Disclosure control: counts from 1 to ${threshold - 1} are suppressed, and so are values from which one could be ` +
      `worked out (complementary suppression over org-unit and disaggregation totals) and ratios with a denominator under ${threshold}. ` +
      'A suppressed value is blank with the reason in the suppressed column. No individual-level data is published.',
    licenses: [OPEN_DATA_LICENCE],
    created,
    resources: [
      {
        name: 'observations',
        path: 'data.csv',
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8-sig',
        schema: {
          fields: [
            text('indicator', 'Indicator code; described in indicators.csv', { constraints: { required: true } }),
            text('period', 'Period code: 202509 month, 2025Q3 quarter, 2025S2 half year, 2025 calendar year, 2025July fiscal year July 2025–June 2026', { constraints: { required: true } }),
            text('org_unit', 'Org unit code: PK the country, PK-PB a province, PK-PB-LHR a district', { constraints: { required: true } }),
            text('org_unit_name', 'Org unit name in English'),
            text('org_unit_name_ur', 'Org unit name in Urdu'),
            ...categories.map((c) => text(c, `Disaggregation option of category ${c}; blank is the total over this category`)),
            text('unit', 'Unit of measure'),
            { name: 'value', type: 'number', description: 'The value; blank when suppressed' },
            text('suppressed', 'Why the value is suppressed: small_count (1 to threshold − 1), complementary (would reveal a small count through totals), small_denominator (a ratio on a small base); blank when published', {
              constraints: { enum: ['', 'small_count', 'complementary', 'small_denominator'] },
            }),
          ],
          missingValues: [''],
          primaryKey: ['indicator', 'period', 'org_unit', ...categories],
          foreignKeys: [{ fields: 'indicator', reference: { resource: 'indicators', fields: 'code' } }],
        },
      },
      {
        name: 'indicators',
        path: 'indicators.csv',
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8-sig',
        schema: {
          fields: METADATA_COLUMNS.map((name) => text(name, name.replaceAll('_', ' '))),
          missingValues: [''],
          primaryKey: ['code'],
        },
      },
    ],
  };
}
