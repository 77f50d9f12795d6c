/**
 * The one query engine behind screens, reports and the portal: indicator × org unit × period × disaggregation,
 * aggregated by the indicator's own rules.
 *
 * Over org units: `sum` adds the subtree; `ratio` is Σnumerator / Σdenominator (never an average of percentages);
 * `last` (milestones, yes/no) is the reporting unit's own value and is not aggregated above it.
 * Over time, within the requested period: `sum` adds the periods; `last` takes each unit's latest period (a stock);
 * `ratio` adds numerators and denominators. Retired org units stay under their parent, so values reported under an
 * old boundary roll up. A total that was not reported is derived from the indicator's first disaggregation category.
 */
import type { Queryable } from '../db/database.ts';
import { canonicalDisaggregation } from '../domain/disaggregation.ts';
import type { Aggregation } from '../domain/framework.ts';
import { monthsOfType, parsePeriod, periodMonths, type Period, type PeriodType } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';
import { statusesAtStage, type ReadStage } from '../domain/workflow.ts';
import { CURRENT_ROLLUP_RULE } from '../rollups/rollup-maintenance.ts';

export interface AnalyticsRequest {
  indicators: string[];
  /** Org unit codes, `children:CODE` (the units directly under CODE) or `level:province|district|…` (optionally `level:district:PK-PB`). */
  orgUnits: string[];
  periods: Period[];
  disaggregation?: string;
  /** Only values whose submission has reached this workflow stage; every stored value when absent. */
  stage?: ReadStage;
}

export interface AnalyticsCell {
  indicator: string;
  orgUnit: string;
  period: string;
  disaggregation: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** How many stored values went into the cell. */
  values: number;
  /** Reporting units that contributed. */
  units: number;
}

export interface IndicatorInfo {
  id: number;
  code: string;
  unit_type: string;
  aggregation_org: Aggregation;
  aggregation_time: Aggregation;
  frequency: PeriodType;
  first_category: string | null;
  /** Its pre-aggregates were computed with its current attributes. */
  rollup_current: boolean;
}

export interface UnitInfo {
  id: number;
  code: string;
}

export async function resolveOrgUnits(db: Queryable, selectors: string[]): Promise<UnitInfo[]> {
  const out = new Map<string, UnitInfo>();
  const unknown: string[] = [];
  const codes: string[] = [];
  for (const sel of selectors) {
    const [kind, a, b] = sel.split(':');
    let rows: UnitInfo[];
    if (kind === 'children' && a) {
      rows = (await db.query<UnitInfo>(
        `SELECT c.id, c.code FROM org_unit c JOIN org_unit p ON p.id = c.parent_id WHERE p.code = $1 ORDER BY c.id`, [a])).rows;
      if (rows.length === 0 && (await db.query('SELECT 1 FROM org_unit WHERE code = $1', [a])).rowCount === 0) unknown.push(a);
    } else if (kind === 'level' && a) {
      rows = (await db.query<UnitInfo>(
        `SELECT o.id, o.code FROM org_unit o
          WHERE o.level = $1 AND ($2::text IS NULL OR o.id IN
            (SELECT c.descendant_id FROM org_unit_closure c JOIN org_unit x ON x.id = c.ancestor_id WHERE x.code = $2))
          ORDER BY o.id`, [a, b ?? null])).rows;
      if (!['country', 'province', 'division', 'district'].includes(a)) unknown.push(sel);
    } else {
      rows = [];
      codes.push(sel);
    }
    for (const r of rows) out.set(r.code, r);
  }
  // Plain codes in one query: a publication names every district at once.
  if (codes.length) {
    const found = new Map((await db.query<UnitInfo>('SELECT id, code FROM org_unit WHERE code = ANY($1::text[])', [codes])).rows.map((r) => [r.code, r]));
    for (const c of codes) {
      const r = found.get(c);
      if (r) out.set(c, r);
      else unknown.push(c);
    }
  }
  if (unknown.length) {
    throw new InputError(unknown.map((u) => ({ row: 0, field: 'orgUnit', code: 'unknown_org_unit', message: `unknown org unit "${u}"` })));
  }
  return [...out.values()];
}

