/**
 * Scorecards against targets: the progress status of each indicator at each org unit as of a period,
 * and the pillar × province (or district) grid that counts those statuses.
 *
 * Values come from queryAnalytics, so a district-level indicator is judged at a province on the province
 * aggregate. Targets are never inherited: a national target is judged at the country only, and a
 * province without its own target shows no_target. The indicator's baseline is national, so it applies
 * at the country only; elsewhere assessProgress takes the unit's earliest value as its baseline.
 */
import type { Queryable } from '../db/database.ts';
import type { Phase, Polarity, ReportingLevel, UnitType } from '../domain/framework.ts';
import { parsePeriod, periodContaining, periodRange, shiftPeriod, type Period, type PeriodType } from '../domain/period.ts';
import {
  assessProgress,
  PROGRESS_STATUSES,
  type PeriodValue,
  type ProgressStatus,
} from '../domain/progress.ts';
import { InputError, type RowError } from '../domain/row-error.ts';
import type { ReadStage } from '../domain/workflow.ts';
import { loadIndicatorInfo, resolveOrgUnits, seriesEnds } from './analytics-query.ts';

/**
 * The last period of each NPVE phase, for end-of-phase targets. The policy was approved in December 2024
 * and its phases run from six months to five years: short term to the end of FY 2025-26, medium term to
 * the end of FY 2027-28, long term to the end of FY 2029-30.
 */
export const PHASE_END: Record<Phase, string> = { short: '2025July', medium: '2027July', long: '2029July' };

/** Periods of history looked at before the assessment period when the baseline is more recent. */
const HISTORY_PERIODS = 8;
/** The longest value series fetched per indicator. */
const MAX_PERIODS = 20;

export interface IndicatorScorecardRequest {
  indicators?: string[];
  framework?: string;
  pillar?: string;
  /** Selectors as queryAnalytics accepts: codes, children:CODE, level:province[:CODE]. */
  orgUnits: string[];
  /** Period code the assessment is made as of, e.g. 2026Q3. */
  assessedAt: string;
  staleAfter?: number;
  /** Judge only values whose submission has reached this workflow stage. */
  stage?: ReadStage;
}

export interface ScorecardTarget {
  value: number;
  period: string | null;
  phase: Phase | null;
}

export interface IndicatorScorecardRow {
  indicator: string;
  nameEn: string;
  nameUr: string;
  pillar: string;
  objective: string;
  orgUnit: string;
  status: ProgressStatus;
  ratio: number | null;
  latest: PeriodValue | null;
  target: ScorecardTarget | null;
  baseline: PeriodValue | null;
  message: string;
  symbol: string;
}

interface IndicatorRow {
  id: number;
  code: string;
  name_en: string;
  name_ur: string;
  unit_type: UnitType;
  polarity: Polarity;
  frequency: PeriodType;
  lowest_level: ReportingLevel;
  baseline_value: number | null;
  baseline_period: string | null;
  pillar: string;
  objective: string;
}

interface TargetRow {
  indicator_id: number;
  org_unit: string;
  period: string | null;
  phase: Phase | null;
  value: number;
}

const SYMBOLS = new Map(PROGRESS_STATUSES.map((s) => [s.status, s.symbol]));

function unknown(field: string, code: string, what: string): RowError {
  return { row: 0, field, code: `unknown_${field}`, message: `unknown ${what} "${code}"` };
}

async function loadIndicators(db: Queryable, req: Pick<IndicatorScorecardRequest, 'indicators' | 'framework' | 'pillar'>): Promise<IndicatorRow[]> {
  const errors: RowError[] = [];
  if (req.framework !== undefined) {
    const found = await db.query('SELECT 1 FROM framework WHERE code = $1', [req.framework]);
    if (found.rows.length === 0) throw new InputError([unknown('framework', req.framework, 'framework')]);
  }
  const rows = (await db.query<IndicatorRow>(
    `SELECT i.id, i.code, i.name_en, i.name_ur, i.unit_type, i.polarity, i.frequency, i.lowest_level,
            i.baseline_value, i.baseline_period, p.code AS pillar, o.code AS objective
       FROM indicator i JOIN objective o ON o.id = i.objective_id JOIN pillar p ON p.id = o.pillar_id
       JOIN framework f ON f.id = p.framework_id
      WHERE ($1::text IS NULL OR f.code = $1) AND ($2::text IS NULL OR p.code = $2)
        AND ($3::text[] IS NULL OR i.code = ANY($3::text[]))
      ORDER BY f.code, p.sort, p.id, o.sort, o.id, i.sort, i.id`,
    [req.framework ?? null, req.pillar ?? null, req.indicators ?? null])).rows;
  if (req.pillar !== undefined && !rows.some((r) => r.pillar === req.pillar)) {
    const where = req.framework ? `pillar in framework ${req.framework}` : 'pillar';
    const exists = await db.query(
      `SELECT 1 FROM pillar p JOIN framework f ON f.id = p.framework_id WHERE p.code = $1 AND ($2::text IS NULL OR f.code = $2)`,
      [req.pillar, req.framework ?? null]);
    if (exists.rows.length === 0) errors.push(unknown('pillar', req.pillar, where));
  }
  for (const code of req.indicators ?? []) {
    if (!rows.some((r) => r.code === code)) {
      errors.push(unknown('indicator', code, req.framework || req.pillar ? 'indicator in the framework and pillar asked for' : 'indicator'));
    }
  }
  if (errors.length) throw new InputError(errors);
  return rows;
}

