/**
 * Validation rules (left <operator> right over indicator expressions) and the built-in checks every
 * value gets from its unit type and the indicator's minimum and maximum.
 */
import {
  compareNumbers,
  describeExpression,
  evaluate,
  ExpressionError,
  expressionReferences,
  parseExpression,
  referenceKey,
  type ComparisonOperator,
  type Expression,
  type Lookup,
  type Reference,
} from './expression.ts';
import { isRatio, unitRange, type UnitType } from './framework.ts';
import type { RowError } from './row-error.ts';

export type RuleOperator = ComparisonOperator;
export const RULE_SEVERITIES = ['error', 'warning'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

export interface ValidationRule {
  code: string;
  nameEn: string;
  nameUr: string;
  left: string;
  operator: RuleOperator;
  right: string;
  severity: RuleSeverity;
}

export interface CompiledRule {
  rule: ValidationRule;
  left: Expression;
  right: Expression;
  /** Every value either side reads. */
  references: Reference[];
}

export interface RuleCheck {
  status: 'pass' | 'fail' | 'skipped';
  left: number | null;
  right: number | null;
  message: string;
}

/** Parses both sides; throws ExpressionError naming the rule and the side. */
export function compileRule(rule: ValidationRule): CompiledRule {
  const side = (name: 'left' | 'right', text: string): Expression => {
    try {
      return parseExpression(text);
    } catch (e) {
      throw e instanceof ExpressionError ? e.withContext(`rule ${rule.code}, ${name} side`) : e;
    }
  };
  const left = side('left', rule.left);
  const right = side('right', rule.right);
  const references = [...new Map([...expressionReferences(left), ...expressionReferences(right)].map((r) => [referenceKey(r), r])).values()];
  return { rule, left, right, references };
}

const SYMBOL: Record<RuleOperator, string> = { '<=': '≤', '<': '<', '>=': '≥', '>': '>', '==': '=', '!=': '≠' };
const REQUIREMENT: Record<RuleOperator, string> = {
  '<=': 'must be ≤',
  '<': 'must be <',
  '>=': 'must be ≥',
  '>': 'must be >',
  '==': 'must equal',
  '!=': 'must differ from',
};

/** Up to 10 significant digits, so binary rounding (0.30000000000000004) does not reach a message. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(10)));
}

/** "REV-04[sex=F] = 120", or just "100" for a constant side. */
function sideText(expr: Expression, value: number): string {
  return expr.kind === 'number' ? formatNumber(value) : `${describeExpression(expr)} = ${formatNumber(value)}`;
}

/**
 * Checks a rule against values. A rule never fails for lack of data: when a side is missing (or
 * cannot be computed, e.g. division by zero) it is skipped and the message says why.
 */
export function checkRule(compiled: CompiledRule, lookup: Lookup): RuleCheck {
  const { rule, left, right } = compiled;
  const l = evaluate(left, lookup);
  const r = evaluate(right, lookup);
  if (l.value === null || r.value === null) {
    const missing = [l, r].flatMap((x) => ('missing' in x ? x.missing.map(referenceKey) : []));
    const reasons = missing.length > 0 ? [`no data for ${[...new Set(missing)].join(', ')}`] : [];
    for (const [side, expr, result] of [['left', left, l], ['right', right, r]] as const) {
      if ('error' in result) reasons.push(`the ${side} side ${describeExpression(expr)} cannot be computed: ${result.error}`);
    }
    return { status: 'skipped', left: l.value, right: r.value, message: `skipped: ${reasons.join('; ')}` };
  }
  const pass = compareNumbers(rule.operator, l.value, r.value);
  const message = pass
    ? `${sideText(left, l.value)} ${SYMBOL[rule.operator]} ${sideText(right, r.value)}`
    : `${sideText(left, l.value)} ${REQUIREMENT[rule.operator]} ${sideText(right, r.value)}`;
  return { status: pass ? 'pass' : 'fail', left: l.value, right: r.value, message };
}

export type ValueShapeProblem = Pick<RowError, 'field' | 'code' | 'message'>;

export interface ValueParts {
  value?: number | null;
  numerator?: number | null;
  denominator?: number | null;
}

/**
 * The checks every value gets whatever the rules say: what its unit type allows
 * (counts are whole and not negative, percentages lie in 0–100, yes/no is 0 or 1, milestones are
 * 0–4 whole steps, a numerator does not exceed its denominator) and the indicator's own minimum and maximum.
 */
export function checkValueShape(
  unitType: UnitType,
  parts: ValueParts,
  min: number | null,
  max: number | null,
): ValueShapeProblem[] {
  const problems: ValueShapeProblem[] = [];
  const add = (field: string, code: string, message: string): void => {
    problems.push({ field, code, message });
  };
  const { value = null, numerator = null, denominator = null } = parts;

  for (const [field, n] of [['value', value], ['numerator', numerator], ['denominator', denominator]] as const) {
    if (n !== null && !Number.isFinite(n)) add(field, 'not_finite', `the ${field} ${n} is not a finite number`);
  }
  if (problems.length > 0) return problems;

  if (isRatio(unitType)) {
    for (const [field, n] of [['numerator', numerator], ['denominator', denominator]] as const) {
      if (n !== null && n < 0) add(field, 'negative_count', `the ${field} ${formatNumber(n)} is negative`);
    }
    if (numerator !== null && denominator !== null && numerator > denominator) {
      add(
        'numerator',
        'numerator_exceeds_denominator',
        `the numerator ${formatNumber(numerator)} is greater than the denominator ${formatNumber(denominator)}`,
      );
    }
  }

  if (value !== null) {
    // Formatted only when a message needs it: this runs once per imported value.
    const v = () => formatNumber(value);
    // The limits come from the unit type; only the wording differs per type.
    const range = unitRange(unitType);
    const outOfRange = (range.min !== null && value < range.min) || (range.max !== null && value > range.max);
    const fractional = range.integer && !Number.isInteger(value);
    switch (unitType) {
      case 'count':
        if (outOfRange) add('value', 'negative_count', `the count ${v()} is negative`);
        if (fractional) add('value', 'non_integer_count', `the count ${v()} is not a whole number`);
        break;
      case 'percentage':
        if (outOfRange) add('value', 'percentage_out_of_range', `the percentage ${v()} is outside ${range.min}–${range.max}`);
        break;
      case 'yes_no':
        if (outOfRange || fractional) add('value', 'not_yes_no', `${v()} is not yes (1) or no (0)`);
        break;
      case 'milestone':
        if (outOfRange || fractional) {
          add('value', 'milestone_out_of_range', `the milestone ${v()} is not a whole step from ${range.min} to ${range.max}`);
        }
        break;
      case 'currency':
        if (outOfRange) add('value', 'negative_value', `the amount ${v()} is negative`);
        break;
      case 'index':
        break;
    }
    if (min !== null && value < min) add('value', 'below_min', `the value ${v()} is below the indicator's minimum ${formatNumber(min)}`);
    if (max !== null && value > max) add('value', 'above_max', `the value ${v()} is above the indicator's maximum ${formatNumber(max)}`);
  }
  return problems;
}