export async function loadIndicatorInfo(db: Queryable, codes: string[]): Promise<IndicatorInfo[]> {
  const rows = (await db.query<IndicatorInfo>(
    `SELECT i.id, i.code, i.unit_type, i.aggregation_org, i.aggregation_time, i.frequency, cur.first_category,
       (r.indicator_id IS NOT NULL AND r.aggregation_org = cur.aggregation_org AND r.frequency = cur.frequency
         AND r.first_category IS NOT DISTINCT FROM cur.first_category) AS rollup_current
       FROM indicator i JOIN (${CURRENT_ROLLUP_RULE}) cur ON cur.indicator_id = i.id
       LEFT JOIN rollup_rule r ON r.indicator_id = i.id
      WHERE i.code = ANY($1::text[])`, [codes])).rows;
  const missing = codes.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length) {
    throw new InputError(missing.map((c) => ({ row: 0, field: 'indicator', code: 'unknown_indicator', message: `unknown indicator "${c}"` })));
  }
  return codes.map((c) => rows.find((r) => r.code === c)!);
}

export async function queryAnalytics(db: Queryable, req: AnalyticsRequest): Promise<AnalyticsCell[]> {
  const indicators = await loadIndicatorInfo(db, req.indicators);
  const units = await resolveOrgUnits(db, req.orgUnits);
  const disagg = canonicalDisaggregation(req.disaggregation ?? '');
  const found = await aggregateSeries(db, indicators.map((indicator) => ({ indicator, periods: req.periods })), units, disagg, { stage: req.stage });
  const cells: AnalyticsCell[] = [];
  for (const ind of indicators) {
    for (const period of req.periods) {
      for (const u of units) {
        const r = found.get(cellKey(ind.id, period.code, u.id));
        cells.push({
          indicator: ind.code,
          orgUnit: u.code,
          period: period.code,
          disaggregation: disagg,
          value: r ? cellValue(ind, r) : null,
          numerator: r && ind.unit_type === 'percentage' ? r.numerator : null,
          denominator: r && ind.unit_type === 'percentage' ? r.denominator : null,
          values: r?.values ?? 0,
          units: r?.units ?? 0,
        });
      }
    }
  }
  return cells;
}

export function cellKey(indicatorId: number, period: string, unitId: number): string {
  return `${indicatorId}|${period}|${unitId}`;
}

export interface AggregateOptions {
  /** Read the pre-aggregates where they answer (true by default). */
  useRollups?: boolean;
  stage?: ReadStage;
}

/**
 * Aggregates each indicator over its own periods for every unit, keyed by cellKey. Totals in the indicator's
 * own periods come from the pre-aggregates in one query for all indicators; other periods and disaggregations
 * are computed from the stored values, one query per indicator. The pre-aggregates hold every stored value, so
 * a read at a workflow stage is computed from the stored values of submissions at that stage.
 */