/** Own-frequency periods from the baseline (or HISTORY_PERIODS back, whichever is earlier) to the one containing assessedAt's end. */
function seriesPeriods(ind: IndicatorRow, assessed: Period): Period[] {
  const last = periodContaining(ind.frequency, assessed.end);
  let first = shiftPeriod(last, -HISTORY_PERIODS);
  if (ind.baseline_period) {
    const base = periodContaining(ind.frequency, parsePeriod(ind.baseline_period).start);
    if (base.startMonth < first.startMonth) first = base;
  }
  const earliest = shiftPeriod(last, -(MAX_PERIODS - 1));
  if (first.startMonth < earliest.startMonth) first = earliest;
  return periodRange(first, last);
}

/** Among dated targets, the nearest one ending at or after the assessment period, else the latest. */
function nearest<T>(items: T[], end: (t: T) => string, assessed: Period): T | null {
  const sorted = [...items].sort((a, b) => end(a).localeCompare(end(b)));
  return sorted.find((t) => end(t) >= assessed.end) ?? sorted[sorted.length - 1] ?? null;
}

function chooseTarget(targets: TargetRow[], assessed: Period): TargetRow | null {
  const dated = targets.filter((t) => t.period !== null);
  const byPeriod = nearest(dated, (t) => parsePeriod(t.period!).end, assessed);
  if (byPeriod) return byPeriod;
  return nearest(targets.filter((t) => t.phase !== null), (t) => parsePeriod(PHASE_END[t.phase!]).end, assessed);
}

async function assessIndicators(
  db: Queryable,
  indicators: IndicatorRow[],
  units: { code: string; level: string }[],
  assessedAt: string,
  staleAfter: number | undefined,
  stage: ReadStage | undefined,
): Promise<IndicatorScorecardRow[]> {
  const assessed = parsePeriod(assessedAt);
  if (indicators.length === 0 || units.length === 0) return [];
  const targets = (await db.query<TargetRow>(
    `SELECT t.indicator_id, o.code AS org_unit, t.period, t.phase, t.value
       FROM target t JOIN org_unit o ON o.id = t.org_unit_id
      WHERE t.indicator_id = ANY($1::int[]) AND o.code = ANY($2::text[])`,
    [indicators.map((i) => i.id), units.map((u) => u.code)])).rows;
  const infos = new Map((await loadIndicatorInfo(db, indicators.map((i) => i.code))).map((i) => [i.id, i]));
  const unitIds = await resolveOrgUnits(db, units.map((u) => u.code));
  const idOf = new Map(unitIds.map((u) => [u.code, u.id]));
  const seriesOf = new Map(indicators.map((ind) => [ind.id, seriesPeriods(ind, assessed)]));
  const ends = await seriesEnds(
    db, indicators.map((ind) => ({ indicator: infos.get(ind.id)!, periods: seriesOf.get(ind.id)! })), unitIds, stage);
  const targetsOf = new Map<string, TargetRow[]>();
  for (const t of targets) {
    const key = `${t.indicator_id}|${t.org_unit}`;
    targetsOf.set(key, [...(targetsOf.get(key) ?? []), t]);
  }
  const rows: IndicatorScorecardRow[] = [];
  for (const ind of indicators) {
    const nationalBaseline = ind.baseline_value !== null && ind.baseline_period
      ? { period: ind.baseline_period, value: ind.baseline_value }
      : null;
    for (const unit of units) {
      const end = ends.get(`${ind.id}|${idOf.get(unit.code)!}`);
      const values: PeriodValue[] = end ? [end.earliest, end.latest] : [];
      const target = chooseTarget(targetsOf.get(`${ind.id}|${unit.code}`) ?? [], assessed);
      const baseline = unit.level === 'country' ? nationalBaseline : null;
      const progress = assessProgress({
        unitType: ind.unit_type,
        polarity: ind.polarity,
        frequency: ind.frequency,
        baseline,
        target: target ? { value: target.value, period: target.period } : null,
        phaseEnd: target?.phase ? PHASE_END[target.phase] : null,
        values,
        assessedAt: assessed.code,
        staleAfter,
      });
      rows.push({
        indicator: ind.code,
        nameEn: ind.name_en,
        nameUr: ind.name_ur,
        pillar: ind.pillar,
        objective: ind.objective,
        orgUnit: unit.code,
        status: progress.status,
        ratio: progress.ratio,
        latest: progress.latest,
        target: target ? { value: target.value, period: target.period, phase: target.phase } : null,
        baseline,
        get message() {
          return progress.message;
        },
        symbol: SYMBOLS.get(progress.status) ?? '',
      });
    }
  }
  return rows;
}

