/**
 * Moving submissions through the workflow: a clerk submits a unit's report, reviewers approve or return it
 * step by step, NACTA accepts it. Each move checks the status it starts from under a row lock, records an event
 * and appends an audit entry in the same transaction, so history and status never disagree.
 */
import type { Database, Queryable } from '../db/database.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { parsePeriod } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';
import { nextStep, transition, WorkflowError, type WorkflowAction } from '../domain/workflow.ts';
import { ForbiddenError } from '../governance/authenticate.ts';
import type { Principal } from '../governance/principal.ts';
import { mayReview, submissionById, submissionRow, type SubmissionRow, type SubmissionView } from './submission-queries.ts';

export interface SubmissionKey {
  framework: string;
  orgUnit: string;
  period: string;
}

interface KeyIds {
  frameworkId: number;
  orgUnitId: number;
  periodId: number | null;
  period: string;
}

function keyError(field: string, message: string): InputError {
  return new InputError([{ row: 0, field, code: 'unknown', message }]);
}

/** The ids of a report's framework, unit and period; the period may not exist yet (nothing stored for it). */
export async function resolveKey(db: Queryable, k: SubmissionKey): Promise<KeyIds> {
  const period = parsePeriod(k.period).code;
  const r = (await db.query<{ framework_id: number | null; org_unit_id: number | null; period_id: number | null }>(
    `SELECT (SELECT id FROM framework WHERE code = $1) AS framework_id, (SELECT id FROM org_unit WHERE code = $2) AS org_unit_id,
            (SELECT id FROM period WHERE code = $3) AS period_id`, [k.framework, k.orgUnit, period])).rows[0]!;
  if (r.framework_id === null) throw keyError('framework', `no framework ${k.framework}`);
  if (r.org_unit_id === null) throw keyError('orgUnit', `no org unit ${k.orgUnit}`);
  return { frameworkId: r.framework_id, orgUnitId: r.org_unit_id, periodId: r.period_id, period };
}

/** The submission of a report, created as a draft when the report has none yet. */
export async function ensureSubmission(tx: Queryable, ids: { frameworkId: number; orgUnitId: number; periodId: number }, actor: string): Promise<number> {
  await tx.query(
    `INSERT INTO submission (framework_id, org_unit_id, period_id, status, updated_by) VALUES ($1, $2, $3, 'draft', $4)
     ON CONFLICT (framework_id, org_unit_id, period_id) DO NOTHING`, [ids.frameworkId, ids.orgUnitId, ids.periodId, actor]);
  return (await tx.query<{ id: number }>(
    'SELECT id FROM submission WHERE framework_id = $1 AND org_unit_id = $2 AND period_id = $3', [ids.frameworkId, ids.orgUnitId, ids.periodId])).rows[0]!.id;
}

/** Submits a unit's report for review: it must hold values, and be a draft or returned. */
export async function submitReport(db: Database, p: Principal, key: SubmissionKey): Promise<SubmissionView> {
  const ids = await resolveKey(db, key);
  const values = ids.periodId === null ? 0 : (await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN objective ob ON ob.id = i.objective_id
       JOIN pillar pl ON pl.id = ob.pillar_id WHERE d.org_unit_id = $1 AND d.period_id = $2 AND pl.framework_id = $3`,
    [ids.orgUnitId, ids.periodId, ids.frameworkId])).rows[0]!.n;
  if (values === 0 || ids.periodId === null) {
    throw new InputError([{ row: 0, field: 'period', code: 'nothing_to_submit', message:
      `${key.orgUnit} has no ${key.framework} values for ${ids.period}: enter or import them before submitting` }]);
  }
  const periodId = ids.periodId;
  const id = await db.transaction(async (tx) => {
    const sid = await ensureSubmission(tx, { frameworkId: ids.frameworkId, orgUnitId: ids.orgUnitId, periodId }, p.username);
    await move(tx, p, await submissionRow(tx, sid, true), 'submit');
    return sid;
  });
  return submissionById(db, p, id);
}

/** Approves (or, at the last step, accepts) or returns one submission, as the reviewer whose step it is. */
export async function reviewSubmission(db: Database, p: Principal, id: number, action: 'approve' | 'return', reason?: string): Promise<SubmissionView> {
  await db.transaction(async (tx) => {
    const row = await submissionRow(tx, id, true);
    await assertMayReview(tx, p, row, action);
    await move(tx, p, row, action, reason);
  });
  return submissionById(db, p, id);
}

export interface BulkResult {
  approved: number[];
  failed: { id: number; status: number; message: string }[];
}

/** Approves each submission on its own: one that cannot be approved is reported and does not hold back the others. */
export async function bulkApprove(db: Database, p: Principal, ids: number[]): Promise<BulkResult> {
  const out: BulkResult = { approved: [], failed: [] };
  for (const id of [...new Set(ids)]) {
    try {
      await reviewSubmission(db, p, id, 'approve');
      out.approved.push(id);
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (!status || status >= 500) throw e;
      out.failed.push({ id, status, message: (e as Error).message });
    }
  }
  return out;
}

async function assertMayReview(tx: Queryable, p: Principal, row: SubmissionRow, action: 'approve' | 'return'): Promise<void> {
  const step = nextStep(row.status, row.level);
  // A submission that awaits nothing gets the workflow's own 409 from the transition.
  if (!step || await mayReview(tx, p, row)) return;
  const where = step.level === 'country' ? 'NACTA (a national reviewer)' : `a reviewer of the ${step.level} above ${row.org_unit}`;
  throw new ForbiddenError(`this ${row.framework} report of ${row.org_unit} for ${row.period} waits for ${where}: you cannot ${action} it`);
}

async function move(tx: Queryable, p: Principal, row: SubmissionRow, action: WorkflowAction, reason?: string): Promise<void> {
  const t = transition(row.status, row.level, action, reason);
  const updated = await tx.query(
    'UPDATE submission SET status = $2, updated_by = $3, updated_at = now() WHERE id = $1 AND status = $4',
    [row.id, t.to, p.username, t.from]);
  if (updated.rowCount !== 1) throw new WorkflowError(409, 'conflict', 'the submission changed while this request ran: reload it');
  await tx.query(
    'INSERT INTO submission_event (submission_id, action, from_status, to_status, reason, actor) VALUES ($1, $2, $3, $4, $5, $6)',
    [row.id, t.action, t.from, t.to, t.reason, p.username]);
  await appendAudit(tx, {
    actor: p.username, action: `submission.${t.action}`, entity: 'submission', entityId: row.id, orgUnit: row.org_unit,
    detail: { framework: row.framework, period: row.period, from: t.from, to: t.to, ...(t.reason ? { reason: t.reason } : {}) },
  });
}