export async function aggregateSeries(
  db: Queryable,
  series: { indicator: IndicatorInfo; periods: Period[] }[],
  units: UnitInfo[],
  disagg: string,
  opts: AggregateOptions = {},
): Promise<Map<string, Aggregated>> {
  const out = new Map<string, Aggregated>();
  if (units.length === 0) return out;
  const useRollups = opts.useRollups !== false;
  const unstaged = opts.stage && useRollups && disagg === '' ? await periodsBelowStage(db, series, opts.stage) : new Set<string>();
  const fromRollup: { indicator: IndicatorInfo; periods: Period[] }[] = [];
  for (const s of series) {
    const own = useRollups && disagg === '' && s.indicator.rollup_current
      ? s.periods.filter((p) => p.type === s.indicator.frequency && !unstaged.has(`${s.indicator.id}|${p.code}`))
      : [];
    const other = s.periods.filter((p) => !own.includes(p));
    if (own.length) fromRollup.push({ indicator: s.indicator, periods: own });
    if (other.length) {
      for (const [key, cell] of await aggregate(db, s.indicator, units, other, disagg, opts.stage)) out.set(key, cell);
    }
  }
  if (fromRollup.length) {
    const res = await db.query<Aggregated & { indicator_id: number; period: string; org_unit_id: number }>(
      `SELECT r.indicator_id, p.code AS period, r.org_unit_id, r.value, r.numerator, r.denominator, r.n_values AS values, r.n_units AS units
         FROM value_rollup r JOIN period p ON p.id = r.period_id
        WHERE r.indicator_id = ANY($1::int[]) AND r.org_unit_id = ANY($2::int[]) AND p.code = ANY($3::text[])`,
      [fromRollup.map((s) => s.indicator.id), units.map((u) => u.id), [...new Set(fromRollup.flatMap((s) => s.periods.map((p) => p.code)))]],
    );
    const wanted = new Set(fromRollup.flatMap((s) => s.periods.map((p) => `${s.indicator.id}|${p.code}`)));
    for (const r of res.rows) {
      if (wanted.has(`${r.indicator_id}|${r.period}`)) out.set(cellKey(r.indicator_id, r.period, r.org_unit_id), r);
    }
  }
  return out;
}

/**
 * The indicator's own periods (as `indicator id|period`) holding a value whose submission has not reached the
 * stage. The pre-aggregates hold every stored value, so they answer a read at a stage exactly where no value is
 * below it: in a live system, every period but the last few.
 */
async function periodsBelowStage(db: Queryable, series: { indicator: IndicatorInfo; periods: Period[] }[], stage: ReadStage): Promise<Set<string>> {
  const own = series.flatMap((s) => s.periods.filter((p) => p.type === s.indicator.frequency).map((p) => [s.indicator.id, p.code] as const));
  if (own.length === 0) return new Set();
  const { rows } = await db.query<{ indicator_id: number; period: string }>(
    `SELECT DISTINCT d.indicator_id, p.code AS period
       FROM unnest($1::int[], $2::text[]) AS w(indicator_id, period)
       JOIN period p ON p.code = w.period
       JOIN data_value d ON d.period_id = p.id AND d.indicator_id = w.indicator_id
       JOIN indicator i ON i.id = d.indicator_id JOIN objective ob ON ob.id = i.objective_id JOIN pillar pl ON pl.id = ob.pillar_id
      WHERE NOT EXISTS (SELECT 1 FROM submission s WHERE s.framework_id = pl.framework_id AND s.org_unit_id = d.org_unit_id
                           AND s.period_id = d.period_id AND s.status = ANY($3::text[]))`,
    [own.map((o) => o[0]), own.map((o) => o[1]), statusesAtStage(stage)]);
  return new Set(rows.map((r) => `${r.indicator_id}|${r.period}`));
}

export interface SeriesEnd {
  period: string;
  value: number;
}

/**
 * The earliest and the latest value of each indicator's series at each unit (periods without a value skipped),
 * keyed by `indicator id|unit id`: all a progress assessment reads. Totals in the indicators' own periods come
 * from the pre-aggregates in one query for all indicators.
 */
