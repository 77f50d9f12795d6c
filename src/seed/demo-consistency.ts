/**
 * Independent random draws break cross-indicator rules (completions must equal the percentage's numerator,
 * a part cannot exceed its total). Demo data should pass every rule an officer's data must pass, so each
 * failing error rule is repaired by moving its left-hand value to what the right-hand side allows.
 */
import { evaluate, expressionReferences, type Reference } from '../domain/expression.ts';
import { checkRule, compileRule, type ValidationRule } from '../domain/validation-rule.ts';
import type { SourceRow } from '../importexport/source-row.ts';

type Cell = SourceRow;

const cellKey = (indicator: string, orgUnit: string, period: string, disagg: string) => `${indicator}|${orgUnit}|${period}|${disagg}`;

function read(cell: Cell, ref: Reference): number | null {
  const text = ref.measure === 'numerator' ? cell.numerator : ref.measure === 'denominator' ? cell.denominator : cell.value;
  if (text !== undefined && text !== null && text !== '') return Number(text);
  if (ref.measure === 'value' && cell.numerator && cell.denominator && Number(cell.denominator) > 0) {
    return (100 * Number(cell.numerator)) / Number(cell.denominator);
  }
  return null;
}

function write(cell: Cell, ref: Reference, x: number): void {
  const v = String(Math.max(0, Math.round(x)));
  if (ref.measure === 'numerator') {
    cell.numerator = v;
    if (Number(cell.denominator) < Number(v)) cell.denominator = v;
  } else if (ref.measure === 'denominator') {
    cell.denominator = v;
    if (Number(cell.numerator) > Number(v)) cell.numerator = v;
  } else cell.value = v;
}

export function makeConsistent(rows: Cell[], rules: ValidationRule[]): Cell[] {
  const cells = new Map(rows.map((r) => [cellKey(r.indicator, r.orgUnit, r.period, r.disaggregation), r]));
  const units = new Map<string, { orgUnit: string; period: string }>();
  for (const r of rows) units.set(`${r.orgUnit}|${r.period}`, { orgUnit: r.orgUnit, period: r.period });
  for (const rule of rules.filter((r) => r.severity === 'error').map(compileRule)) {
    const leftRefs = expressionReferences(rule.left).filter((ref) => ref.periodOffset === 0);
    const leftRef = leftRefs[0];
    if (!leftRef) continue;
    for (const { orgUnit, period } of units.values()) {
      const lookup = (ref: Reference) => {
        if (ref.periodOffset !== 0) return null;
        const c = cells.get(cellKey(ref.indicator, orgUnit, period, ref.disaggregation));
        return c ? read(c, ref) : null;
      };
      if (checkRule(rule, lookup).status !== 'fail') continue;
      const cell = cells.get(cellKey(leftRef.indicator, orgUnit, period, leftRef.disaggregation));
      if (!cell) continue;
      if (rule.left.kind === 'reference') {
        const right = evaluate(rule.right, lookup).value;
        if (right === null) continue;
        const now = read(cell, leftRef) ?? 0;
        const op = rule.rule.operator;
        write(cell, leftRef, op === '<=' || op === '<' ? Math.min(now, right) : op === '>=' || op === '>' ? Math.max(now, right) : right);
      } else if (leftRefs[1]) {
        // A tolerance rule such as abs(#{A.numerator} - #{B}) <= 1: make the two agree.
        const other = lookup(leftRefs[1]);
        if (other !== null) write(cell, leftRef, other);
      }
    }
  }
  return rows;
}
