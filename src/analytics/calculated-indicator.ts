/**
 * Calculated indicators: a formula over indicators and other calculated indicators, e.g.
 * `#{T-MONTH} / #{T-COUNT}` or growth `#{T-COUNT} - #{T-COUNT@-1}`, evaluated per org unit and period.
 *
 * Each referenced indicator is aggregated over the period by its own rules (queryAnalytics) before the
 * formula is applied, so a ratio at province level is Σa / Σb, never an average of district ratios.
 * A reference to another calculated indicator reads that indicator's value for the period, by its own definition.
 */
import type { Database, Queryable } from '../db/database.ts';
import {
  evaluate,
  ExpressionError,
  expressionReferences,
  findCycle,
  parseExpression,
  referenceKey,
  type EvaluationResult,
  type Expression,
  type Reference,
} from '../domain/expression.ts';
import { monthsOfType, shiftPeriod, type Period, type PeriodType } from '../domain/period.ts';
import { InputError, type RowError } from '../domain/row-error.ts';
import { queryAnalytics, resolveOrgUnits, type AnalyticsCell } from './analytics-query.ts';

export const CALCULATED_UNIT_TYPES = ['count', 'percentage', 'currency', 'index'] as const;
export const CALCULATED_AGGREGATIONS = ['period', 'ytd'] as const;

export interface CalculatedIndicatorDef {
  code: string;
  nameEn: string;
  nameUr: string;
  description: string;
  formula: string;
  unitType: (typeof CALCULATED_UNIT_TYPES)[number];
  polarity: 'higher' | 'lower';
  /** The period type the formula is meant to be read on. */
  frequency: PeriodType;
  /** 'ytd': every indicator is aggregated from 1 January of the period's (end) year up to the end of the period. */
  aggregation: (typeof CALCULATED_AGGREGATIONS)[number];
}

export interface CalculatedCell {
  indicator: string;
  orgUnit: string;
  period: string;
  value: number | null;
  /** Why the arithmetic has no result although the data is there, e.g. 'division by zero'. */
  error?: string;
  /** References without data, as written in a formula (`T-COUNT@-1`). */
  missing?: string[];
}

const SELECT_DEFS = `SELECT code, name_en AS "nameEn", name_ur AS "nameUr", description, formula, unit_type AS "unitType",
  polarity, frequency, aggregation FROM calculated_indicator`;

export async function listCalculatedIndicators(db: Queryable): Promise<CalculatedIndicatorDef[]> {
  return (await db.query<CalculatedIndicatorDef>(`${SELECT_DEFS} ORDER BY code`)).rows;
}

export async function getCalculatedIndicator(db: Queryable, code: string): Promise<CalculatedIndicatorDef | null> {
  return (await db.query<CalculatedIndicatorDef>(`${SELECT_DEFS} WHERE code = $1`, [code])).rows[0] ?? null;
}

const formulaError = (code: string, message: string): RowError => ({ row: 0, field: 'formula', code, message });

/**
 * Creates or replaces a calculated indicator after checking its formula: it must parse (ExpressionError, with the
 * position), name only known indicators, use numerator/denominator only of percentages, and not make any calculated
 * indicator depend on itself (InputError naming the path, "A → B → A").
 */
