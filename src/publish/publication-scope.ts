/**
 * The one place that decides what a publication may contain. Every number the review pack, the portal, the open
 * data and the public API show is read through here.
 *
 * - The Apex Committee's pack reads every indicator, at the `approved` stage of the workflow, exact.
 * - The public (portal, open data, public API, and packs marked for release) reads only indicators marked public,
 *   at the `accepted` stage, with every count through disclosure control.
 *
 * A value has reached a stage when the submission of its framework, org unit and period has (statusesAtStage).
 */
import type { Queryable } from '../db/database.ts';
import { queryAnalytics, type AnalyticsCell, type AnalyticsRequest } from '../analytics/analytics-query.ts';
import { completeness, type CompletenessOptions, type CompletenessReport } from '../analytics/completeness.ts';
import {
  indicatorScorecard,
  pillarProvinceScorecard,
  type GridRequest,
  type IndicatorScorecardRequest,
  type IndicatorScorecardRow,
  type PillarGrid,
} from '../analytics/scorecard.ts';
import { DEFAULT_DISCLOSURE_RULE, type DisclosureRule } from '../domain/disclosure-control.ts';
import type { Aggregation, IndicatorDef, Polarity, ReportingLevel, UnitType } from '../domain/framework.ts';
import type { PeriodType } from '../domain/period.ts';
import { statusesAtStage } from '../domain/workflow.ts';

export type Audience = 'committee' | 'public';

export interface PublicationScope {
  audience: Audience;
  /** The workflow stage a value must have reached. */
  stage: 'approved' | 'accepted';
  /** Only indicators marked public. */
  publicOnly: boolean;
  /** Counts pass this rule; null: exact figures (the committee's own pack). */
  disclosure: DisclosureRule | null;
}

export const COMMITTEE_SCOPE: PublicationScope = { audience: 'committee', stage: 'approved', publicOnly: false, disclosure: null };

/** JAIZA_SMALL_CELL_THRESHOLD sets the threshold (counts 1 to threshold − 1 are suppressed); 10 by default. */
export function disclosureRuleFromEnv(env: NodeJS.ProcessEnv = process.env): DisclosureRule {
  const text = env.JAIZA_SMALL_CELL_THRESHOLD;
  if (text === undefined || text === '') return DEFAULT_DISCLOSURE_RULE;
  const threshold = Number(text);
  if (!Number.isInteger(threshold) || threshold < 2) {
    throw new Error(`JAIZA_SMALL_CELL_THRESHOLD must be a whole number of 2 or more, not "${text}"`);
  }
  return { threshold };
}

export function publicScope(rule: DisclosureRule = DEFAULT_DISCLOSURE_RULE): PublicationScope {
  return { audience: 'public', stage: 'accepted', publicOnly: true, disclosure: rule };
}

/** An indicator as a publication describes it. */
export interface ScopedIndicator extends Pick<IndicatorDef, 'code' | 'nameEn' | 'nameUr' | 'definitionEn' | 'definitionUr' | 'unitType'
  | 'aggregationOrg' | 'aggregationTime' | 'polarity' | 'frequency' | 'lowestLevel' | 'meansOfVerification'> {
  id: number;
  framework: string;
  pillar: string;
  objective: string;
  public: boolean;
  /** Responsible institutions, the lead first, each with the org unit it covers. */
  institutions: { code: string; nameEn: string; nameUr: string; orgUnit: string }[];
  /** The indicator's disaggregation categories, in its order. */
  categories: string[];
}

interface IndicatorRow {
  id: number;
  code: string;
  name_en: string;
  name_ur: string;
  definition_en: string;
  definition_ur: string;
  unit_type: UnitType;
  aggregation_org: Aggregation;
  aggregation_time: Aggregation;
  polarity: Polarity;
  frequency: PeriodType;
  lowest_level: ReportingLevel;
  means_of_verification: string;
  framework: string;
  pillar: string;
  objective: string;
  public: boolean;
  institutions: { code: string; nameEn: string; nameUr: string; orgUnit: string }[] | null;
  categories: string[] | null;
}

/**
 * The indicators a scope may show, in framework order; `codes` narrows them, and a code outside the scope is
 * simply absent, so a caller answers "not found" whether it is unknown or not public.
 */
