/** Marks every report that holds values as accepted by NACTA, as the top of the workflow would: what publications read. */
import type { Queryable } from '../src/db/database.ts';

export async function acceptAll(db: Queryable, except: { orgUnit: string; period: string; status: string }[] = []): Promise<void> {
  await db.query(
    `INSERT INTO submission (framework_id, org_unit_id, period_id, status, updated_by)
     SELECT DISTINCT pl.framework_id, d.org_unit_id, d.period_id, 'accepted', 'test'
       FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN objective ob ON ob.id = i.objective_id
       JOIN pillar pl ON pl.id = ob.pillar_id
     ON CONFLICT (framework_id, org_unit_id, period_id) DO UPDATE SET status = 'accepted'`);
  for (const e of except) {
    await db.query(
      `UPDATE submission s SET status = $3 FROM org_unit o, period p
        WHERE o.id = s.org_unit_id AND p.id = s.period_id AND o.code = $1 AND p.code = $2`, [e.orgUnit, e.period, e.status]);
  }
}
