/**
 * The path an indicator should follow at one org unit: its baseline (national, so at the country only) and its
 * targets, end-of-phase targets dated at the last period of their phase, as the scorecards judge them.
 */
import type { Queryable } from '../db/database.ts';
import { PHASE_END } from '../analytics/scorecard.ts';
import type { Phase } from '../domain/framework.ts';
import { parsePeriod, periodContaining, type PeriodType } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';

export interface TargetPoint {
  /** A period of the indicator's own frequency, so the point lies on its trend axis. */
  period: string;
  value: number;
  phase: Phase | null;
}

export interface TargetPath {
  indicator: string;
  orgUnit: string;
  baseline: { period: string; value: number } | null;
  targets: TargetPoint[];
}

export async function indicatorTargetPath(db: Queryable, req: { indicator: string; orgUnit: string }): Promise<TargetPath> {
  const ind = (await db.query<{ id: number; frequency: PeriodType; baseline_value: number | null; baseline_period: string | null }>(
    'SELECT id, frequency, baseline_value, baseline_period FROM indicator WHERE code = $1', [req.indicator])).rows[0];
  const unit = (await db.query<{ id: number; level: string }>('SELECT id, level FROM org_unit WHERE code = $1', [req.orgUnit])).rows[0];
  const errors = [];
  if (!ind) errors.push({ row: 0, field: 'indicator', code: 'unknown_indicator', message: `unknown indicator "${req.indicator}"` });
  if (!unit) errors.push({ row: 0, field: 'orgUnit', code: 'unknown_org_unit', message: `unknown org unit "${req.orgUnit}"` });
  if (!ind || !unit) throw new InputError(errors);
  const onAxis = (code: string) => periodContaining(ind.frequency, parsePeriod(code).end).code;
  const targets = (await db.query<{ period: string | null; phase: Phase | null; value: number }>(
    'SELECT period, phase, value FROM target WHERE indicator_id = $1 AND org_unit_id = $2', [ind.id, unit.id])).rows
    .map((t) => ({ period: onAxis(t.period ?? PHASE_END[t.phase!]), value: t.value, phase: t.phase }))
    .sort((a, b) => parsePeriod(a.period).startMonth - parsePeriod(b.period).startMonth);
  const baseline = unit.level === 'country' && ind.baseline_value !== null && ind.baseline_period
    ? { period: onAxis(ind.baseline_period), value: ind.baseline_value }
    : null;
  return { indicator: req.indicator, orgUnit: req.orgUnit, baseline, targets };
}
