/**
 * Progress of an indicator at one org unit towards its target, assessed as of a period.
 *
 * Trend indicators (count, percentage, currency, index) use Open SDG's growth method: the growth
 * achieved per year since the baseline against the growth per year the target requires.
 *
 *   required = (T − b) / (tT − t0)      actual = (x − b) / (t − t0)      ratio = actual / required
 *
 * b, t0: baseline value and time; x, t: latest value and time; T, tT: target value and time. Times are
 * fractional years at the END of each period (2025 → 2026.0, 2025Q2 → 2025.5, 2025July → 2026.5),
 * at month resolution so hand-computed figures stay exact. Both rates share a sign when moving the
 * right way, so polarity 'lower' (T < b) needs no special case.
 *   ratio ≥ 0.95 on_track · 0.6–0.95 acceleration_needed · 0–0.6 limited_progress · < 0 moving_away
 * Rules around the formula, in the order applied:
 *   - the latest value already at or beyond the target (per polarity) is on_track;
 *   - a baseline already at or beyond the target (including T = b) leaves only holding it: a latest
 *     value that no longer meets the target is moving_away;
 *   - no baseline given: the earliest value is the baseline; no value after the baseline time
 *     means there is no growth to measure yet: no_data;
 *   - a target whose period does not end after the baseline has no growth path: no_target;
 *   - once the target period has ended unmet, the status is at best acceleration_needed, because a
 *     missed target must never show as on track.
 *
 * Milestone (0–4) and yes/no indicators: achieved when the latest value reaches the target (yes/no:
 * equals it); a milestone above its baseline but short of the target is partially_achieved;
 * otherwise not_achieved. A milestone without a baseline starts from 0, "Not started", the bottom
 * of the scale, so any step taken counts as progress.
 *
 * Before any of that: no value up to the assessment period is no_data; a latest value staleAfter
 * or more periods (of the indicator's frequency) before the assessment period is stale; no target
 * is no_target. Values after the assessment period are ignored.
 */
import { MILESTONE_LABELS, type Polarity, type UnitType } from './framework.ts';
import { parsePeriod, periodContaining, periodMonths, type Period, type PeriodType } from './period.ts';

export type ProgressStatus =
  | 'on_track'
  | 'acceleration_needed'
  | 'limited_progress'
  | 'moving_away'
  | 'achieved'
  | 'partially_achieved'
  | 'not_achieved'
  | 'no_data'
  | 'stale'
  | 'no_target';

/** Display order, with a text symbol so colour is never the only signal. */
export const PROGRESS_STATUSES: readonly { status: ProgressStatus; label: string; symbol: string }[] = [
  { status: 'on_track', label: 'On track', symbol: '✓' },
  { status: 'acceleration_needed', label: 'Acceleration needed', symbol: '↗' },
  { status: 'limited_progress', label: 'Limited progress', symbol: '→' },
  { status: 'moving_away', label: 'Moving away', symbol: '↘' },
  { status: 'achieved', label: 'Achieved', symbol: '★' },
  { status: 'partially_achieved', label: 'Partially achieved', symbol: '◐' },
  { status: 'not_achieved', label: 'Not achieved', symbol: '✗' },
  { status: 'no_data', label: 'No data', symbol: '∅' },
  { status: 'stale', label: 'Stale data', symbol: '⌛' },
  { status: 'no_target', label: 'No target', symbol: '○' },
];

export const DEFAULT_STALE_AFTER = 2;
export const ON_TRACK_RATIO = 0.95;
export const ACCELERATION_RATIO = 0.6;

export interface PeriodValue {
  period: string;
  value: number;
}

export interface ProgressInput {
  unitType: UnitType;
  polarity: Polarity;
  /** The indicator's reporting frequency, the unit for staleness. */
  frequency: PeriodType;
  baseline: PeriodValue | null;
  /** period null: an end-of-phase target, timed at phaseEnd. */
  target: { value: number; period: string | null } | null;
  /** The last period of the target's phase, for end-of-phase targets. */
  phaseEnd?: string | null;
  values: readonly PeriodValue[];
  /** Period code the assessment is made as of. */
  assessedAt: string;
  staleAfter?: number;
}

export interface ProgressResult {
  status: ProgressStatus;
  /** actual / required growth for trend indicators, when it is defined. */
  ratio: number | null;
  latest: PeriodValue | null;
  message: string;
}

interface Point {
  period: Period;
  value: number;
}

/** Fractional years at the end of a period. */
function endTime(p: Period): number {
  return (p.startMonth + periodMonths(p)) / 12;
}

function compareEnds(a: Point, b: Point): number {
  return endTime(a.period) - endTime(b.period) || a.period.startMonth - b.period.startMonth;
}

export function assessProgress(input: ProgressInput): ProgressResult {
  const assessed = parsePeriod(input.assessedAt);
  const known = input.values
    .map((v) => ({ period: parsePeriod(v.period), value: v.value }))
    .filter((p) => endTime(p.period) <= endTime(assessed))
    .sort(compareEnds);
  const latest = known[known.length - 1];
  const earliest = known[0];
  if (!latest || !earliest) return result('no_data', null, null, () => `no data up to ${assessed.code}`);

  const behind = periodsBehind(latest.period, assessed, input.frequency);
  if (behind >= (input.staleAfter ?? DEFAULT_STALE_AFTER)) {
    const unit = `${FREQUENCY_UNITS[input.frequency]}${behind === 1 ? '' : 's'}`;
    const text = () => `stale: the latest value, ${pointText(latest, input)}, is ${behind} ${unit} before ${assessed.code}`;
    return result('stale', null, latest, text);
  }
  if (!input.target) return result('no_target', null, latest, () => `no target: the latest value is ${pointText(latest, input)}`);
  if (input.unitType === 'milestone' || input.unitType === 'yes_no') return assessMilestone(input, input.target, latest);
  return assessTrend(input, input.target, latest, earliest);
}

