/**
 * Completeness and timeliness of reporting: who reported what was expected of them, and in time.
 *
 * - An expected report is (indicator, org unit, period): every indicator, every org unit at the
 *   indicator's reporting level (reportingUnitLevel of its lowest level) that existed on at least one day
 *   of the period, every period of the indicator's frequency lying inside [from.start, to.end].
 *   Only periods that have ended by `asOf` count: a current or future period is not yet due.
 * - A report is received when at least one data value exists for it (any disaggregation).
 * - It is on time when the first time any of its values was stored (the earliest of data_value.stored_at
 *   and data_value_history.old_stored_at) is on or before period end + deadlineDays (default 30),
 *   the deadline day counted to its end in Pakistan time.
 * - The institution responsible for an expected report is, among the indicator's institutions in their
 *   listed order, the first whose org unit is the reporting org unit or one of its ancestors; when none
 *   is, the first listed.
 * - reportingRate = received / expected; timelinessRate = onTime / expected (as DHIS2's "reporting rate
 *   on time" and the WHO data quality review count it), both fractions 0–1, null when nothing is expected.
 */
import type { Queryable } from '../db/database.ts';
import { reportingUnitLevel } from '../domain/org-unit.ts';
import {
  comparePeriods,
  parsePeriod,
  PERIOD_TYPES,
  PeriodError,
  periodContaining,
  shiftPeriod,
  type Period,
} from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';
import { responsibleInstitution } from './responsible-institution.ts';

export const DEFAULT_DEADLINE_DAYS = 30;

/** Pakistan Standard Time, UTC+5 all year: a deadline day and a period end at midnight there. */
const PAKISTAN_UTC_OFFSET_HOURS = 5;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CompletenessOptions {
  /** First period code of the range (any type); the range starts on its first day. */
  from: string;
  /** Last period code of the range (any type); the range ends on its last day. */
  to: string;
  /** Org unit code: only reports of this unit and the units under it. */
  orgUnit?: string;
  /** Framework code: only its indicators. */
  framework?: string;
  deadlineDays?: number;
  /** Reports count once their period has ended by this moment; now when absent. */
  asOf?: Date;
}

export interface HeatmapOptions extends CompletenessOptions {
  level: 'province' | 'district';
}

export interface CompletenessCounts {
  expected: number;
  received: number;
  onTime: number;
}

export interface CompletenessRates {
  reportingRate: number | null;
  timelinessRate: number | null;
}

export interface InstitutionCompleteness extends CompletenessCounts, CompletenessRates {
  code: string;
  nameEn: string;
  nameUr: string;
}

export interface OrgUnitCompleteness extends CompletenessCounts {
  code: string;
  nameEn: string;
  nameUr: string;
  level: 'province' | 'district';
}

export interface PeriodCompleteness extends CompletenessCounts {
  period: string;
}

export interface CompletenessReport {
  from: string;
  to: string;
  deadlineDays: number;
  asOf: string;
  /** The league table: highest reporting rate first. */
  institutions: InstitutionCompleteness[];
  /** Provinces and districts, each counting its own reports and those of every unit under it. */
  orgUnits: OrgUnitCompleteness[];
  periods: PeriodCompleteness[];
  totals: CompletenessCounts & CompletenessRates;
}

export interface HeatmapCell extends CompletenessCounts {
  orgUnit: string;
  /** The quarter in which the counted reports' periods end. */
  period: string;
}

/** One expected-report period, with its deadline instant and the quarter it ends in. */
interface DuePeriod {
  period: Period;
  deadline: Date;
  quarter: string;
}

/** Midnight in Pakistan at the start of the given number of days after an ISO date. */
function pakistanMidnightAfter(isoDate: string, days: number): Date {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS - PAKISTAN_UTC_OFFSET_HOURS * 60 * 60 * 1000);
}

function parseRange(from: string, to: string): { first: Period; last: Period } {
  const first = parsePeriod(from);
  const last = parsePeriod(to);
  if (last.end < first.start) throw new PeriodError(to, `the range ends before ${first.code} starts`);
  return { first, last };
}

function deadlineDaysOption(days: number | undefined): number {
  const d = days ?? DEFAULT_DEADLINE_DAYS;
  if (!Number.isInteger(d) || d < 0) {
    throw new InputError([{ row: 0, field: 'deadlineDays', code: 'invalid_deadline', message: `deadlineDays must be a whole number of days, 0 or more, not ${d}` }]);
  }
  return d;
}

/** Every period of every type lying inside [first.start, last.end] that has ended by asOf. */
function duePeriods(first: Period, last: Period, deadlineDays: number, asOf: Date): DuePeriod[] {
  const out: DuePeriod[] = [];
  for (const type of PERIOD_TYPES) {
    for (let p = periodContaining(type, first.start); p.end <= last.end; p = shiftPeriod(p, 1)) {
      if (p.start < first.start || pakistanMidnightAfter(p.end, 1) > asOf) continue;
      out.push({ period: p, deadline: pakistanMidnightAfter(p.end, deadlineDays + 1), quarter: periodContaining('quarterly', p.end).code });
    }
  }
  return out;
}

