/** Loading a user's role grants, with each org unit's code beside its id: every principal carries them. */
import type { Queryable } from '../db/database.ts';
import type { RoleGrant, Role } from './principal.ts';

export async function loadGrants(db: Queryable, userId: number): Promise<RoleGrant[]> {
  const rows = (await db.query<{ role: Role; code: string; id: number }>(
    `SELECT r.role, o.code, o.id FROM user_role r JOIN org_unit o ON o.id = r.org_unit_id
      WHERE r.user_id = $1 ORDER BY o.code, r.role`, [userId])).rows;
  return rows.map((r) => ({ role: r.role, orgUnit: r.code, orgUnitId: r.id }));
}
