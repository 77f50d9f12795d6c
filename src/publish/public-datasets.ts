/**
 * What the public sees, assembled once for the public API, the portal and the downloads alike: the public
 * indicators' metadata, their protected values as open-data rows, the scorecards and the reporting status.
 */
import type { Queryable } from '../db/database.ts';
import { loadCatalogue } from '../framework/framework-store.ts';
import { PHASE_END } from '../analytics/scorecard.ts';
import { PROGRESS_STATUSES, type ProgressStatus } from '../domain/progress.ts';
import { comparePeriods, parsePeriod, periodContaining, shiftPeriod } from '../domain/period.ts';
import {
  categoryColumns,
  indicatorMetadata,
  openDataCsv,
  openDataRows,
  type IndicatorMetadata,
  type OpenDataRow,
} from './open-data.ts';
import {
  completenessInScope,
  dataVersion,
  indicatorDataExtent,
  indicatorScorecardInScope,
  indicatorsInScope,
  latestQuarterWithData,
  pillarGridInScope,
  type PublicationScope,
} from './publication-scope.ts';
import { publishedUnits, publishedValues, type IndicatorValues, type PublishedUnit } from './published-values.ts';

export interface PublicTarget {
  orgUnit: string;
  /** The period the target is for: its own, or the last period of its phase. */
  period: string;
  value: number;
}

export interface PublicIndicator extends IndicatorMetadata {
  targets: PublicTarget[];
}

export interface IndicatorDataset {
  indicator: PublicIndicator;
  categories: string[];
  observations: OpenDataRow[];
}

export interface BulkDataset {
  categories: string[];
  indicators: PublicIndicator[];
  observations: OpenDataRow[];
  /** data.csv, written on first use and kept with the dataset. */
  csv(): string;
}

async function targetsOf(db: Queryable, indicatorIds: number[]): Promise<Map<number, PublicTarget[]>> {
  const rows = (await db.query<{ indicator_id: number; org_unit: string; period: string | null; phase: keyof typeof PHASE_END | null; value: number }>(
    `SELECT t.indicator_id, o.code AS org_unit, t.period, t.phase, t.value FROM target t JOIN org_unit o ON o.id = t.org_unit_id
      WHERE t.indicator_id = ANY($1::int[]) ORDER BY t.id`, [indicatorIds])).rows;
  const out = new Map<number, PublicTarget[]>();
  for (const r of rows) {
    const target = { orgUnit: r.org_unit, period: r.period ?? PHASE_END[r.phase!], value: r.value };
    out.set(r.indicator_id, [...(out.get(r.indicator_id) ?? []), target]);
  }
  return out;
}

async function assemble(db: Queryable, scope: PublicationScope, codes?: string[]): Promise<{ tables: IndicatorValues[]; units: PublishedUnit[]; indicators: PublicIndicator[] }> {
  const scoped = await indicatorsInScope(db, scope, { codes });
  const units = await publishedUnits(db);
  const tables = await publishedValues(db, scope, scoped, units);
  const targets = await targetsOf(db, scoped.map((i) => i.id));
  const catalogue = await loadCatalogue(db);
  const indicators = tables.map((t) => ({ ...indicatorMetadata(t, catalogue), targets: targets.get(t.indicator.id) ?? [] }));
  return { tables, units, indicators };
}

/** The public indicators' metadata, without their values. */
export function publicIndicators(db: Queryable, scope: PublicationScope): Promise<PublicIndicator[]> {
  return kept(db, scope, 'indicators', () => indicatorMetadataList(db, scope));
}

async function indicatorMetadataList(db: Queryable, scope: PublicationScope): Promise<PublicIndicator[]> {
  const scoped = await indicatorsInScope(db, scope);
  const extent = await indicatorDataExtent(db, scope, scoped.map((i) => i.id));
  const targets = await targetsOf(db, scoped.map((i) => i.id));
  const catalogue = await loadCatalogue(db);
  return scoped.map((indicator) => {
    const e = extent.get(indicator.id);
    const periods = (e?.periods ?? []).map((c) => parsePeriod(c)).sort(comparePeriods).map((p) => p.code);
    return { ...indicatorMetadata({ indicator, periods, lastUpdated: e?.lastUpdated ?? null, values: [] }, catalogue), targets: targets.get(indicator.id) ?? [] };
  });
}

/** Answers kept per database until the data changes: the public reads far more often than anyone writes. */
const answers = new WeakMap<Queryable, Map<string, { version: string; answer: Promise<unknown> }>>();
/** Enough for every indicator page, scorecard and quarter a reader asks for; the oldest goes first. */
const MAX_KEPT = 500;

async function kept<T>(db: Queryable, scope: PublicationScope, key: string, compute: () => Promise<T>): Promise<T> {
  const version = `${scope.audience}|${scope.disclosure?.threshold}|${await dataVersion(db, scope)}`;
  let byKey = answers.get(db);
  if (!byKey) answers.set(db, (byKey = new Map()));
  const found = byKey.get(key);
  if (found?.version === version) return found.answer as Promise<T>;
  const answer = compute();
  byKey.delete(key);
  byKey.set(key, { version, answer });
  if (byKey.size > MAX_KEPT) byKey.delete(byKey.keys().next().value!);
  answer.catch(() => byKey.delete(key));
  return answer;
}

/** One indicator's dataset, or null when it is unknown or not in the scope (the caller answers 404 either way). */
export function indicatorDataset(db: Queryable, scope: PublicationScope, code: string): Promise<IndicatorDataset | null> {
  return kept(db, scope, `indicator|${code}`, async () => {
    const { tables, units, indicators } = await assemble(db, scope, [code]);
    if (!tables[0]) return null;
    const categories = categoryColumns([tables[0].indicator]);
    return { indicator: indicators[0]!, categories, observations: openDataRows(tables, units, categories) };
  });
}

