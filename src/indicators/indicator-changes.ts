/**
 * Who changed what for one indicator at an org unit and the units under it, newest first: each first storing,
 * each update with its old and new value, each removal. The same timeline dataValueHistory gives for one value.
 */
import type { Queryable } from '../db/database.ts';
import { InputError } from '../domain/row-error.ts';

export interface IndicatorChange {
  orgUnit: string;
  period: string;
  disaggregation: string;
  action: 'create' | 'update' | 'delete';
  oldValue: number | null;
  newValue: number | null;
  changedBy: string;
  changedAt: string;
}

export async function indicatorChanges(
  db: Queryable,
  req: { indicator: string; orgUnit: string; limit: number },
): Promise<IndicatorChange[]> {
  const ids = (await db.query<{ indicator_id: number | null; org_unit_id: number | null }>(
    `SELECT (SELECT id FROM indicator WHERE code = $1) AS indicator_id, (SELECT id FROM org_unit WHERE code = $2) AS org_unit_id`,
    [req.indicator, req.orgUnit])).rows[0]!;
  const errors = [];
  if (ids.indicator_id === null) errors.push({ row: 0, field: 'indicator', code: 'unknown_indicator', message: `unknown indicator "${req.indicator}"` });
  if (ids.org_unit_id === null) errors.push({ row: 0, field: 'orgUnit', code: 'unknown_org_unit', message: `unknown org unit "${req.orgUnit}"` });
  if (errors.length) throw new InputError(errors);
  // A history row's old side is a first storing when nothing came before it, or a removal did.
  return (await db.query<IndicatorChange>(
    `WITH scope AS (SELECT descendant_id AS id FROM org_unit_closure WHERE ancestor_id = $2),
     h AS (
       SELECT h.*, lag(h.action) OVER (PARTITION BY h.org_unit_id, h.period_id, h.disagg ORDER BY h.id) AS previous,
              last_value(h.action) OVER (PARTITION BY h.org_unit_id, h.period_id, h.disagg ORDER BY h.id
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS latest
         FROM data_value_history h WHERE h.indicator_id = $1 AND h.org_unit_id IN (SELECT id FROM scope)
     ),
     events AS (
       SELECT org_unit_id, period_id, disagg, action, old_value, new_value, changed_by AS by, changed_at AS at, id AS seq FROM h
       UNION ALL
       SELECT org_unit_id, period_id, disagg, 'create', NULL, old_value, old_stored_by, old_stored_at, id - 0.5 FROM h
        WHERE previous IS NULL OR previous = 'delete'
       UNION ALL
       SELECT d.org_unit_id, d.period_id, d.disagg, 'create', NULL, d.value, d.stored_by, d.stored_at, NULL
         FROM data_value d
        WHERE d.indicator_id = $1 AND d.org_unit_id IN (SELECT id FROM scope)
          AND coalesce((SELECT max(latest) FROM h WHERE h.org_unit_id = d.org_unit_id AND h.period_id = d.period_id
                          AND h.disagg = d.disagg), 'delete') = 'delete'
     )
     SELECT o.code AS "orgUnit", p.code AS period, e.disagg AS disaggregation, e.action, e.old_value AS "oldValue",
            e.new_value AS "newValue", e.by AS "changedBy", e.at AS "changedAt"
       FROM events e JOIN org_unit o ON o.id = e.org_unit_id JOIN period p ON p.id = e.period_id
      ORDER BY e.at DESC, e.seq DESC NULLS FIRST
      LIMIT ${Math.floor(req.limit)}`,
    [ids.indicator_id, ids.org_unit_id])).rows;
}
