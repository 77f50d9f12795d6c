/**
 * The figures of a quarterly review pack for the Apex Committee (national) or a province: what moved and what
 * stalled, the pillar scorecard, the KPIs off track or stale with their owners, reporting completeness and
 * evidence coverage by institution, trends of the key KPIs against their targets, and an annex with every KPI. Every figure is
 * an analytics answer (queryAnalytics, the scorecards, completeness, evidence coverage) read through the publication scope,
 * and each value says which period it answers, so it can be checked against GET /api/analytics.
 */
import type { Queryable } from '../db/database.ts';
import type { CompletenessReport } from '../analytics/completeness.ts';
import type { IndicatorScorecardRow, PillarGrid } from '../analytics/scorecard.ts';
import type { SuppressionReason } from '../domain/disclosure-control.ts';
import { monthsOfType, parsePeriod, periodContaining, shiftPeriod, type Period } from '../domain/period.ts';
import type { ProgressStatus } from '../domain/progress.ts';
import {
  analyticsInScope,
  completenessInScope,
  hasSyntheticValues,
  indicatorScorecardInScope,
  indicatorsInScope,
  pillarGridInScope,
  type PublicationScope,
  type ScopedIndicator,
} from '../publish/publication-scope.ts';
import { publishedUnits, publishedValues } from '../publish/published-values.ts';
import { InputError } from '../domain/row-error.ts';
import { evidenceCoverage, type CoverageRow } from '../evidence/evidence-coverage.ts';

/** The framework a review pack reviews. */
export const PACK_FRAMEWORK = 'NPVE-2024';
/** Key KPIs charted per pillar: those with a target at the pack's org unit, in framework order. */
const KEY_KPIS_PER_PILLAR = 2;
/** The largest moves the executive summary names: it fits the first page. */
const MOVED_SHOWN = 4;
/** Own periods of history in a trend chart. */
const TREND_PERIODS = 8;

export interface PackValue {
  /** The period the value answers: the quarter itself, or the indicator's own period containing its end. */
  period: string;
  value: number | null;
  suppressed: SuppressionReason | null;
}

export interface PackKpi {
  code: string;
  nameEn: string;
  nameUr: string;
  pillar: string;
  unitType: ScopedIndicator['unitType'];
  polarity: ScopedIndicator['polarity'];
  status: ProgressStatus;
  symbol: string;
  current: PackValue;
  previous: PackValue;
  target: { value: number; period: string | null; phase: string | null } | null;
  owner: { code: string; nameEn: string; nameUr: string } | null;
}

export interface PackTrend {
  code: string;
  nameEn: string;
  nameUr: string;
  unitType: ScopedIndicator['unitType'];
  values: PackValue[];
  target: PackKpi['target'];
}

export interface ReviewPackData {
  period: string;
  orgUnit: { code: string; nameEn: string; nameUr: string; level: string };
  scope: PublicationScope;
  generatedAt: string;
  synthetic: boolean;
  /** False when no value of the framework is stored (at the scope's stage) for the quarter at the org unit. */
  hasData: boolean;
  pillars: { code: string; nameEn: string; nameUr: string }[];
  grid: PillarGrid;
  statusCounts: Record<ProgressStatus, number>;
  /** Moved the right way since the previous period, the largest relative change first. */
  moved: PackKpi[];
  /** Off track (moving away, limited progress, acceleration needed, not achieved) or stale. */
  stalled: PackKpi[];
  completeness: CompletenessReport;
  /** The paperwork index: of the quarter's values at the pack's stage, the share carrying evidence, by institution. */
  evidence: CoverageRow[];
  trends: PackTrend[];
  annex: PackKpi[];
}

const STALLED: ReadonlySet<ProgressStatus> = new Set(['moving_away', 'limited_progress', 'acceleration_needed', 'not_achieved', 'stale']);

/**
 * The period an indicator's value for a quarter answers: the quarter, or the indicator's own longer period ending
 * in or after it. Released figures keep to the indicator's own periods (a monthly one shows the quarter's last
 * month), as open data does: a quarter's sum published beside its months would let a reader solve for a hidden month.
 */
function packPeriodFor(frequency: ScopedIndicator['frequency'], quarter: Period, ownPeriodsOnly: boolean): Period {
  return monthsOfType(frequency) <= 3 && !ownPeriodsOnly ? quarter : periodContaining(frequency, quarter.end);
}

function ownerFor(ind: ScopedIndicator, unit: string): PackKpi['owner'] {
  const covers = (i: ScopedIndicator['institutions'][number]) => i.orgUnit === unit;
  const above = (i: ScopedIndicator['institutions'][number]) => unit.startsWith(`${i.orgUnit}-`);
  const lead = ind.institutions.find(covers) ?? ind.institutions.find(above) ?? ind.institutions[0];
  return lead ? { code: lead.code, nameEn: lead.nameEn, nameUr: lead.nameUr } : null;
}

/** Values of each indicator at the unit for the periods asked: exact for the committee, protected for release. */
async function valuesAt(
  db: Queryable,
  scope: PublicationScope,
  unit: string,
  wanted: { indicator: ScopedIndicator; periods: Period[] }[],
): Promise<Map<string, PackValue>> {
  const out = new Map<string, PackValue>();
  if (scope.disclosure) {
    const units = await publishedUnits(db);
    for (const w of wanted) {
      const [table] = await publishedValues(db, scope, [w.indicator], units, { periods: w.periods.map((p) => p.code) });
      for (const v of table!.values) {
        if (v.orgUnit === unit && v.disaggregation === '') out.set(`${w.indicator.code}|${v.period}`, { period: v.period, value: v.value, suppressed: v.suppressed });
      }
    }
  } else {
    for (const w of wanted) {
      for (const c of await analyticsInScope(db, scope, { indicators: [w.indicator.code], orgUnits: [unit], periods: w.periods })) {
        out.set(`${c.indicator}|${c.period}`, { period: c.period, value: c.value, suppressed: null });
      }
    }
  }
  return out;
}

