/** A principal's reach over the org-unit tree, resolved against the closure table. */
import type { Queryable } from '../db/database.ts';
import { grantRoots } from './permissions.ts';
import type { Principal } from './principal.ts';
import type { Permission } from './route-access.ts';

/** Every org unit id within the principal's scope for the permission (the grant units and everything under them). */
export async function scopeUnitIds(db: Queryable, p: Principal, permission: Permission): Promise<Set<number>> {
  const roots = grantRoots(p, permission);
  if (roots.length === 0) return new Set();
  const rows = (await db.query<{ id: number }>(
    'SELECT DISTINCT descendant_id AS id FROM org_unit_closure WHERE ancestor_id = ANY($1::int[])', [roots])).rows;
  return new Set(rows.map((r) => r.id));
}

/** Whether every named org unit (by code) lies within scope; unknown codes are not in scope. */
export async function unitsInScope(db: Queryable, p: Principal, permission: Permission, codes: string[]): Promise<{ ok: boolean; outside: string[] }> {
  const roots = grantRoots(p, permission);
  if (codes.length === 0) return { ok: true, outside: [] };
  const rows = (await db.query<{ code: string }>(
    `SELECT o.code FROM org_unit o WHERE o.code = ANY($1::text[])
        AND EXISTS (SELECT 1 FROM org_unit_closure c WHERE c.descendant_id = o.id AND c.ancestor_id = ANY($2::int[]))`,
    [codes, roots])).rows;
  const inside = new Set(rows.map((r) => r.code));
  const outside = codes.filter((c) => !inside.has(c));
  return { ok: outside.length === 0, outside };
}
