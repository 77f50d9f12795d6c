/**
 * Validation of stored data values: the rules in validation_rule, evaluated per org unit and period,
 * and outlier flags against each value's own history.
 */
import type { Queryable } from '../db/database.ts';
import type { Reference } from '../domain/expression.ts';
import { DEFAULT_OUTLIER_THRESHOLD, isOutlier, median, modifiedZScore } from '../domain/outlier.ts';
import { parsePeriod, PeriodError, shiftPeriod, type Period } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';
import {
  checkRule,
  compileRule,
  type CompiledRule,
  type RuleOperator,
  type RuleSeverity,
  type ValidationRule,
} from '../domain/validation-rule.ts';

export interface RunValidationOptions {
  period: string;
  /** Org unit code; its descendants are checked too. All org units when absent. */
  orgUnit?: string;
  /** Rule codes; all rules when absent. */
  rules?: string[];
}

export interface Violation {
  rule: string;
  ruleName: string;
  severity: RuleSeverity;
  orgUnit: string;
  orgUnitName: string;
  period: string;
  left: number;
  right: number;
  message: string;
}

export interface ValidationReport {
  period: string;
  rulesChecked: number;
  /** Org units in scope with at least one value in the period for an indicator the rules read. */
  unitsChecked: number;
  violations: Violation[];
}

export interface FindOutliersOptions {
  period: string;
  orgUnit?: string;
  /** |modified z-score| above which a value is an outlier; 3.5 when absent. */
  threshold?: number;
  /** Indicator codes; all indicators when absent. */
  indicators?: string[];
}

export interface Outlier {
  indicator: string;
  orgUnit: string;
  period: string;
  disaggregation: string;
  value: number;
  /** Median of the history the value was compared with. */
  median: number;
  /** Modified z-score; ±Infinity when the history was perfectly constant. */
  score: number;
}

/** Earlier periods of the same type that an outlier check compares a value with. */
export const OUTLIER_HISTORY_PERIODS = 12;

/** Org units under the scope unit (itself included), or every unit when the scope id is null. */
const inScope = (param: string) =>
  `(${param}::int IS NULL OR dv.org_unit_id IN (SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = ${param}::int))`;

function periodOption(code: string): Period {
  try {
    return parsePeriod(code);
  } catch (e) {
    if (e instanceof PeriodError) throw new InputError([{ row: 0, field: 'period', code: 'invalid_period', message: e.message }]);
    throw e;
  }
}

async function scopeOption(db: Queryable, code: string | undefined): Promise<number | null> {
  if (code === undefined) return null;
  const { rows } = await db.query<{ id: number }>('SELECT id FROM org_unit WHERE code = $1', [code]);
  if (!rows[0]) {
    throw new InputError([{ row: 0, field: 'orgUnit', code: 'unknown_org_unit', message: `unknown org unit "${code}"` }]);
  }
  return rows[0].id;
}

function unknownCodes(field: string, code: string, what: string, asked: string[], found: Iterable<string>): InputError | null {
  const known = new Set(found);
  const unknown = [...new Set(asked)].filter((c) => !known.has(c));
  if (unknown.length === 0) return null;
  return new InputError(unknown.map((c) => ({ row: 0, field, code, message: `unknown ${what} "${c}"` })));
}

interface RuleRow {
  code: string;
  name_en: string;
  name_ur: string;
  left_expr: string;
  operator: RuleOperator;
  right_expr: string;
  severity: RuleSeverity;
}

async function loadRules(db: Queryable, codes: string[] | undefined): Promise<CompiledRule[]> {
  const { rows } = await db.query<RuleRow>(
    `SELECT code, name_en, name_ur, left_expr, operator, right_expr, severity
       FROM validation_rule
      WHERE $1::text[] IS NULL OR code = ANY($1::text[])
      ORDER BY code`,
    [codes ?? null],
  );
  if (codes) {
    const err = unknownCodes('rules', 'unknown_rule', 'validation rule', codes, rows.map((r) => r.code));
    if (err) throw err;
  }
  return rows.map((r) => {
    const rule: ValidationRule = {
      code: r.code,
      nameEn: r.name_en,
      nameUr: r.name_ur,
      left: r.left_expr,
      operator: r.operator,
      right: r.right_expr,
      severity: r.severity,
    };
    return compileRule(rule);
  });
}

