/**
 * Validation rules checked against the state an import would leave: the imported values laid over
 * what is stored, for every org unit and period the import touches.
 */
import type { Queryable } from '../db/database.ts';
import type { RowError } from '../domain/row-error.ts';
import { compileRule, checkRule, type ValidationRule } from '../domain/validation-rule.ts';

interface RuleValueRow {
  code: string;
  org_unit_id: number;
  period_id: number;
  disagg: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  row_no: number | null;
  org_unit: string;
  period: string;
}

export async function checkImportRules(tx: Queryable): Promise<{ errors: RowError[]; warnings: RowError[] }> {
  await tx.exec('CREATE TEMP TABLE IF NOT EXISTS import_rule_rejected (row_no integer NOT NULL) ON COMMIT DELETE ROWS');
  const rules = (await tx.query<ValidationRule>(
    `SELECT code, name_en AS "nameEn", name_ur AS "nameUr", left_expr AS "left", operator, right_expr AS "right", severity
       FROM validation_rule ORDER BY code`,
  )).rows;
  if (rules.length === 0) return { errors: [], warnings: [] };
  const compiled = rules.map((r) => compileRule(r));
  const codes = [...new Set(compiled.flatMap((c) => c.references.map((r) => r.indicator)))];
  const values = (await tx.query<RuleValueRow>(
    `WITH ids AS (SELECT id FROM indicator WHERE code = ANY($1::text[])),
     touched AS (SELECT DISTINCT org_unit_id, period_id FROM import_final WHERE indicator_id IN (SELECT id FROM ids))
     SELECT i.code, v.org_unit_id, v.period_id, v.disagg, v.value, v.numerator, v.denominator, v.row_no, o.code AS org_unit, p.code AS period
     FROM (
       SELECT indicator_id, org_unit_id, period_id, disagg, new_value AS value, new_numerator AS numerator,
              new_denominator AS denominator, row_no
         FROM import_final WHERE NOT deleted AND indicator_id IN (SELECT id FROM ids)
       UNION ALL
       SELECT d.indicator_id, d.org_unit_id, d.period_id, d.disagg, d.value, d.numerator, d.denominator, NULL
         FROM data_value d JOIN touched t ON t.org_unit_id = d.org_unit_id AND t.period_id = d.period_id
        WHERE d.indicator_id IN (SELECT id FROM ids)
          AND NOT EXISTS (SELECT 1 FROM import_final f WHERE f.indicator_id = d.indicator_id AND f.org_unit_id = d.org_unit_id
                          AND f.period_id = d.period_id AND f.disagg = d.disagg)
     ) v JOIN indicator i ON i.id = v.indicator_id JOIN org_unit o ON o.id = v.org_unit_id JOIN period p ON p.id = v.period_id
     ORDER BY v.org_unit_id, v.period_id`,
    [codes],
  )).rows;

  const errors: RowError[] = [];
  const warnings: RowError[] = [];
  const rejected: number[] = [];
  for (let start = 0; start < values.length; ) {
    let end = start;
    const first = values[start]!;
    while (end < values.length && values[end]!.org_unit_id === first.org_unit_id && values[end]!.period_id === first.period_id) end++;
    const group = values.slice(start, end);
    start = end;
    const cell = new Map<string, RuleValueRow>();
    for (const v of group) cell.set(`${v.code}|${v.disagg}`, v);
    for (const rule of compiled) {
      const used: RuleValueRow[] = [];
      const result = checkRule(rule, (ref) => {
        if (ref.periodOffset !== 0) return null;
        const v = cell.get(`${ref.indicator}|${ref.disaggregation}`);
        if (!v) return null;
        used.push(v);
        return ref.measure === 'numerator' ? v.numerator : ref.measure === 'denominator' ? v.denominator : v.value;
      });
      const importedRows = used.map((u) => u.row_no).filter((r): r is number => r !== null);
      if (result.status !== 'fail' || importedRows.length === 0) continue;
      const row = Math.min(...importedRows);
      const e: RowError = {
        row,
        field: 'value',
        code: `rule:${rule.rule.code}`,
        message: `${first.org_unit} ${first.period}: ${rule.rule.nameEn} — ${result.message}`,
      };
      if (rule.rule.severity === 'error') {
        errors.push(e);
        rejected.push(...importedRows);
      } else warnings.push(e);
    }
  }
  if (rejected.length) await tx.query('INSERT INTO import_rule_rejected SELECT * FROM unnest($1::int[])', [rejected]);
  return { errors, warnings };
}