export async function seriesEnds(
  db: Queryable,
  series: { indicator: IndicatorInfo; periods: Period[] }[],
  units: UnitInfo[],
  stage?: ReadStage,
): Promise<Map<string, { earliest: SeriesEnd; latest: SeriesEnd }>> {
  const out = new Map<string, { earliest: SeriesEnd; latest: SeriesEnd }>();
  const keep = (indicatorId: number, unitId: number, end: SeriesEnd) => {
    const key = `${indicatorId}|${unitId}`;
    const known = out.get(key);
    if (!known) out.set(key, { earliest: end, latest: end });
    else if (parsePeriod(end.period).startMonth < parsePeriod(known.earliest.period).startMonth) known.earliest = end;
    else if (parsePeriod(end.period).startMonth > parsePeriod(known.latest.period).startMonth) known.latest = end;
  };
  // Each series is answered from the pre-aggregates where they hold the answer, from the stored values elsewhere.
  const unstaged = stage ? await periodsBelowStage(db, series, stage) : new Set<string>();
  const rollupAnswers = (s: { indicator: IndicatorInfo }, p: Period) =>
    s.indicator.rollup_current && p.type === s.indicator.frequency && !unstaged.has(`${s.indicator.id}|${p.code}`);
  const own = series.map((s) => ({ ...s, periods: s.periods.filter((p) => rollupAnswers(s, p)) })).filter((s) => s.periods.length);
  const others = series.map((s) => ({ ...s, periods: s.periods.filter((p) => !rollupAnswers(s, p)) })).filter((s) => s.periods.length);
  if (others.length) {
    const found = await aggregateSeries(db, others, units, '', { useRollups: false, stage });
    for (const s of others) {
      for (const p of s.periods) {
        for (const u of units) {
          const cell = found.get(cellKey(s.indicator.id, p.code, u.id));
          const value = cell ? cellValue(s.indicator, cell) : null;
          if (value !== null) keep(s.indicator.id, u.id, { period: p.code, value });
        }
      }
    }
  }
  if (own.length && units.length) {
    const wanted = own.flatMap((s) => s.periods.map((p) => [s.indicator.id, p.code] as const));
    // Only the two ends cross to the application: four numbers a cell, whatever the length of the series.
    const res = await db.query<{ i: number; o: number; fp: string; fv: number; lp: string; lv: number }>(
      `WITH v AS (
         SELECT r.indicator_id AS i, r.org_unit_id AS o, p.code AS period, p.start_date,
           CASE WHEN x.unit_type = 'percentage'
             THEN CASE WHEN r.denominator <> 0 AND r.numerator IS NOT NULL THEN 100 * r.numerator / r.denominator END
             ELSE r.value END AS v
           FROM unnest($1::int[], $2::text[]) AS w(indicator_id, period)
           JOIN period p ON p.code = w.period
           JOIN value_rollup r ON r.indicator_id = w.indicator_id AND r.period_id = p.id AND r.org_unit_id = ANY($3::int[])
           JOIN indicator x ON x.id = r.indicator_id)
       SELECT i, o, (array_agg(period ORDER BY start_date))[1] AS fp, (array_agg(v ORDER BY start_date))[1] AS fv,
              (array_agg(period ORDER BY start_date DESC))[1] AS lp, (array_agg(v ORDER BY start_date DESC))[1] AS lv
         FROM v WHERE v IS NOT NULL GROUP BY i, o`,
      [wanted.map((w) => w[0]), wanted.map((w) => w[1]), units.map((u) => u.id)],
    );
    for (const r of res.rows) {
      keep(r.i, r.o, { period: r.fp, value: r.fv });
      keep(r.i, r.o, { period: r.lp, value: r.lv });
    }
  }
  return out;
}

export interface Aggregated {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  values: number;
  units: number;
}

export function cellValue(ind: Pick<IndicatorInfo, 'unit_type'>, r: Aggregated): number | null {
  if (ind.unit_type === 'percentage') return r.denominator && r.numerator !== null ? (100 * r.numerator) / r.denominator : null;
  return r.value;
}