interface ValueRow {
  indicator: string;
  org_unit: string;
  org_unit_name: string;
  period: string;
  disagg: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

const cellKey = (indicator: string, disaggregation: string, period: string) => `${indicator}\u0000${disaggregation}\u0000${period}`;

/**
 * Checks every rule (or the named ones) at every org unit in scope that has data for the period.
 * A rule reads values of one org unit and period (offsets reach the same unit's earlier periods);
 * nothing is aggregated. Rules whose values are missing are skipped, not reported.
 */
export async function runValidation(db: Queryable, options: RunValidationOptions): Promise<ValidationReport> {
  const period = periodOption(options.period);
  const scope = await scopeOption(db, options.orgUnit);
  const rules = await loadRules(db, options.rules);
  const report: ValidationReport = { period: period.code, rulesChecked: rules.length, unitsChecked: 0, violations: [] };

  const references = rules.flatMap((r) => r.references);
  if (references.length === 0) return report;
  const periodCodes = new Map<number, string>();
  for (const ref of references) periodCodes.set(ref.periodOffset, shiftPeriod(period, ref.periodOffset).code);
  periodCodes.set(0, period.code);

  const { rows } = await db.query<ValueRow>(
    `SELECT i.code AS indicator, o.code AS org_unit, o.name_en AS org_unit_name, p.code AS period,
            dv.disagg, dv.value, dv.numerator, dv.denominator
       FROM data_value dv
       JOIN indicator i ON i.id = dv.indicator_id
       JOIN period p ON p.id = dv.period_id
       JOIN org_unit o ON o.id = dv.org_unit_id
      WHERE i.code = ANY($1::text[]) AND p.code = ANY($2::text[]) AND ${inScope('$3')}`,
    [[...new Set(references.map((r) => r.indicator))], [...new Set(periodCodes.values())], scope],
  );

  const units = new Map<string, { name: string; cells: Map<string, ValueRow>; reported: boolean }>();
  for (const row of rows) {
    let unit = units.get(row.org_unit);
    if (!unit) units.set(row.org_unit, (unit = { name: row.org_unit_name, cells: new Map(), reported: false }));
    unit.cells.set(cellKey(row.indicator, row.disagg, row.period), row);
    if (row.period === period.code) unit.reported = true;
  }

  const checked = [...units.entries()].filter(([, u]) => u.reported).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  report.unitsChecked = checked.length;
  for (const compiled of rules) {
    for (const [code, unit] of checked) {
      const lookup = (ref: Reference) =>
        unit.cells.get(cellKey(ref.indicator, ref.disaggregation, periodCodes.get(ref.periodOffset)!))?.[ref.measure];
      const check = checkRule(compiled, lookup);
      if (check.status !== 'fail') continue;
      report.violations.push({
        rule: compiled.rule.code,
        ruleName: compiled.rule.nameEn,
        severity: compiled.rule.severity,
        orgUnit: code,
        orgUnitName: unit.name,
        period: period.code,
        left: check.left!,
        right: check.right!,
        message: check.message,
      });
    }
  }
  return report;
}

interface HistoryRow {
  indicator: string;
  org_unit: string;
  disagg: string;
  period: string;
  value: number;
}

/**
 * Values of the period that lie far from their own history: the same indicator, org unit and
 * disaggregation in up to OUTLIER_HISTORY_PERIODS earlier periods of the same type. Values with
 * fewer than 4 earlier values are not scored. Sorted by |score|, largest first.
 */
export async function findOutliers(db: Queryable, options: FindOutliersOptions): Promise<Outlier[]> {
  const period = periodOption(options.period);
  const threshold = options.threshold ?? DEFAULT_OUTLIER_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold <= 0) {
    throw new InputError([
      { row: 0, field: 'threshold', code: 'invalid_threshold', message: `the threshold ${threshold} must be a positive number` },
    ]);
  }
  const scope = await scopeOption(db, options.orgUnit);
  if (options.indicators) {
    const { rows } = await db.query<{ code: string }>('SELECT code FROM indicator WHERE code = ANY($1::text[])', [options.indicators]);
    const err = unknownCodes('indicators', 'unknown_indicator', 'indicator', options.indicators, rows.map((r) => r.code));
    if (err) throw err;
  }

  const history = Array.from({ length: OUTLIER_HISTORY_PERIODS }, (_, k) => shiftPeriod(period, -(k + 1)).code);
  // One query for the period's values and their histories; history only where the period has a value.
  const { rows } = await db.query<HistoryRow>(
    `SELECT i.code AS indicator, o.code AS org_unit, dv.disagg, p.code AS period, dv.value
       FROM data_value dv
       JOIN period p ON p.id = dv.period_id
       JOIN indicator i ON i.id = dv.indicator_id
       JOIN org_unit o ON o.id = dv.org_unit_id
      WHERE p.code = ANY($1::text[])
        AND dv.value IS NOT NULL
        AND ${inScope('$2')}
        AND ($3::text[] IS NULL OR i.code = ANY($3::text[]))
        AND EXISTS (SELECT 1
                      FROM data_value cur
                      JOIN period cp ON cp.id = cur.period_id
                     WHERE cp.code = $4
                       AND cur.indicator_id = dv.indicator_id
                       AND cur.org_unit_id = dv.org_unit_id
                       AND cur.disagg = dv.disagg
                       AND cur.value IS NOT NULL)`,
    [[period.code, ...history], scope, options.indicators ?? null, period.code],
  );

  const series = new Map<string, { row: HistoryRow | null; history: number[] }>();
  for (const row of rows) {
    const key = `${row.indicator}\u0000${row.org_unit}\u0000${row.disagg}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { row: null, history: [] }));
    if (row.period === period.code) s.row = row;
    else s.history.push(row.value);
  }

  const outliers: Outlier[] = [];
  for (const { row, history: past } of series.values()) {
    if (!row) continue;
    const score = modifiedZScore(row.value, past);
    if (score === null || !isOutlier(score, threshold)) continue;
    outliers.push({
      indicator: row.indicator,
      orgUnit: row.org_unit,
      period: period.code,
      disaggregation: row.disagg,
      value: row.value,
      median: median(past),
      score,
    });
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return outliers.sort(
    (a, b) =>
      Math.abs(b.score) - Math.abs(a.score) ||
      order(a.indicator, b.indicator) ||
      order(a.orgUnit, b.orgUnit) ||
      order(a.disaggregation, b.disaggregation),
  );
}