export async function indicatorsInScope(db: Queryable, scope: PublicationScope, filter: { framework?: string; codes?: string[] } = {}): Promise<ScopedIndicator[]> {
  const rows = (await db.query<IndicatorRow>(
    `SELECT i.id, i.code, i.name_en, i.name_ur, i.definition_en, i.definition_ur, i.unit_type, i.aggregation_org,
            i.aggregation_time, i.polarity, i.frequency, i.lowest_level, i.means_of_verification, i.public,
            f.code AS framework, p.code AS pillar, o.code AS objective,
            (SELECT json_agg(json_build_object('code', s.code, 'nameEn', s.name_en, 'nameUr', s.name_ur, 'orgUnit', u.code) ORDER BY ii.sort)
               FROM indicator_institution ii JOIN institution s ON s.id = ii.institution_id JOIN org_unit u ON u.id = s.org_unit_id
              WHERE ii.indicator_id = i.id) AS institutions,
            (SELECT array_agg(c.code ORDER BY d.sort) FROM indicator_disaggregation d JOIN disaggregation_category c ON c.id = d.category_id
              WHERE d.indicator_id = i.id) AS categories
       FROM indicator i JOIN objective o ON o.id = i.objective_id JOIN pillar p ON p.id = o.pillar_id
       JOIN framework f ON f.id = p.framework_id
      WHERE ($1::boolean = false OR i.public) AND ($2::text IS NULL OR f.code = $2) AND ($3::text[] IS NULL OR i.code = ANY($3::text[]))
      ORDER BY f.id, p.sort, p.id, o.sort, o.id, i.sort, i.id`,
    [scope.publicOnly, filter.framework ?? null, filter.codes ?? null])).rows;
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    nameEn: r.name_en,
    nameUr: r.name_ur,
    definitionEn: r.definition_en,
    definitionUr: r.definition_ur,
    unitType: r.unit_type,
    aggregationOrg: r.aggregation_org,
    aggregationTime: r.aggregation_time,
    polarity: r.polarity,
    frequency: r.frequency,
    lowestLevel: r.lowest_level,
    meansOfVerification: r.means_of_verification,
    framework: r.framework,
    pillar: r.pillar,
    objective: r.objective,
    public: r.public,
    institutions: r.institutions ?? [],
    categories: r.categories ?? [],
  }));
}

/** queryAnalytics at the scope's stage; the caller passes only indicators of the scope. */
export function analyticsInScope(db: Queryable, scope: PublicationScope, req: AnalyticsRequest): Promise<AnalyticsCell[]> {
  return queryAnalytics(db, { ...req, stage: scope.stage });
}

export async function indicatorScorecardInScope(db: Queryable, scope: PublicationScope, req: IndicatorScorecardRequest): Promise<IndicatorScorecardRow[]> {
  if (!scope.publicOnly) return indicatorScorecard(db, { ...req, stage: scope.stage });
  const allowed = new Set((await indicatorsInScope(db, scope, { framework: req.framework })).map((i) => i.code));
  const indicators = (req.indicators ?? [...allowed]).filter((c) => allowed.has(c));
  return indicators.length ? indicatorScorecard(db, { ...req, indicators, stage: scope.stage }) : [];
}

/**
 * The pillar × province (or district) grid. pillarProvinceScorecard counts every indicator of the framework,
 * so for the public the grid is counted here from the public indicators' statuses, by the same rules.
 */
export async function pillarGridInScope(db: Queryable, scope: PublicationScope, req: GridRequest): Promise<PillarGrid> {
  const grid = await pillarProvinceScorecard(db, { ...req, stage: scope.stage });
  if (!scope.publicOnly) return grid;
  const level = req.level ?? 'province';
  const levels: ReportingLevel[] = level === 'province' ? ['province', 'district'] : ['district'];
  const indicators = (await indicatorsInScope(db, scope, { framework: req.framework })).filter((i) => levels.includes(i.lowestLevel));
  const rows = indicators.length
    ? await indicatorScorecard(db, { indicators: indicators.map((i) => i.code), orgUnits: grid.orgUnits.map((u) => u.code), assessedAt: req.assessedAt, staleAfter: req.staleAfter, stage: scope.stage })
    : [];
  return { ...grid, cells: grid.cells.map((cell) => countCell(cell, rows.filter((r) => r.pillar === cell.pillar && r.orgUnit === cell.orgUnit))) };
}

/** Statuses that say nothing about progress, as pillarProvinceScorecard leaves them out of the on-track share. */
const UNASSESSED = new Set(['no_data', 'stale', 'no_target']);

