/** Reading submissions: a reader's list (or a reviewer's inbox) and one submission with its history. */
import type { Queryable } from '../db/database.ts';
import { parsePeriod } from '../domain/period.ts';
import type { OrgUnitLevel } from '../domain/org-unit.ts';
import { mayTakeStep, nextStep, type ApprovalStep, type SubmissionStatus, type StepLevel } from '../domain/workflow.ts';
import { ForbiddenError } from '../governance/authenticate.ts';
import type { Principal } from '../governance/principal.ts';
import { scopeUnitIds } from '../governance/scope.ts';
import { NotFoundError } from '../api/http-errors.ts';

export interface SubmissionEventView {
  action: string;
  from: string;
  to: string;
  reason: string | null;
  actor: string;
  at: string;
}

export interface SubmissionView {
  id: number;
  framework: string;
  orgUnit: string;
  orgUnitName: string;
  orgUnitNameUr: string;
  level: OrgUnitLevel;
  period: string;
  status: SubmissionStatus;
  updatedBy: string;
  updatedAt: string;
  /** The step the submission waits for, or null when nothing awaits review. */
  nextStep: Pick<ApprovalStep, 'level' | 'action'> | null;
  /** Whether the reader may take that step (the inbox lists exactly these). */
  canReview: boolean;
  /** Values stored at the unit for the framework's indicators in the period. */
  values: number;
  /** Evidence attached to the submission or to one of its values. */
  evidence: number;
  /** When an active lock exception ends, if one is active. */
  lockedUntil: string | null;
  events?: SubmissionEventView[];
}

export interface SubmissionFilter {
  framework?: string;
  orgUnit?: string;
  period?: string;
  status?: SubmissionStatus;
  /** Only what this reader can approve or return now. */
  inbox?: boolean;
  limit: number;
}

/** A submission's row with the ancestors at each approval level, as the reviews need them. */
export interface SubmissionRow {
  id: number;
  framework_id: number;
  framework: string;
  org_unit_id: number;
  org_unit: string;
  name_en: string;
  name_ur: string;
  level: OrgUnitLevel;
  period_id: number;
  period: string;
  status: SubmissionStatus;
  updated_by: string;
  updated_at: Date;
  district_id: number | null;
  province_id: number | null;
  country_id: number | null;
  locked_until: Date | null;
}

export const SUBMISSION_SELECT = `
  SELECT s.id, s.framework_id, fw.code AS framework, s.org_unit_id, o.code AS org_unit, o.name_en, o.name_ur, o.level,
         s.period_id, p.code AS period, s.status, s.updated_by, s.updated_at,
         (SELECT a.id FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id WHERE c.descendant_id = o.id AND a.level = 'district' LIMIT 1) AS district_id,
         (SELECT a.id FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id WHERE c.descendant_id = o.id AND a.level = 'province' LIMIT 1) AS province_id,
         (SELECT a.id FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id WHERE c.descendant_id = o.id AND a.level = 'country' LIMIT 1) AS country_id,
         (SELECT max(le.expires_at) FROM lock_exception le WHERE le.submission_id = s.id AND le.revoked_at IS NULL AND le.expires_at > now()) AS locked_until
    FROM submission s JOIN framework fw ON fw.id = s.framework_id JOIN org_unit o ON o.id = s.org_unit_id JOIN period p ON p.id = s.period_id`;

export function ancestorsOf(r: SubmissionRow): Partial<Record<StepLevel, number>> {
  const out: Partial<Record<StepLevel, number>> = {};
  if (r.district_id !== null) out.district = r.district_id;
  if (r.province_id !== null) out.province = r.province_id;
  if (r.country_id !== null) out.country = r.country_id;
  return out;
}

/**
 * Whether the principal may take the step a submission waits for: a reviewer whose grant sits on the unit's
 * ancestor at the step's level, or an administrator whose scope covers the unit (to unblock a vacant post).
 */
export async function mayReview(db: Queryable, p: Principal, r: SubmissionRow): Promise<boolean> {
  const step = nextStep(r.status, r.level);
  if (!step) return false;
  const reviewerGrants = p.grants.filter((g) => g.role === 'reviewer');
  if (mayTakeStep(reviewerGrants, step, ancestorsOf(r))) return true;
  if (!p.grants.some((g) => g.role === 'admin')) return false;
  const adminOnly = { ...p, grants: p.grants.filter((g) => g.role === 'admin') };
  return (await scopeUnitIds(db, adminOnly, 'administer')).has(r.org_unit_id);
}