export async function reviewPackData(
  db: Queryable,
  scope: PublicationScope,
  req: { period: string; orgUnit?: string; generatedAt?: Date },
): Promise<ReviewPackData> {
  const quarter = parsePeriod(req.period);
  if (quarter.type !== 'quarterly') {
    throw new InputError([{ row: 0, field: 'period', code: 'not_a_quarter', message: `a review pack is quarterly: give a quarter such as 2025Q4, not "${req.period}"` }]);
  }
  const unitCode = req.orgUnit ?? 'PK';
  const unit = (await db.query<ReviewPackData['orgUnit']>(
    `SELECT code, name_en AS "nameEn", name_ur AS "nameUr", level FROM org_unit WHERE code = $1`, [unitCode])).rows[0];
  if (!unit || !['country', 'province'].includes(unit.level)) {
    throw new InputError([{ row: 0, field: 'orgUnit', code: 'not_country_or_province', message: `a review pack is for the country (PK) or a province, not "${unitCode}"` }]);
  }
  const national = unit.level === 'country';
  const indicators = (await indicatorsInScope(db, scope, { framework: PACK_FRAMEWORK }))
    .filter((i) => national || i.lowestLevel !== 'federal');
  // Targets are set nationally and per province, so a provincial pack shows its province among the others.
  const grid = await pillarGridInScope(db, scope, { framework: PACK_FRAMEWORK, assessedAt: quarter.code, level: 'province', orgUnit: 'PK' });
  const statusRows = indicators.length
    ? await indicatorScorecardInScope(db, scope, { indicators: indicators.map((i) => i.code), orgUnits: [unit.code], assessedAt: quarter.code })
    : [];
  const statusOf = new Map<string, IndicatorScorecardRow>(statusRows.map((r) => [r.indicator, r]));

  const own = new Map(indicators.map((i) => [i.code, packPeriodFor(i.frequency, quarter, scope.disclosure !== null)]));
  const trendIndicators = grid.pillars.flatMap((p) => indicators
    .filter((i) => i.pillar === p.code && statusOf.get(i.code)?.target)
    .slice(0, KEY_KPIS_PER_PILLAR));
  const trendPeriods = (i: ScopedIndicator) => {
    const last = own.get(i.code)!;
    return Array.from({ length: TREND_PERIODS }, (_, k) => shiftPeriod(last, k - TREND_PERIODS + 1));
  };
  const values = await valuesAt(db, scope, unit.code, indicators.map((i) => {
    const current = own.get(i.code)!;
    const periods = trendIndicators.includes(i) ? trendPeriods(i) : [shiftPeriod(current, -1), current];
    return { indicator: i, periods };
  }));
  const valueOf = (code: string, p: Period): PackValue => values.get(`${code}|${p.code}`) ?? { period: p.code, value: null, suppressed: null };

  const annex: PackKpi[] = indicators.map((i) => {
    const s = statusOf.get(i.code);
    const current = own.get(i.code)!;
    return {
      code: i.code, nameEn: i.nameEn, nameUr: i.nameUr, pillar: i.pillar, unitType: i.unitType, polarity: i.polarity,
      status: s?.status ?? 'no_data', symbol: s?.symbol ?? '',
      current: valueOf(i.code, current), previous: valueOf(i.code, shiftPeriod(current, -1)),
      target: s?.target ? { value: s.target.value, period: s.target.period, phase: s.target.phase } : null,
      owner: ownerFor(i, unit.code),
    };
  });
  const change = (k: PackKpi) => {
    const [a, b] = [k.previous.value, k.current.value];
    if (a === null || b === null || a === 0 || a === b) return 0;
    return ((b - a) / Math.abs(a)) * (k.polarity === 'higher' ? 1 : -1);
  };
  const statusCounts = Object.fromEntries([...new Set(statusRows.map((r) => r.status))].map((s) => [s, 0])) as Record<ProgressStatus, number>;
  for (const r of statusRows) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;

  return {
    period: quarter.code,
    orgUnit: unit,
    scope,
    generatedAt: (req.generatedAt ?? new Date()).toISOString(),
    synthetic: await hasSyntheticValues(db, scope),
    hasData: annex.some((k) => k.current.value !== null || k.current.suppressed !== null),
    pillars: grid.pillars,
    grid,
    statusCounts,
    moved: annex.filter((k) => change(k) > 0).sort((a, b) => change(b) - change(a)).slice(0, MOVED_SHOWN),
    stalled: annex.filter((k) => STALLED.has(k.status)),
    completeness: await completenessInScope(db, scope, { from: quarter.code, to: quarter.code, framework: PACK_FRAMEWORK, orgUnit: national ? undefined : unit.code }),
    evidence: await evidenceCoverage(db, { framework: PACK_FRAMEWORK, period: quarter.code, orgUnit: unit.code, by: 'institution', stage: scope.stage }),
    trends: trendIndicators.map((i) => {
      const series = trendPeriods(i).map((p) => valueOf(i.code, p));
      const first = series.findIndex((v) => v.value !== null || v.suppressed !== null);
      return { i, values: first < 0 ? series : series.slice(first) };
    }).map(({ i, values: series }) => ({
      code: i.code, nameEn: i.nameEn, nameUr: i.nameUr, unitType: i.unitType,
      values: series,
      target: annex.find((k) => k.code === i.code)!.target,
    })),
    annex,
  };
}