function countCell(cell: PillarGrid['cells'][number], rows: IndicatorScorecardRow[]): PillarGrid['cells'][number] {
  const byStatus = Object.fromEntries(Object.keys(cell.byStatus).map((s) => [s, 0])) as typeof cell.byStatus;
  for (const r of rows) byStatus[r.status] += 1;
  const assessed = rows.filter((r) => !UNASSESSED.has(r.status)).length;
  return {
    ...cell,
    indicators: rows.length,
    byStatus,
    onTrackShare: assessed ? (byStatus.on_track + byStatus.achieved) / assessed : null,
    noData: byStatus.no_data,
    stale: byStatus.stale,
  };
}

/** Reporting completeness and timeliness; reports are counted per institution, no value is shown. */
export function completenessInScope(db: Queryable, _scope: PublicationScope, opts: CompletenessOptions): Promise<CompletenessReport> {
  return completeness(db, opts);
}

/**
 * SQL joins keeping only values `d` (of indicator `i`) whose submission — the one of their framework, org unit
 * and period — has a status in the parameter `$n`. A join, not a correlated EXISTS: the planner then matches
 * values to submissions in one pass. A submission is unique per key, so no value is repeated.
 */
function atStage(n: number): string {
  return `JOIN objective stage_ob ON stage_ob.id = i.objective_id JOIN pillar stage_pl ON stage_pl.id = stage_ob.pillar_id
          JOIN submission stage_s ON stage_s.framework_id = stage_pl.framework_id AND stage_s.org_unit_id = d.org_unit_id
           AND stage_s.period_id = d.period_id AND stage_s.status = ANY($${n}::text[])`;
}

/** The latest quarter in which any indicator of the scope holds a value at the scope's stage, or null when there is none. */
export async function latestQuarterWithData(db: Queryable, scope: PublicationScope): Promise<string | null> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT p.code FROM period p
      WHERE p.type = 'quarterly' AND EXISTS (
        SELECT 1 FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN period x ON x.id = d.period_id ${atStage(2)}
         WHERE ($1::boolean = false OR i.public) AND x.start_date >= p.start_date AND x.end_date <= p.end_date)
      ORDER BY p.start_date DESC LIMIT 1`, [scope.publicOnly, statusesAtStage(scope.stage)]);
  return rows[0]?.code ?? null;
}

/** Whether any value the scope reads is synthetic demo data, which every publication must then say. */
export async function hasSyntheticValues(db: Queryable, scope: PublicationScope): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM data_value d JOIN indicator i ON i.id = d.indicator_id WHERE d.synthetic AND ($1::boolean = false OR i.public)) AS any`,
    [scope.publicOnly]);
  return rows[0]?.any ?? false;
}

/** Changes whenever a value the scope reads changes, or reaches or leaves its stage: a key for caching what is computed from them. */
export async function dataVersion(db: Queryable, _scope: PublicationScope): Promise<string> {
  const { rows } = await db.query<{ v: string }>(
    `SELECT concat_ws('|', (SELECT count(*) FROM data_value), (SELECT max(stored_at) FROM data_value),
                           (SELECT count(*) FROM submission_event), (SELECT max(updated_at) FROM submission),
                           (SELECT max(changed_at) FROM data_value_history),
                           (SELECT md5(string_agg(i::text, '' ORDER BY i.id)) FROM indicator i),
                           (SELECT md5(string_agg(t::text, '' ORDER BY t.id)) FROM target t)) AS v`);
  return rows[0]!.v;
}

/** Per indicator id: its periods (of its own frequency) that hold a value, and when a value of it was last stored. */
export async function indicatorDataExtent(db: Queryable, scope: PublicationScope, indicatorIds: number[]): Promise<Map<number, { periods: string[]; lastUpdated: string | null; disaggregations: string[] }>> {
  const rows = (await db.query<{ indicator_id: number; periods: string[]; last_updated: string | null; disaggs: string[] }>(
    `SELECT d.indicator_id, array_agg(DISTINCT p.code) AS periods, to_char(max(d.stored_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_updated,
            array_agg(DISTINCT d.disagg) AS disaggs
       FROM data_value d JOIN period p ON p.id = d.period_id JOIN indicator i ON i.id = d.indicator_id AND p.type = i.frequency ${atStage(2)}
      WHERE d.indicator_id = ANY($1::int[])
      GROUP BY d.indicator_id`, [indicatorIds, statusesAtStage(scope.stage)])).rows;
  return new Map(rows.map((r) => [r.indicator_id, { periods: r.periods, lastUpdated: r.last_updated, disaggregations: r.disaggs }]));
}