/** The disaggregation columns of the bulk files, known without computing a value. */
export async function openDataCategories(db: Queryable, scope: PublicationScope): Promise<string[]> {
  return categoryColumns(await indicatorsInScope(db, scope));
}

/** Every public indicator and value. */
export function bulkDataset(db: Queryable, scope: PublicationScope): Promise<BulkDataset> {
  return kept(db, scope, 'bulk', async () => {
    const { tables, units, indicators } = await assemble(db, scope);
    const categories = categoryColumns(tables.map((t) => t.indicator));
    const observations = openDataRows(tables, units, categories);
    let csv: string | undefined;
    return { categories, indicators, observations, csv: () => (csv ??= openDataCsv(observations, categories)) };
  });
}

export interface PublicScorecard {
  period: string | null;
  orgUnit: { code: string; nameEn: string; nameUr: string };
  framework: string | null;
  pillars: { code: string; nameEn: string; nameUr: string }[];
  /** Columns of the grid: the provinces under the country, or the districts under a province. */
  columns: { code: string; nameEn: string; nameUr: string }[];
  cells: { pillar: string; orgUnit: string; indicators: number; onTrackShare: number | null; byStatus: Record<ProgressStatus, number> }[];
  /** Each public indicator's status at the org unit; values themselves are in the indicator's dataset. */
  indicators: { code: string; nameEn: string; nameUr: string; pillar: string; status: ProgressStatus; symbol: string; latestPeriod: string | null }[];
}

const SYMBOL = new Map(PROGRESS_STATUSES.map((s) => [s.status, s.symbol]));

/** The framework the portal's scorecard and reporting status show: the first one loaded with a public indicator (NPVE 2024). */
async function portalFramework(db: Queryable, scope: PublicationScope): Promise<string | null> {
  return (await indicatorsInScope(db, scope))[0]?.framework ?? null;
}

/** The national (or one province's) scorecard as of a quarter: the latest with data unless one is asked for. */
export function publicScorecard(db: Queryable, scope: PublicationScope, req: { period?: string; orgUnit: string }): Promise<PublicScorecard | null> {
  return kept(db, scope, `scorecard|${req.orgUnit}|${req.period ?? ''}`, () => scorecardOf(db, scope, req));
}

async function scorecardOf(db: Queryable, scope: PublicationScope, req: { period?: string; orgUnit: string }): Promise<PublicScorecard | null> {
  const unit = (await db.query<{ code: string; nameEn: string; nameUr: string; level: string }>(
    `SELECT code, name_en AS "nameEn", name_ur AS "nameUr", level FROM org_unit WHERE code = $1 AND level IN ('country', 'province')`, [req.orgUnit])).rows[0];
  if (!unit) return null;
  const period = req.period ? parsePeriod(req.period).code : await latestQuarterWithData(db, scope);
  const framework = await portalFramework(db, scope);
  if (!period || !framework) return { period: null, orgUnit: unit, framework, pillars: [], columns: [], cells: [], indicators: [] };
  const grid = await pillarGridInScope(db, scope, {
    framework, assessedAt: period, level: unit.level === 'country' ? 'province' : 'district', orgUnit: unit.code,
  });
  // A province is judged on its own indicators; federal ones have no provincial value.
  const indicators = (await indicatorsInScope(db, scope, { framework })).filter((i) => unit.level === 'country' || i.lowestLevel !== 'federal');
  const rows = await indicatorScorecardInScope(db, scope, { indicators: indicators.map((i) => i.code), orgUnits: [unit.code], assessedAt: period });
  return {
    period,
    orgUnit: { code: unit.code, nameEn: unit.nameEn, nameUr: unit.nameUr },
    framework,
    pillars: grid.pillars,
    columns: grid.orgUnits,
    cells: grid.cells.map((c) => ({ pillar: c.pillar, orgUnit: c.orgUnit, indicators: c.indicators, onTrackShare: c.onTrackShare, byStatus: c.byStatus })),
    indicators: rows.map((r) => ({
      code: r.indicator, nameEn: r.nameEn, nameUr: r.nameUr, pillar: r.pillar, status: r.status, symbol: SYMBOL.get(r.status) ?? '', latestPeriod: r.latest?.period ?? null,
    })),
  };
}

export interface ReportingStatus {
  from: string;
  to: string;
  deadlineDays: number;
  institutions: { code: string; nameEn: string; nameUr: string; expected: number; received: number; onTime: number; reportingRate: number | null; timelinessRate: number | null }[];
  totals: { expected: number; received: number; onTime: number; reportingRate: number | null; timelinessRate: number | null };
}

/** Which institutions report, and on time, over the four quarters up to `to` (the latest with data by default). */
export function reportingStatus(db: Queryable, scope: PublicationScope, req: { to?: string }): Promise<ReportingStatus | null> {
  // Reports fall due as days pass, not only as data changes: the day is part of the key.
  return kept(db, scope, `reporting|${req.to ?? ''}|${new Date().toISOString().slice(0, 10)}`, () => reportingStatusOf(db, scope, req));
}

async function reportingStatusOf(db: Queryable, scope: PublicationScope, req: { to?: string }): Promise<ReportingStatus | null> {
  const to = req.to ? parsePeriod(req.to) : await latestQuarterWithData(db, scope).then((c) => (c ? parsePeriod(c) : null));
  const framework = await portalFramework(db, scope);
  if (!to || !framework) return null;
  const from = shiftPeriod(periodContaining('quarterly', to.start), -3);
  const report = await completenessInScope(db, scope, { from: from.code, to: to.code, framework });
  return { from: report.from, to: report.to, deadlineDays: report.deadlineDays, institutions: report.institutions, totals: report.totals };
}
