/**
 * Time-limited permission to change a report whose data is locked (approved) or whose period has closed for
 * entry. Granted and revoked by an administrator whose scope covers the unit, with a reason, and audited.
 */
import type { Database, Queryable } from '../db/database.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { parsePeriod } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';
import { ForbiddenError } from '../governance/authenticate.ts';
import type { Principal } from '../governance/principal.ts';
import { scopeUnitIds } from '../governance/scope.ts';
import { NotFoundError } from '../api/http-errors.ts';
import { ensureSubmission, resolveKey, type SubmissionKey } from './submission-service.ts';
import { submissionRow } from './submission-queries.ts';

/** The longest exception: a month. Anything longer is a reopened period, not an exception. */
export const MAX_EXCEPTION_HOURS = 24 * 31;

export interface LockExceptionView {
  id: number;
  submissionId: number;
  framework: string;
  orgUnit: string;
  period: string;
  status: string;
  reason: string;
  grantedBy: string;
  grantedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  active: boolean;
}

export type LockExceptionTarget = { submissionId: number } | SubmissionKey;

const SELECT = `
  SELECT le.id, le.submission_id, fw.code AS framework, o.code AS org_unit, o.id AS org_unit_id, p.code AS period, s.status, le.reason,
         le.granted_by, le.granted_at, le.expires_at, le.revoked_at, (le.revoked_at IS NULL AND le.expires_at > now()) AS active
    FROM lock_exception le JOIN submission s ON s.id = le.submission_id JOIN framework fw ON fw.id = s.framework_id
    JOIN org_unit o ON o.id = s.org_unit_id JOIN period p ON p.id = s.period_id`;

interface Row {
  id: number; submission_id: number; framework: string; org_unit: string; org_unit_id: number; period: string; status: string;
  reason: string; granted_by: string; granted_at: Date; expires_at: Date; revoked_at: Date | null; active: boolean;
}

const view = (r: Row): LockExceptionView => ({
  id: r.id, submissionId: r.submission_id, framework: r.framework, orgUnit: r.org_unit, period: r.period, status: r.status,
  reason: r.reason, grantedBy: r.granted_by, grantedAt: r.granted_at.toISOString(), expiresAt: r.expires_at.toISOString(),
  revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null, active: r.active,
});

async function assertAdministers(db: Queryable, p: Principal, orgUnitId: number, orgUnit: string): Promise<void> {
  if (!(await scopeUnitIds(db, p, 'administer')).has(orgUnitId)) throw new ForbiddenError(`${orgUnit} is outside the org units you administer`);
}

export async function listLockExceptions(db: Queryable, p: Principal, f: { active?: boolean; submissionId?: number }): Promise<LockExceptionView[]> {
  const where = ['s.org_unit_id = ANY($1::int[])'];
  const params: unknown[] = [[...await scopeUnitIds(db, p, 'administer')]];
  if (f.active) where.push('le.revoked_at IS NULL AND le.expires_at > now()');
  if (f.submissionId !== undefined) where.push(`le.submission_id = $${params.push(f.submissionId)}`);
  return (await db.query<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY le.granted_at DESC, le.id DESC LIMIT 1000`, params)).rows.map(view);
}

/**
 * Grants an exception on a submission, named by id or by its report (framework, unit, period): a closed period
 * may have no submission yet, and one is created as a draft so the exception has something to hang on.
 */
export async function grantLockException(
  db: Database, p: Principal, target: LockExceptionTarget, reason: string, hours: number,
): Promise<LockExceptionView> {
  const why = reason.trim();
  if (!why) throw new InputError([{ row: 0, field: 'reason', code: 'required', message: 'a lock exception needs a reason the audit trail can show' }]);
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_EXCEPTION_HOURS) {
    throw new InputError([{ row: 0, field: 'hours', code: 'out_of_range', message: `an exception lasts 1 to ${MAX_EXCEPTION_HOURS} hours (31 days)` }]);
  }
  const id = await db.transaction(async (tx) => {
    let submissionId: number;
    if ('submissionId' in target) {
      submissionId = target.submissionId;
    } else {
      const ids = await resolveKey(tx, target);
      const period = parsePeriod(ids.period);
      // Periods are created on first use; an exception may be the first use of an old period's code.
      await tx.query(`INSERT INTO period (code, type, start_date, end_date) VALUES ($1, $2, $3::date, $4::date) ON CONFLICT (code) DO NOTHING`,
        [period.code, period.type, period.start, period.end]);
      const periodId = (await tx.query<{ id: number }>('SELECT id FROM period WHERE code = $1', [period.code])).rows[0]!.id;
      submissionId = await ensureSubmission(tx, { frameworkId: ids.frameworkId, orgUnitId: ids.orgUnitId, periodId }, p.username);
    }
    const sub = await submissionRow(tx, submissionId);
    await assertAdministers(tx, p, sub.org_unit_id, sub.org_unit);
    const row = (await tx.query<{ id: number; expires_at: Date }>(
      `INSERT INTO lock_exception (submission_id, reason, granted_by, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))
       RETURNING id, expires_at`, [submissionId, why, p.username, hours])).rows[0]!;
    await appendAudit(tx, {
      actor: p.username, action: 'lock_exception.grant', entity: 'lock_exception', entityId: row.id, orgUnit: sub.org_unit,
      detail: { submissionId, framework: sub.framework, period: sub.period, status: sub.status, reason: why, hours, expiresAt: row.expires_at.toISOString() },
    });
    return row.id;
  });
  return (await lockExceptionById(db, id))!;
}

/** Ends an exception before its time; revoking one that has already ended changes nothing and says so. */
export async function revokeLockException(db: Database, p: Principal, id: number): Promise<LockExceptionView> {
  await db.transaction(async (tx) => {
    const le = await lockExceptionById(tx, id);
    if (!le) throw new NotFoundError(`lock exception ${id}`);
    const unit = (await tx.query<{ org_unit_id: number }>('SELECT org_unit_id FROM submission WHERE id = $1', [le.submissionId])).rows[0]!;
    await assertAdministers(tx, p, unit.org_unit_id, le.orgUnit);
    if (!le.active) throw Object.assign(new Error(`lock exception ${id} has already ${le.revokedAt ? 'been revoked' : 'expired'}`), { statusCode: 409, code: 'conflict' });
    await tx.query('UPDATE lock_exception SET revoked_at = now() WHERE id = $1', [id]);
    await appendAudit(tx, {
      actor: p.username, action: 'lock_exception.revoke', entity: 'lock_exception', entityId: id, orgUnit: le.orgUnit,
      detail: { submissionId: le.submissionId, framework: le.framework, period: le.period },
    });
  });
  return (await lockExceptionById(db, id))!;
}

async function lockExceptionById(db: Queryable, id: number): Promise<LockExceptionView | null> {
  const r = (await db.query<Row>(`${SELECT} WHERE le.id = $1`, [id])).rows[0];
  return r ? view(r) : null;
}
