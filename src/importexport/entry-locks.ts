/**
 * Which staged changes the workflow forbids: values of a submission that is submitted or approved (locked until
 * returned), of a period closed for entry (its framework's expiry days after it ended), or of a period that has
 * not begun. An active lock exception on the submission lifts the lock and the expiry. Set-based over the staged
 * cells, so a large import pays one join, and only cells that would change are checked.
 */
import type { Queryable } from '../db/database.ts';
import type { RowError } from '../domain/row-error.ts';

const LOCKED_DDL = 'CREATE TEMP TABLE IF NOT EXISTS import_locked (row_no integer NOT NULL) ON COMMIT DELETE ROWS';

interface LockedRow {
  row_no: number;
  reason: 'future' | 'locked' | 'closed';
  indicator: string;
  org_unit: string;
  period: string;
  framework: string;
  status: string | null;
  closed_on: string | null;
}

/** Fills `import_locked` with the refused rows and returns an error for each of the first `limit`. */
export async function checkEntryLocks(tx: Queryable, limit: number): Promise<{ errors: RowError[]; refused: number }> {
  await tx.exec(LOCKED_DDL);
  const inserted = await tx.query(
    `INSERT INTO import_locked
     SELECT f.row_no FROM import_final f ${REFUSAL_JOIN} WHERE f.action IN ('create', 'update', 'delete') AND ${REFUSED}`,
  );
  if (inserted.rowCount === 0) return { errors: [], refused: 0 };
  const rows = (await tx.query<LockedRow>(
    `SELECT f.row_no, CASE WHEN p.start_date > current_date THEN 'future' WHEN ${LOCKED_SUBMISSION} THEN 'locked' ELSE 'closed' END AS reason,
            i.code AS indicator, o.code AS org_unit, p.code AS period, fw.code AS framework, s.status,
            to_char(p.end_date + fw.entry_expiry_days, 'YYYY-MM-DD') AS closed_on
       FROM import_final f ${REFUSAL_JOIN} JOIN org_unit o ON o.id = f.org_unit_id
      WHERE f.row_no IN (SELECT row_no FROM import_locked) ORDER BY f.row_no LIMIT ${Math.floor(limit)}`,
  )).rows;
  return { errors: rows.map(lockError), refused: inserted.rowCount };
}

const REFUSAL_JOIN = `
  JOIN indicator i ON i.id = f.indicator_id JOIN objective ob ON ob.id = i.objective_id JOIN pillar pl ON pl.id = ob.pillar_id
  JOIN framework fw ON fw.id = pl.framework_id JOIN period p ON p.id = f.period_id
  LEFT JOIN submission s ON s.framework_id = fw.id AND s.org_unit_id = f.org_unit_id AND s.period_id = f.period_id`;

const LOCKED_SUBMISSION = `s.status IN ('submitted', 'approved_district', 'approved_province', 'accepted')`;

const REFUSED = `(p.start_date > current_date OR (
    (${LOCKED_SUBMISSION} OR (fw.entry_expiry_days IS NOT NULL AND p.end_date + fw.entry_expiry_days < current_date))
    AND NOT EXISTS (SELECT 1 FROM lock_exception le WHERE le.submission_id = s.id AND le.revoked_at IS NULL AND le.expires_at > now())))`;

function lockError(r: LockedRow): RowError {
  const report = `the ${r.framework} report of ${r.org_unit} for ${r.period}`;
  if (r.reason === 'future') {
    return { row: r.row_no, field: 'period', code: 'future_period', message: `${r.period} has not begun: values cannot be entered for a future period` };
  }
  if (r.reason === 'closed') {
    return { row: r.row_no, field: 'period', code: 'period_closed', message:
      `${r.period} closed for entry on ${r.closed_on}: ask an administrator for a lock exception on ${report} to change ${r.indicator}` };
  }
  const why = r.status === 'submitted'
    ? 'is submitted and awaits review: a reviewer can return it for changes'
    : `is ${r.status === 'accepted' ? 'accepted' : `approved at ${r.status === 'approved_district' ? 'district' : 'province'} level`}: approved data is locked unless an administrator grants a lock exception`;
  return { row: r.row_no, field: 'period', code: 'locked', message: `${r.indicator}: ${report} ${why}` };
}
