/** Reading stored values and their change history. */
import type { Queryable } from '../db/database.ts';
import { canonicalDisaggregation } from '../domain/disaggregation.ts';
import { parsePeriod } from '../domain/period.ts';
import { statusesAtStage, type ReadStage } from '../domain/workflow.ts';

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
  f: { indicator?: string; orgUnit?: string; period?: string; disaggregation?: string; stage?: ReadStage; limit: number },
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
  if (f.stage) {
    where.push(`EXISTS (SELECT 1 FROM submission s JOIN pillar pl ON pl.framework_id = s.framework_id JOIN objective ob ON ob.pillar_id = pl.id
                WHERE ob.id = i.objective_id AND s.org_unit_id = d.org_unit_id AND s.period_id = d.period_id
                  AND s.status = ANY($${params.push(statusesAtStage(f.stage))}::text[]))`);
  }
  return (await db.query<DataValueRow>(
    `SELECT i.code AS indicator, o.code AS "orgUnit", p.code AS period, d.disagg AS disaggregation, d.value, d.numerator, d.denominator,
            d.comment, d.synthetic, d.stored_by AS "storedBy", d.stored_at AS "storedAt"
       FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN org_unit o ON o.id = d.org_unit_id JOIN period p ON p.id = d.period_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY p.start_date, i.code, o.code, d.disagg LIMIT ${Math.floor(f.limit)}`,
    params,
  )).rows;
}

export interface HistoryEvent {
  action: 'create' | 'update' | 'delete';
  oldValue: number | null;
  newValue: number | null;
  oldNumerator: number | null;
  newNumerator: number | null;
  oldDenominator: number | null;
  newDenominator: number | null;
  oldComment: string | null;
  newComment: string | null;
  changedBy: string;
  changedAt: Date;
  importId: number | null;
}

interface HistoryRow {
  action: 'update' | 'delete';
  old_value: number | null; new_value: number | null; old_numerator: number | null; new_numerator: number | null;
  old_denominator: number | null; new_denominator: number | null; old_comment: string | null; new_comment: string | null;
  old_stored_by: string; old_stored_at: Date; changed_by: string; changed_at: Date; import_id: number | null;
}

const created = (value: number | null, numerator: number | null, denominator: number | null, comment: string | null, by: string, at: Date): HistoryEvent => ({
  action: 'create', oldValue: null, newValue: value, oldNumerator: null, newNumerator: numerator, oldDenominator: null,
  newDenominator: denominator, oldComment: null, newComment: comment, changedBy: by, changedAt: at, importId: null,
});

/**
 * The full timeline of one value. History rows record changes to a stored value; each first storing
 * (at creation, or after a delete) is read from the old side of the next change, or from the value itself.
 */
export async function dataValueHistory(
  db: Queryable,
  k: { indicator: string; orgUnit: string; period: string; disaggregation: string },
): Promise<HistoryEvent[]> {
  const key = [k.indicator, k.orgUnit, parsePeriod(k.period).code, canonicalDisaggregation(k.disaggregation)];
  const join = `JOIN indicator i ON i.id = t.indicator_id JOIN org_unit o ON o.id = t.org_unit_id JOIN period p ON p.id = t.period_id
    WHERE i.code = $1 AND o.code = $2 AND p.code = $3 AND t.disagg = $4`;
  const rows = (await db.query<HistoryRow>(`SELECT t.* FROM data_value_history t ${join} ORDER BY t.id`, key)).rows;
  const current = (await db.query<{ value: number | null; numerator: number | null; denominator: number | null; comment: string | null; stored_by: string; stored_at: Date }>(
    `SELECT t.value, t.numerator, t.denominator, t.comment, t.stored_by, t.stored_at FROM data_value t ${join}`, key)).rows[0];
  const events: HistoryEvent[] = [];
  for (const h of rows) {
    if (events.length === 0 || events.at(-1)!.action === 'delete') {
      events.push(created(h.old_value, h.old_numerator, h.old_denominator, h.old_comment, h.old_stored_by, h.old_stored_at));
    }
    events.push({
      action: h.action, oldValue: h.old_value, newValue: h.new_value, oldNumerator: h.old_numerator, newNumerator: h.new_numerator,
      oldDenominator: h.old_denominator, newDenominator: h.new_denominator, oldComment: h.old_comment, newComment: h.new_comment,
      changedBy: h.changed_by, changedAt: h.changed_at, importId: h.import_id,
    });
  }
  if (current && (events.length === 0 || events.at(-1)!.action === 'delete')) {
    events.push(created(current.value, current.numerator, current.denominator, current.comment, current.stored_by, current.stored_at));
  }
  return events;
}