async function orgUnitId(db: Queryable, code: string | undefined): Promise<number | null> {
  if (code === undefined) return null;
  const { rows } = await db.query<{ id: number }>('SELECT id FROM org_unit WHERE code = $1', [code]);
  if (!rows[0]) throw new InputError([{ row: 0, field: 'orgUnit', code: 'unknown_org_unit', message: `unknown org unit "${code}"` }]);
  return rows[0].id;
}

async function checkFramework(db: Queryable, code: string | undefined): Promise<void> {
  if (code === undefined) return;
  const { rows } = await db.query('SELECT 1 FROM framework WHERE code = $1', [code]);
  if (!rows[0]) throw new InputError([{ row: 0, field: 'framework', code: 'unknown_framework', message: `unknown framework "${code}"` }]);
}

const LOWEST_LEVELS = ['federal', 'province', 'district'] as const;

/**
 * The CTEs every completeness query starts from: `scope` (org units in the requested subtree) and
 * `report` (one row per expected report: indicator_id, org_unit_id, period, quarter, received, on_time).
 * Parameters $1–$10 are those of reportParams.
 */
const REPORT_CTES = `
  due AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::timestamptz[], $6::text[])
           AS d(code, type, start_date, end_date, deadline, quarter)
  ),
  reporting_level AS (
    SELECT * FROM unnest($7::text[], $8::text[]) AS r(lowest_level, unit_level)
  ),
  scope AS (
    SELECT u.* FROM org_unit u
     WHERE $9::int IS NULL OR u.id IN (SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = $9::int)
  ),
  scoped_indicator AS (
    SELECT i.id, i.frequency, r.unit_level
      FROM indicator i
      JOIN reporting_level r ON r.lowest_level = i.lowest_level
      JOIN objective o ON o.id = i.objective_id
      JOIN pillar pl ON pl.id = o.pillar_id
      JOIN framework f ON f.id = pl.framework_id
     WHERE $10::text IS NULL OR f.code = $10::text
  ),
  expected AS (
    SELECT i.id AS indicator_id, u.id AS org_unit_id, d.code AS period, p.id AS period_id, d.deadline, d.quarter
      FROM scoped_indicator i
      JOIN due d ON d.type = i.frequency
      LEFT JOIN period p ON p.code = d.code
      JOIN scope u ON u.level = i.unit_level
                  AND (u.valid_from IS NULL OR u.valid_from <= d.end_date)
                  AND (u.valid_to IS NULL OR u.valid_to > d.start_date)
  ),
  -- Index probes per expected report (data_value and its history are keyed by indicator, unit, period):
  -- joining aggregated CTEs instead let the planner pick nested loops over tens of thousands of rows.
  report AS (
    SELECT e.indicator_id, e.org_unit_id, e.period, e.quarter,
           s.first_at IS NOT NULL AS received,
           (s.first_at IS NOT NULL AND least(s.first_at, b.first_at) < e.deadline) AS on_time
      FROM expected e
      LEFT JOIN LATERAL (
        SELECT min(v.stored_at) AS first_at FROM data_value v
         WHERE v.indicator_id = e.indicator_id AND v.org_unit_id = e.org_unit_id AND v.period_id = e.period_id
      ) s ON true
      LEFT JOIN LATERAL (
        SELECT min(h.old_stored_at) AS first_at FROM data_value_history h
         WHERE h.indicator_id = e.indicator_id AND h.org_unit_id = e.org_unit_id AND h.period_id = e.period_id
      ) b ON true
  )`;

function reportParams(due: DuePeriod[], scopeId: number | null, framework: string | undefined): unknown[] {
  return [
    due.map((d) => d.period.code),
    due.map((d) => d.period.type),
    due.map((d) => d.period.start),
    due.map((d) => d.period.end),
    due.map((d) => d.deadline.toISOString()),
    due.map((d) => d.quarter),
    [...LOWEST_LEVELS],
    LOWEST_LEVELS.map((l) => reportingUnitLevel(l)),
    scopeId,
    framework ?? null,
  ];
}

const COUNTS = `count(*)::int AS expected, count(*) FILTER (WHERE received)::int AS received, count(*) FILTER (WHERE on_time)::int AS on_time`;

interface AggregateRow {
  dimension: 'institution' | 'org_unit' | 'period' | 'total';
  code: string | null;
  name_en: string | null;
  name_ur: string | null;
  level: 'province' | 'district' | null;
  expected: number;
  received: number;
  on_time: number;
}

function rates(c: CompletenessCounts): CompletenessRates {
  return c.expected === 0
    ? { reportingRate: null, timelinessRate: null }
    : { reportingRate: c.received / c.expected, timelinessRate: c.onTime / c.expected };
}

const counts = (r: AggregateRow): CompletenessCounts => ({ expected: r.expected, received: r.received, onTime: r.on_time });