export async function findSubmissions(db: Queryable, p: Principal, f: SubmissionFilter): Promise<SubmissionView[]> {
  const scope = [...await scopeUnitIds(db, p, 'read')];
  const where = [`s.org_unit_id = ANY($1::int[])`];
  const params: unknown[] = [scope];
  if (f.framework) where.push(`fw.code = $${params.push(f.framework)}`);
  if (f.orgUnit) where.push(`o.code = $${params.push(f.orgUnit)}`);
  if (f.period) where.push(`p.code = $${params.push(parsePeriod(f.period).code)}`);
  if (f.status) where.push(`s.status = $${params.push(f.status)}`);
  if (f.inbox) where.push(`s.status IN ('submitted', 'approved_district', 'approved_province')`);
  const rows = (await db.query<SubmissionRow>(
    `${SUBMISSION_SELECT} WHERE ${where.join(' AND ')} ORDER BY p.start_date DESC, o.code, fw.code LIMIT ${f.inbox ? 10_000 : Math.floor(f.limit)}`,
    params)).rows;
  const reviewable = await Promise.all(rows.map((r) => mayReview(db, p, r)));
  const kept = rows.map((r, i) => ({ r, canReview: reviewable[i]! })).filter((x) => !f.inbox || x.canReview).slice(0, f.limit);
  const counts = await submissionCounts(db, kept.map((x) => x.r));
  return kept.map(({ r, canReview }) => toView(r, canReview, counts.get(r.id) ?? { values: 0, evidence: 0 }));
}

/** One submission with its history; 404 when unknown, 403 when outside the reader's org units. */
export async function submissionById(db: Queryable, p: Principal, id: number): Promise<SubmissionView> {
  const r = await submissionRow(db, id);
  if (!(await scopeUnitIds(db, p, 'read')).has(r.org_unit_id)) throw new ForbiddenError(`submission ${id} is outside your org units`);
  const counts = await submissionCounts(db, [r]);
  const events = (await db.query<{ action: string; from_status: string; to_status: string; reason: string | null; actor: string; at: Date }>(
    'SELECT action, from_status, to_status, reason, actor, at FROM submission_event WHERE submission_id = $1 ORDER BY at, id', [id])).rows;
  return {
    ...toView(r, await mayReview(db, p, r), counts.get(r.id) ?? { values: 0, evidence: 0 }),
    events: events.map((e) => ({ action: e.action, from: e.from_status, to: e.to_status, reason: e.reason, actor: e.actor, at: e.at.toISOString() })),
  };
}

export async function submissionRow(db: Queryable, id: number, forUpdate = false): Promise<SubmissionRow> {
  if (forUpdate) await db.query('SELECT 1 FROM submission WHERE id = $1 FOR UPDATE', [id]);
  const r = (await db.query<SubmissionRow>(`${SUBMISSION_SELECT} WHERE s.id = $1`, [id])).rows[0];
  if (!r) throw new NotFoundError(`submission ${id}`);
  return r;
}

async function submissionCounts(db: Queryable, rows: SubmissionRow[]): Promise<Map<number, { values: number; evidence: number }>> {
  if (rows.length === 0) return new Map();
  const res = await db.query<{ id: number; values: number; evidence: number }>(
    `SELECT k.id,
            (SELECT count(*)::int FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN objective ob ON ob.id = i.objective_id
               JOIN pillar pl ON pl.id = ob.pillar_id
              WHERE d.org_unit_id = k.org_unit_id AND d.period_id = k.period_id AND pl.framework_id = k.framework_id) AS values,
            (SELECT count(*)::int FROM evidence e
              WHERE e.submission_id = k.id
                 OR (e.org_unit_id = k.org_unit_id AND e.period_id = k.period_id AND e.indicator_id IN (
                      SELECT i.id FROM indicator i JOIN objective ob ON ob.id = i.objective_id JOIN pillar pl ON pl.id = ob.pillar_id
                       WHERE pl.framework_id = k.framework_id))) AS evidence
       FROM unnest($1::int[], $2::int[], $3::int[], $4::int[]) AS k(id, framework_id, org_unit_id, period_id)`,
    [rows.map((r) => r.id), rows.map((r) => r.framework_id), rows.map((r) => r.org_unit_id), rows.map((r) => r.period_id)]);
  return new Map(res.rows.map((r) => [r.id, { values: r.values, evidence: r.evidence }]));
}

function toView(r: SubmissionRow, canReview: boolean, counts: { values: number; evidence: number }): SubmissionView {
  const step = nextStep(r.status, r.level);
  return {
    id: r.id, framework: r.framework, orgUnit: r.org_unit, orgUnitName: r.name_en, orgUnitNameUr: r.name_ur, level: r.level,
    period: r.period, status: r.status, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString(),
    nextStep: step ? { level: step.level, action: step.action } : null, canReview,
    values: counts.values, evidence: counts.evidence, lockedUntil: r.locked_until ? r.locked_until.toISOString() : null,
  };
}
