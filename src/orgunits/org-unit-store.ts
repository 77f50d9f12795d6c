import type { Queryable } from '../db/database.ts';
import { rebuildAllRollups } from '../rollups/rollup-maintenance.ts';
import { closurePairs, type OrgUnitChange, type OrgUnitDef } from '../domain/org-unit.ts';

export interface OrgUnitRow {
  id: number;
  code: string;
  nameEn: string;
  nameUr: string;
  level: string;
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  status: string;
}

/**
 * Inserts or updates org units by code and rebuilds the closure table in the same transaction,
 * so roll-ups always see one consistent tree.
 */
export async function upsertOrgUnits(tx: Queryable, units: OrgUnitDef[], changes: OrgUnitChange[] = []): Promise<void> {
  const codes = new Set(units.map((u) => u.code));
  for (const u of units) {
    if (u.parent && !codes.has(u.parent)) {
      const known = await tx.query('SELECT 1 FROM org_unit WHERE code = $1', [u.parent]);
      if (known.rowCount === 0) throw new Error(`org unit ${u.code}: parent ${u.parent} does not exist`);
    }
  }
  await tx.query(
    `INSERT INTO org_unit (code, name_en, name_ur, level, kind, status, valid_from, valid_to, note, aliases)
     SELECT code, name_en, name_ur, level, kind, status, valid_from::date, valid_to::date, note,
            CASE WHEN aliases = '' THEN '{}'::text[] ELSE string_to_array(aliases, '|') END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         AS t(code, name_en, name_ur, level, kind, status, valid_from, valid_to, note, aliases)
     ON CONFLICT (code) DO UPDATE SET name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur, level = EXCLUDED.level,
       kind = EXCLUDED.kind, status = EXCLUDED.status, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
       note = EXCLUDED.note, aliases = EXCLUDED.aliases`,
    [
      units.map((u) => u.code),
      units.map((u) => u.nameEn),
      units.map((u) => u.nameUr),
      units.map((u) => u.level),
      units.map((u) => u.kind ?? null),
      units.map((u) => u.status ?? 'active'),
      units.map((u) => u.validFrom),
      units.map((u) => u.validTo),
      units.map((u) => u.note ?? null),
      units.map((u) => (u.aliases ?? []).join('|')),
    ],
  );
  await tx.query(
    `UPDATE org_unit o SET parent_id = p.id
       FROM unnest($1::text[], $2::text[]) AS t(code, parent) JOIN org_unit p ON p.code = t.parent
      WHERE o.code = t.code`,
    [units.filter((u) => u.parent).map((u) => u.code), units.filter((u) => u.parent).map((u) => u.parent)],
  );
  // Subtree sums depend on the tree: when it moved, every pre-aggregate is recomputed.
  if (await rebuildClosure(tx)) await rebuildAllRollups(tx);
  if (changes.length > 0) {
    const flat = changes.flatMap((c) => c.predecessors.map((p) => ({ ...c, predecessor: p })));
    const res = await tx.query<{ n: number }>(
      `INSERT INTO org_unit_predecessor (org_unit_id, predecessor_id, change_kind, effective)
       SELECT o.id, p.id, t.kind, t.effective::date
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(code, predecessor, kind, effective)
         JOIN org_unit o ON o.code = t.code JOIN org_unit p ON p.code = t.predecessor
       ON CONFLICT (org_unit_id, predecessor_id) DO UPDATE SET change_kind = EXCLUDED.change_kind, effective = EXCLUDED.effective`,
      [flat.map((f) => f.code), flat.map((f) => f.predecessor), flat.map((f) => f.kind), flat.map((f) => f.effective)],
    );
    if (res.rowCount !== flat.length) throw new Error('an org-unit change names a unit that does not exist');
  }
}

/**
 * The closure table is derived from parent links; rebuilding it whole is cheap at a few hundred units.
 * Answers whether it changed.
 */
export async function rebuildClosure(tx: Queryable): Promise<boolean> {
  const rows = (await tx.query<{ code: string; parent: string | null }>(
    'SELECT o.code, p.code AS parent FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id',
  )).rows;
  const pairs = closurePairs(rows);
  const stored = await tx.query<{ pair: string }>(
    `SELECT a.code || '>' || d.code || '>' || c.depth AS pair
       FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id JOIN org_unit d ON d.id = c.descendant_id`);
  const before = new Set(stored.rows.map((r) => r.pair));
  if (before.size === pairs.length && pairs.every((p) => before.has(p.join('>')))) return false;
  await tx.query('DELETE FROM org_unit_closure');
  await tx.query(
    `INSERT INTO org_unit_closure (ancestor_id, descendant_id, depth)
     SELECT a.id, d.id, t.depth FROM unnest($1::text[], $2::text[], $3::int[]) AS t(anc, des, depth)
       JOIN org_unit a ON a.code = t.anc JOIN org_unit d ON d.code = t.des`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2])],
  );
  return true;
}

const SELECT_UNITS = `SELECT o.id, o.code, o.name_en AS "nameEn", o.name_ur AS "nameUr", o.level, p.code AS "parentCode",
  to_char(o.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(o.valid_to, 'YYYY-MM-DD') AS "validTo", o.status
  FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id`;

export async function listOrgUnits(db: Queryable, opts: { level?: string; parent?: string } = {}): Promise<OrgUnitRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.level) where.push(`o.level = $${params.push(opts.level)}`);
  if (opts.parent) where.push(`p.code = $${params.push(opts.parent)}`);
  const sql = `${SELECT_UNITS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id`;
  return (await db.query<OrgUnitRow>(sql, params)).rows;
}

export async function getOrgUnit(db: Queryable, code: string): Promise<(OrgUnitRow & { predecessors: string[]; successors: string[] }) | null> {
  const unit = (await db.query<OrgUnitRow>(`${SELECT_UNITS} WHERE o.code = $1`, [code])).rows[0];
  if (!unit) return null;
  const pred = await db.query<{ code: string }>(
    `SELECT p.code FROM org_unit_predecessor x JOIN org_unit p ON p.id = x.predecessor_id WHERE x.org_unit_id = $1 ORDER BY p.code`,
    [unit.id],
  );
  const succ = await db.query<{ code: string }>(
    `SELECT s.code FROM org_unit_predecessor x JOIN org_unit s ON s.id = x.org_unit_id WHERE x.predecessor_id = $1 ORDER BY s.code`,
    [unit.id],
  );
  return { ...unit, predecessors: pred.rows.map((r) => r.code), successors: succ.rows.map((r) => r.code) };
}
