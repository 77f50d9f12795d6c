/** Reading stored values and their change history. */
import type { Queryable } from '../db/database.ts';
import { canonicalDisaggregation } from '../domain/disaggregation.ts';
import { parsePeriod } from '../domain/period.ts';

export interface DataValueRow {
  indicator: string;
  orgUnit: string;
  period: string;
  disaggregation: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
  synthetic: boolean;
  storedBy: string;
  storedAt: string;
}

export async function listDataValues(
  db: Queryable,
  f: { indicator?: string; orgUnit?: string; period?: string; disaggregation?: string; limit: number },
): Promise<DataValueRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.indicator) where.push(`i.code = $${params.push(f.indicator)}`);
  if (f.orgUnit) where.push(`d.org_unit_id IN (SELECT c.descendant_id FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id WHERE a.code = $${params.push(f.orgUnit)})`);
  if (f.period) {
    const p = parsePeriod(f.period);
    where.push(`p.start_date >= $${params.push(p.start)}::date AND p.end_date <= $${params.push(p.end)}::date`);
  }
  if (f.disaggregation !== undefined) where.push(`d.disagg = $${params.push(canonicalDisaggregation(f.disaggregation))}`);
  return (await db.query<DataValueRow>(
    `SELECT i.code AS indicator, o.code AS "orgUnit", p.code AS period, d.disagg AS disaggregation, d.value, d.numerator, d.denominator,
            d.comment, d.synthetic, d.stored_by AS "storedBy", d.stored_at AS "storedAt"
       FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN org_unit o ON o.id = d.org_unit_id JOIN period p ON p.id = d.period_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY p.start_date, i.code, o.code, d.disagg LIMIT ${Math.floor(f.limit)}`,
    params,
  )).rows;
}

export async function dataValueHistory(
  db: Queryable,
  k: { indicator: string; orgUnit: string; period: string; disaggregation: string },
): Promise<Record<string, unknown>[]> {
  return (await db.query(
    `SELECT h.action, h.old_value AS "oldValue", h.new_value AS "newValue", h.old_numerator AS "oldNumerator",
            h.new_numerator AS "newNumerator", h.old_denominator AS "oldDenominator", h.new_denominator AS "newDenominator",
            h.old_comment AS "oldComment", h.new_comment AS "newComment", h.changed_by AS "changedBy", h.changed_at AS "changedAt",
            h.import_id AS "importId"
       FROM data_value_history h JOIN indicator i ON i.id = h.indicator_id JOIN org_unit o ON o.id = h.org_unit_id
       JOIN period p ON p.id = h.period_id
      WHERE i.code = $1 AND o.code = $2 AND p.code = $3 AND h.disagg = $4
      ORDER BY h.id`,
    [k.indicator, k.orgUnit, parsePeriod(k.period).code, canonicalDisaggregation(k.disaggregation)],
  )).rows;
}