export async function saveCalculatedIndicator(db: Database, def: CalculatedIndicatorDef): Promise<void> {
  let expr: Expression;
  try {
    expr = parseExpression(def.formula);
  } catch (e) {
    throw e instanceof ExpressionError ? e.withContext(`formula of ${def.code}`) : e;
  }
  if (def.aggregation === 'ytd' && monthsOfType(def.frequency) >= 12) {
    throw new InputError([{ row: 0, field: 'aggregation', code: 'invalid', message: `year-to-date needs a frequency shorter than a year, not ${def.frequency}` }]);
  }
  await db.transaction(async (tx) => {
    // Two saves checked against the same snapshot could close a cycle between them.
    await tx.query('LOCK TABLE calculated_indicator IN SHARE ROW EXCLUSIVE MODE');
    if ((await tx.query('SELECT 1 FROM indicator WHERE code = $1', [def.code])).rows.length > 0) {
      throw new InputError([{ row: 0, field: 'code', code: 'duplicate', message: `"${def.code}" is already the code of an indicator` }]);
    }
    const refs = expressionReferences(expr);
    const codes = [...new Set(refs.map((r) => r.indicator))];
    const indicators = new Map((await tx.query<{ code: string; unit_type: string }>(
      'SELECT code, unit_type FROM indicator WHERE code = ANY($1::text[])', [codes])).rows.map((r) => [r.code, r.unit_type]));
    const stored = await listCalculatedIndicators(tx);
    // This definition first, so that a cycle through it is named starting from it.
    const formulas = new Map<string, string>([[def.code, def.formula]]);
    for (const s of stored) if (s.code !== def.code) formulas.set(s.code, s.formula);

    const errors: RowError[] = [];
    for (const c of codes) {
      if (!indicators.has(c) && !formulas.has(c)) errors.push(formulaError('unknown_indicator', `the formula refers to unknown indicator "${c}"`));
    }
    for (const r of refs) {
      if (formulas.has(r.indicator) && (r.disaggregation !== '' || r.measure !== 'value')) {
        errors.push(formulaError('invalid_reference', `"${referenceKey(r)}": a calculated indicator has a value only, without disaggregation, numerator or denominator`));
      } else if (indicators.get(r.indicator) !== undefined && r.measure !== 'value' && indicators.get(r.indicator) !== 'percentage') {
        errors.push(formulaError('invalid_reference', `"${referenceKey(r)}": only percentage indicators have a ${r.measure}`));
      }
    }
    if (errors.length) throw new InputError(errors);
    const cycle = findCycle(formulas);
    if (cycle) throw new InputError([formulaError('cycle', `the formula makes calculated indicators depend on themselves: ${cycle.join(' → ')}`)]);

    await tx.query(
      `INSERT INTO calculated_indicator (code, name_en, name_ur, description, formula, unit_type, polarity, frequency, aggregation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (code) DO UPDATE SET name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur, description = EXCLUDED.description,
         formula = EXCLUDED.formula, unit_type = EXCLUDED.unit_type, polarity = EXCLUDED.polarity, frequency = EXCLUDED.frequency,
         aggregation = EXCLUDED.aggregation`,
      [def.code, def.nameEn, def.nameUr, def.description, def.formula, def.unitType, def.polarity, def.frequency, def.aggregation],
    );
  });
}

export interface CalculatedRequest {
  code: string;
  /** Org unit codes or selectors, as queryAnalytics takes them. */
  orgUnits: string[];
  periods: Period[];
}

/** The formula's value for every requested period × org unit, in that order. */
export async function evaluateCalculated(db: Queryable, req: CalculatedRequest): Promise<CalculatedCell[]> {
  const defs = new Map((await listCalculatedIndicators(db)).map((d) => [d.code, d]));
  const def = defs.get(req.code);
  if (!def) throw new InputError([{ row: 0, field: 'indicator', code: 'unknown_indicator', message: `unknown calculated indicator "${req.code}"` }]);
  const units = (await resolveOrgUnits(db, req.orgUnits)).map((u) => u.code);
  const results = await evaluateDefinition(db, def, defs, units, req.periods, []);
  const cells: CalculatedCell[] = [];
  for (const period of req.periods) {
    for (const unit of units) {
      const r = results.get(`${period.code}|${unit}`)!;
      const cell: CalculatedCell = { indicator: def.code, orgUnit: unit, period: period.code, value: r.value };
      if ('error' in r) cell.error = r.error;
      if ('missing' in r) cell.missing = r.missing.map(referenceKey);
      cells.push(cell);
    }
  }
  return cells;
}