type Target = NonNullable<ProgressInput['target']>;

function assessMilestone(input: ProgressInput, target: Target, latest: Point): ProgressResult {
  const targetPeriod = target.period ?? input.phaseEnd;
  const targetText = () => `the target of ${formatValue(target.value, input.unitType)}${targetPeriod ? ` by ${targetPeriod}` : ''}`;
  const latestText = () => pointText(latest, input);
  const reached = input.unitType === 'yes_no' ? latest.value === target.value : latest.value >= target.value;
  if (reached) return result('achieved', null, latest, () => `achieved: ${latestText()} meets ${targetText()}`);
  const base = input.baseline?.value ?? 0;
  if (input.unitType === 'milestone' && latest.value > base) {
    const text = () => `partially achieved: ${latestText()}, up from ${formatValue(base, input.unitType)}, short of ${targetText()}`;
    return result('partially_achieved', null, latest, text);
  }
  return result('not_achieved', null, latest, () => `not achieved: ${latestText()}, short of ${targetText()}`);
}

function assessTrend(input: ProgressInput, target: Target, latest: Point, earliest: Point): ProgressResult {
  const targetCode = target.period ?? input.phaseEnd;
  if (!targetCode) throw new RangeError('phaseEnd: an end-of-phase target (period null) needs the period its phase ends');
  const targetPeriod = parsePeriod(targetCode);
  const fmt = (v: number) => formatValue(v, input.unitType);
  const targetText = () => `the target of ${fmt(target.value)} by ${targetPeriod.code}`;
  const latestText = () => pointText(latest, input);
  const meets = (v: number) => (input.polarity === 'higher' ? v >= target.value : v <= target.value);
  if (meets(latest.value)) return result('on_track', null, latest, () => `on track: ${latestText()} already meets ${targetText()}`);

  const baseline = input.baseline
    ? { period: parsePeriod(input.baseline.period), value: input.baseline.value }
    : earliest;
  const baselineText = () => `the baseline of ${pointText(baseline, input)}`;
  if (meets(baseline.value)) {
    return result('moving_away', null, latest, () => `moving away: ${latestText()} no longer meets ${targetText()}, which ${baselineText()} met`);
  }
  const t0 = endTime(baseline.period);
  const t = endTime(latest.period);
  const tT = endTime(targetPeriod);
  if (t <= t0) return result('no_data', null, latest, () => `no data after ${baselineText()}`);
  if (tT <= t0) return result('no_target', null, latest, () => `no target: ${targetText()} does not end after ${baselineText()}`);

  const required = (target.value - baseline.value) / (tT - t0);
  const actual = (latest.value - baseline.value) / (t - t0);
  const ratio = actual / required;
  const change = input.polarity === 'higher' ? 'growth' : 'reduction';
  const share = () => `${Math.round(ratio * 100)}% of the ${change} needed to reach ${fmt(target.value)} by ${targetPeriod.code}`;
  if (ratio < 0) {
    return result('moving_away', ratio, latest, () => `moving away: ${latestText()} is further from ${targetText()} than ${baselineText()}`);
  }
  if (t >= tT) {
    return result('acceleration_needed', ratio, latest, () => `acceleration needed: ${targetText()} was missed; ${latestText()} is ${share()}`);
  }
  if (ratio >= ON_TRACK_RATIO) return result('on_track', ratio, latest, () => `on track: ${share()}`);
  if (ratio >= ACCELERATION_RATIO) return result('acceleration_needed', ratio, latest, () => `acceleration needed: ${share()}`);
  return result('limited_progress', ratio, latest, () => `limited progress: ${share()}`);
}

function pointText(p: Point, input: ProgressInput): string {
  return `${formatValue(p.value, input.unitType)} in ${p.period.code}`;
}

/** The message is written only when read: a national grid assesses thousands of cells and shows none of them. */
function result(status: ProgressStatus, ratio: number | null, latest: Point | null, message: () => string): ProgressResult {
  return {
    status,
    ratio,
    latest: latest ? { period: latest.period.code, value: latest.value } : null,
    get message() {
      return message();
    },
  };
}

const FREQUENCY_UNITS: Record<PeriodType, string> = {
  monthly: 'month',
  quarterly: 'quarter',
  half_year: 'half year',
  year: 'year',
  fiscal_year: 'fiscal year',
};

/** Whole periods of the indicator's frequency between the latest value and the assessment period. */
function periodsBehind(latest: Period, assessed: Period, frequency: PeriodType): number {
  const from = periodContaining(frequency, latest.end);
  const to = periodContaining(frequency, assessed.end);
  return (to.startMonth - from.startMonth) / periodMonths(to);
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function formatValue(value: number, unitType: UnitType): string {
  switch (unitType) {
    case 'yes_no':
      return value === 1 ? 'yes' : 'no';
    case 'milestone': {
      const label = Number.isInteger(value) ? MILESTONE_LABELS[value] : undefined;
      return label ? `${value} (${label})` : NUMBER.format(value);
    }
    case 'percentage':
      return `${NUMBER.format(value)}%`;
    default:
      return NUMBER.format(value);
  }
}