/** One indicator for every requested period and unit, in one query from the stored values; keyed by cellKey. */
async function aggregate(db: Queryable, ind: IndicatorInfo, units: UnitInfo[], periods: Period[], disagg: string, stage?: ReadStage): Promise<Map<string, Aggregated>> {
  const out = new Map<string, Aggregated>();
  // A period shorter than the indicator's reporting period cannot be answered from its values.
  const answerable = periods.filter((p) => periodMonths(p) >= monthsOfType(ind.frequency));
  if (units.length === 0 || answerable.length === 0) return out;
  const deriveTotal = disagg === '' && ind.first_category !== null && ind.aggregation_org !== 'last';
  const latestOnly = ind.aggregation_time === 'last';
  // Rows of the cell: the reported total, or the sum of the first category's options where no total was reported.
  const sql = `
    WITH scope AS (
      SELECT r.id AS target_id, c.descendant_id AS org_unit_id, c.depth
        FROM unnest($1::int[]) AS r(id) JOIN org_unit_closure c ON c.ancestor_id = r.id
    ),
    req AS (SELECT * FROM unnest($3::text[], $4::date[], $5::date[]) AS q(code, start_date, end_date)),
    raw AS (
      SELECT q.code AS req_period, d.org_unit_id, d.period_id, p.start_date, d.disagg, d.value, d.numerator, d.denominator
        FROM data_value d JOIN period p ON p.id = d.period_id AND p.type = $6
        JOIN req q ON p.start_date >= q.start_date AND p.end_date <= q.end_date
       WHERE d.indicator_id = $2 AND d.org_unit_id IN (SELECT org_unit_id FROM scope)
         AND (d.disagg = $7 ${deriveTotal ? `OR (d.disagg LIKE $8 AND d.disagg NOT LIKE '%;%')` : ''})
         ${stage ? `AND EXISTS (SELECT 1 FROM submission s
                      WHERE s.org_unit_id = d.org_unit_id AND s.period_id = d.period_id AND s.status = ANY($${deriveTotal ? 9 : 8}::text[])
                        AND s.framework_id = (SELECT pl.framework_id FROM indicator i JOIN objective ob ON ob.id = i.objective_id
                                               JOIN pillar pl ON pl.id = ob.pillar_id WHERE i.id = $2))` : ''}
    ),
    cell AS (
      SELECT req_period, org_unit_id, start_date,
             CASE WHEN bool_or(disagg = $7) THEN max(value) FILTER (WHERE disagg = $7) ELSE sum(value) END AS value,
             CASE WHEN bool_or(disagg = $7) THEN max(numerator) FILTER (WHERE disagg = $7) ELSE sum(numerator) END AS numerator,
             CASE WHEN bool_or(disagg = $7) THEN max(denominator) FILTER (WHERE disagg = $7) ELSE sum(denominator) END AS denominator,
             CASE WHEN bool_or(disagg = $7) THEN 1 ELSE count(*) END AS n
        FROM raw GROUP BY req_period, org_unit_id, period_id, start_date
    ),
    timed AS (
      ${latestOnly
        ? 'SELECT DISTINCT ON (req_period, org_unit_id) * FROM cell ORDER BY req_period, org_unit_id, start_date DESC'
        : 'SELECT * FROM cell'}
    )
    SELECT t.req_period, s.target_id, sum(t.value) AS value, sum(t.numerator) AS numerator, sum(t.denominator) AS denominator,
           sum(t.n)::int AS values, count(DISTINCT t.org_unit_id)::int AS units
      FROM timed t JOIN scope s ON s.org_unit_id = t.org_unit_id
     ${ind.aggregation_org === 'last' ? 'WHERE s.depth = 0' : ''}
     GROUP BY t.req_period, s.target_id`;
  const params = [
    units.map((u) => u.id), ind.id,
    answerable.map((p) => p.code), answerable.map((p) => p.start), answerable.map((p) => p.end),
    ind.frequency, disagg,
  ];
  if (deriveTotal) params.push(`${ind.first_category}=%`);
  if (stage) params.push(statusesAtStage(stage));
  const res = await db.query<Aggregated & { req_period: string; target_id: number }>(sql, params);
  for (const r of res.rows) out.set(cellKey(ind.id, r.req_period, r.target_id), r);
  return out;
}