export async function completeness(db: Queryable, opts: CompletenessOptions): Promise<CompletenessReport> {
  const { first, last } = parseRange(opts.from, opts.to);
  const deadlineDays = deadlineDaysOption(opts.deadlineDays);
  const asOf = opts.asOf ?? new Date();
  const scopeId = await orgUnitId(db, opts.orgUnit);
  await checkFramework(db, opts.framework);
  const due = duePeriods(first, last, deadlineDays, asOf);

  const { rows } = await db.query<AggregateRow>(
    `WITH ${REPORT_CTES},
     responsible AS (
       SELECT r.*, x.institution_id
         FROM report r
         LEFT JOIN LATERAL ${responsibleInstitution('r')} x ON true
     )
     SELECT 'institution' AS dimension, inst.code, inst.name_en, inst.name_ur, NULL AS level, ${COUNTS}
       FROM responsible r
       JOIN institution inst ON inst.id = r.institution_id
      GROUP BY inst.code, inst.name_en, inst.name_ur
     UNION ALL
     SELECT 'org_unit', a.code, a.name_en, a.name_ur, a.level, ${COUNTS}
       FROM report r
       JOIN org_unit_closure c ON c.descendant_id = r.org_unit_id
       JOIN scope a ON a.id = c.ancestor_id AND a.level IN ('province', 'district')
      GROUP BY a.code, a.name_en, a.name_ur, a.level
     UNION ALL
     SELECT 'period', r.period, NULL, NULL, NULL, ${COUNTS} FROM report r GROUP BY r.period
     UNION ALL
     SELECT 'total', NULL, NULL, NULL, NULL, ${COUNTS} FROM report`,
    reportParams(due, scopeId, opts.framework),
  );

  const of = (d: AggregateRow['dimension']) => rows.filter((r) => r.dimension === d);
  const institutions = of('institution')
    .map((r) => ({ code: r.code!, nameEn: r.name_en!, nameUr: r.name_ur!, ...counts(r), ...rates(counts(r)) }))
    .sort((a, b) => (b.reportingRate ?? 0) - (a.reportingRate ?? 0) || (b.timelinessRate ?? 0) - (a.timelinessRate ?? 0) || a.code.localeCompare(b.code));
  const levelOrder = { province: 0, district: 1 };
  const orgUnits = of('org_unit')
    .map((r) => ({ code: r.code!, nameEn: r.name_en!, nameUr: r.name_ur!, level: r.level!, ...counts(r) }))
    .sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || a.code.localeCompare(b.code));
  const periods = of('period')
    .map((r) => ({ period: r.code!, ...counts(r) }))
    .sort((a, b) => comparePeriods(parsePeriod(a.period), parsePeriod(b.period)));
  const total = of('total')[0];
  const totals = total ? counts(total) : { expected: 0, received: 0, onTime: 0 };

  return {
    from: first.code,
    to: last.code,
    deadlineDays,
    asOf: asOf.toISOString(),
    institutions,
    orgUnits,
    periods,
    totals: { ...totals, ...rates(totals) },
  };
}

/**
 * Org unit × quarter grid at one level: each cell counts the expected reports, of any frequency, of the
 * unit and the units under it whose period ends in that quarter. Every unit at the level that existed
 * during the range gets a cell for every quarter of the range, with zeros where nothing was due.
 */
export async function completenessHeatmap(db: Queryable, opts: HeatmapOptions): Promise<HeatmapCell[]> {
  const { first, last } = parseRange(opts.from, opts.to);
  const deadlineDays = deadlineDaysOption(opts.deadlineDays);
  const scopeId = await orgUnitId(db, opts.orgUnit);
  await checkFramework(db, opts.framework);
  const due = duePeriods(first, last, deadlineDays, opts.asOf ?? new Date());
  const quarters: string[] = [];
  for (let q = periodContaining('quarterly', first.start); q.start <= last.end; q = shiftPeriod(q, 1)) quarters.push(q.code);

  const { rows } = await db.query<{ org_unit: string; period: string; expected: number; received: number; on_time: number }>(
    `WITH ${REPORT_CTES},
     cell AS (
       SELECT c.ancestor_id AS org_unit_id, r.quarter, ${COUNTS}
         FROM report r
         JOIN org_unit_closure c ON c.descendant_id = r.org_unit_id
         JOIN scope a ON a.id = c.ancestor_id AND a.level = $12::text
        GROUP BY c.ancestor_id, r.quarter
     )
     SELECT u.code AS org_unit, q.code AS period,
            coalesce(cell.expected, 0) AS expected, coalesce(cell.received, 0) AS received, coalesce(cell.on_time, 0) AS on_time
       FROM scope u
      CROSS JOIN unnest($11::text[]) WITH ORDINALITY AS q(code, n)
       LEFT JOIN cell ON cell.org_unit_id = u.id AND cell.quarter = q.code
      WHERE u.level = $12::text
        AND (u.valid_from IS NULL OR u.valid_from <= $14::date)
        AND (u.valid_to IS NULL OR u.valid_to > $13::date)
      ORDER BY u.code, q.n`,
    [...reportParams(due, scopeId, opts.framework), quarters, opts.level, first.start, last.end],
  );
  return rows.map((r) => ({ orgUnit: r.org_unit, period: r.period, expected: r.expected, received: r.received, onTime: r.on_time }));
}