/** Results keyed by `period code|org unit code`. */
async function evaluateDefinition(
  db: Queryable, def: CalculatedIndicatorDef, defs: Map<string, CalculatedIndicatorDef>,
  units: string[], periods: Period[], evaluating: string[],
): Promise<Map<string, EvaluationResult>> {
  // Saving refuses cycles; this guards against formulas changed directly in the database.
  if (evaluating.includes(def.code)) {
    throw new InputError([formulaError('cycle', `calculated indicators depend on themselves: ${[...evaluating, def.code].join(' → ')}`)]);
  }
  const expr = parseExpression(def.formula);
  const refs = expressionReferences(expr);
  const windowOf = (period: Period): Period => (def.aggregation === 'ytd' ? yearToDate(period) : period);

  // Every value a reference can read, keyed by `reference key|period code|org unit code`.
  const values = new Map<string, number | null>();
  const byTarget = new Map<string, Reference[]>();
  for (const r of refs) {
    const target = defs.has(r.indicator) ? r.indicator : `${r.indicator}[${r.disaggregation}]`;
    byTarget.set(target, [...(byTarget.get(target) ?? []), r]);
  }
  for (const group of byTarget.values()) {
    const first = group[0]!;
    // Every period any of these references reads, shifted by its offset: one query for them all.
    const needed = new Map<string, Period>();
    for (const r of group) for (const p of periods) { const s = shiftPeriod(p, r.periodOffset); needed.set(s.code, s); }
    const calculated = defs.get(first.indicator);
    if (calculated) {
      const found = await evaluateDefinition(db, calculated, defs, units, [...needed.values()], [...evaluating, def.code]);
      for (const r of group) {
        for (const p of periods) {
          const s = shiftPeriod(p, r.periodOffset);
          for (const u of units) values.set(`${referenceKey(r)}|${p.code}|${u}`, found.get(`${s.code}|${u}`)?.value ?? null);
        }
      }
      continue;
    }
    const windows = new Map([...needed.values()].map((s) => [s.code, windowOf(s)]));
    const cells = await queryAnalytics(db, {
      indicators: [first.indicator], orgUnits: units, periods: [...windows.values()], disaggregation: first.disaggregation,
    });
    const byCell = new Map<string, AnalyticsCell>(cells.map((c) => [`${c.period}|${c.orgUnit}`, c]));
    for (const r of group) {
      for (const p of periods) {
        const window = windows.get(shiftPeriod(p, r.periodOffset).code)!;
        for (const u of units) values.set(`${referenceKey(r)}|${p.code}|${u}`, byCell.get(`${window.code}|${u}`)?.[r.measure] ?? null);
      }
    }
  }

  const out = new Map<string, EvaluationResult>();
  for (const p of periods) {
    for (const u of units) out.set(`${p.code}|${u}`, evaluate(expr, (r) => values.get(`${referenceKey(r)}|${p.code}|${u}`)));
  }
  return out;
}

/** The longest period types first: the type a year-to-date window is given, for queryAnalytics's length check. */
const TYPES_BY_LENGTH: PeriodType[] = ['year', 'half_year', 'quarterly', 'monthly'];

/**
 * From 1 January of the year the period ends in (or the period's own start, if earlier — a fiscal year is its own window)
 * to the end of the period. queryAnalytics reads any span: it takes each indicator's periods that lie wholly inside.
 * The span is typed as the longest period type that fits in it, so that an indicator reported less often than
 * the span is long is still answered.
 */
function yearToDate(p: Period): Period {
  const endYear = Number(p.end.slice(0, 4));
  const startMonth = Math.min(endYear * 12, p.startMonth);
  if (startMonth === p.startMonth) return p;
  const months = p.startMonth + monthsOfType(p.type) - startMonth;
  return {
    code: `${p.code}:ytd`,
    type: TYPES_BY_LENGTH.find((t) => monthsOfType(t) <= months)!,
    startMonth,
    start: `${endYear}-01-01`,
    end: p.end,
  };
}