interface UnitRow {
  code: string;
  name_en: string;
  name_ur: string;
  level: string;
}

async function unitDetails(db: Queryable, codes: string[]): Promise<UnitRow[]> {
  const rows = (await db.query<UnitRow>('SELECT code, name_en, name_ur, level FROM org_unit WHERE code = ANY($1::text[])', [codes])).rows;
  return codes.map((c) => rows.find((r) => r.code === c)!);
}

/** The status of each indicator (of a framework, pillar or list) at each org unit, as of assessedAt. */
export async function indicatorScorecard(db: Queryable, req: IndicatorScorecardRequest): Promise<IndicatorScorecardRow[]> {
  parsePeriod(req.assessedAt);
  const indicators = await loadIndicators(db, req);
  const units = await unitDetails(db, (await resolveOrgUnits(db, req.orgUnits)).map((u) => u.code));
  return assessIndicators(db, indicators, units, req.assessedAt, req.staleAfter, req.stage);
}

export interface GridRequest {
  framework: string;
  assessedAt: string;
  level?: 'province' | 'district';
  /** The parent whose provinces or districts form the columns; PK by default. */
  orgUnit?: string;
  staleAfter?: number;
  stage?: ReadStage;
}

export interface GridCell {
  pillar: string;
  orgUnit: string;
  indicators: number;
  byStatus: Record<ProgressStatus, number>;
  /** on_track + achieved over the indicators with a target and current data; null when there are none. */
  onTrackShare: number | null;
  noData: number;
  stale: number;
}

export interface PillarGrid {
  framework: string;
  assessedAt: string;
  pillars: { code: string; nameEn: string; nameUr: string }[];
  orgUnits: { code: string; nameEn: string; nameUr: string }[];
  cells: GridCell[];
}

/** Statuses that say nothing about progress: they leave an indicator out of onTrackShare. */
const UNASSESSED: ReadonlySet<ProgressStatus> = new Set(['no_data', 'stale', 'no_target']);

/** Indicators reported at or below a level; federal ones have no province or district value. */
const LEVELS_FOR: Record<'province' | 'district', ReportingLevel[]> = { province: ['province', 'district'], district: ['district'] };

/**
 * Pillar × province grid (or pillar × district under one province): per cell, how many of the pillar's
 * indicators are in each status. Units retired before the assessment period, or created after it, are left out.
 */
export async function pillarProvinceScorecard(db: Queryable, req: GridRequest): Promise<PillarGrid> {
  const assessed = parsePeriod(req.assessedAt);
  const level = req.level ?? 'province';
  const parent = req.orgUnit ?? 'PK';
  const indicators = (await loadIndicators(db, { framework: req.framework }))
    .filter((i) => LEVELS_FOR[level].includes(i.lowest_level));
  const pillars = (await db.query<{ code: string; nameEn: string; nameUr: string }>(
    `SELECT p.code, p.name_en AS "nameEn", p.name_ur AS "nameUr" FROM pillar p JOIN framework f ON f.id = p.framework_id
      WHERE f.code = $1 ORDER BY p.sort, p.id`, [req.framework])).rows;
  await resolveOrgUnits(db, [parent]);
  const units = (await db.query<UnitRow>(
    `SELECT o.code, o.name_en, o.name_ur, o.level FROM org_unit o
       JOIN org_unit_closure c ON c.descendant_id = o.id JOIN org_unit p ON p.id = c.ancestor_id
      WHERE p.code = $1 AND o.level = $2
        AND (o.valid_to IS NULL OR o.valid_to > $3::date) AND (o.valid_from IS NULL OR o.valid_from <= $4::date)
      ORDER BY o.id`, [parent, level, assessed.start, assessed.end])).rows;
  const rows = await assessIndicators(db, indicators, units, assessed.code, req.staleAfter, req.stage);
  const cells: GridCell[] = [];
  for (const pillar of pillars) {
    for (const unit of units) {
      const byStatus = Object.fromEntries(PROGRESS_STATUSES.map((s) => [s.status, 0])) as Record<ProgressStatus, number>;
      const inCell = rows.filter((r) => r.pillar === pillar.code && r.orgUnit === unit.code);
      for (const r of inCell) byStatus[r.status] += 1;
      const assessedCount = inCell.filter((r) => !UNASSESSED.has(r.status)).length;
      cells.push({
        pillar: pillar.code,
        orgUnit: unit.code,
        indicators: inCell.length,
        byStatus,
        onTrackShare: assessedCount ? (byStatus.on_track + byStatus.achieved) / assessedCount : null,
        noData: byStatus.no_data,
        stale: byStatus.stale,
      });
    }
  }
  return {
    framework: req.framework,
    assessedAt: assessed.code,
    pillars,
    orgUnits: units.map((u) => ({ code: u.code, nameEn: u.name_en, nameUr: u.name_ur })),
    cells,
  };
}
