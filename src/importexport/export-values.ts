/** Reads stored values for export in id order, a page at a time, so exports stream at any size. */
import type { Queryable } from '../db/database.ts';
import type { UnitType } from '../domain/framework.ts';
import { parsePeriod } from '../domain/period.ts';

export interface ExportValue {
  indicator: string;
  orgUnit: string;
  period: string;
  disaggregation: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
  storedBy: string;
  storedAt: Date;
  unitType: UnitType;
  synthetic: boolean;
}

export interface ExportFilter {
  framework?: string;
  indicators?: string[];
  /** An org unit code: the unit and everything under it. */
  orgUnit?: string;
  /** Period codes: values of those periods, or of periods inside them (2025 covers 2025Q1–Q4). */
  periods?: string[];
}

export async function* exportValues(db: Queryable, filter: ExportFilter = {}, pageSize = 10_000): AsyncGenerator<ExportValue> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.framework) {
    where.push(`i.objective_id IN (SELECT o.id FROM objective o JOIN pillar p ON p.id = o.pillar_id JOIN framework f ON f.id = p.framework_id WHERE f.code = $${params.push(filter.framework)})`);
  }
  if (filter.indicators?.length) where.push(`i.code = ANY($${params.push(filter.indicators)}::text[])`);
  if (filter.orgUnit) {
    where.push(`d.org_unit_id IN (SELECT c.descendant_id FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id WHERE a.code = $${params.push(filter.orgUnit)})`);
  }
  if (filter.periods?.length) {
    const ranges = filter.periods.map((c) => parsePeriod(c));
    where.push(`(${ranges.map((r) => `(p.start_date >= $${params.push(r.start)}::date AND p.end_date <= $${params.push(r.end)}::date)`).join(' OR ')})`);
  }
  let after = 0;
  for (;;) {
    const res = await db.query<ExportValue & { id: number }>(
      `SELECT d.id, i.code AS indicator, o.code AS "orgUnit", p.code AS period, d.disagg AS disaggregation, d.value, d.numerator,
              d.denominator, d.comment, d.stored_by AS "storedBy", d.stored_at AS "storedAt", i.unit_type AS "unitType", d.synthetic
         FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN org_unit o ON o.id = d.org_unit_id JOIN period p ON p.id = d.period_id
        WHERE d.id > $${params.length + 1} ${where.length ? `AND ${where.join(' AND ')}` : ''}
        ORDER BY d.id LIMIT ${pageSize}`,
      [...params, after],
    );
    for (const { id, ...v } of res.rows) {
      after = id;
      yield v;
    }
    if (res.rows.length < pageSize) return;
  }
}
