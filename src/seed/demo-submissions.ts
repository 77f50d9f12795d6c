/**
 * The demo's approval workflow: every report (framework × org unit × period holding values) gets a submission.
 * Reports of periods before the latest seeded quarter are accepted, so the portal and the packs have history;
 * the latest quarter is a realistic mix (accepted, waiting at each level, submitted, one returned with a reason),
 * so every reviewer's inbox holds work. The same unit always gets the same status, run after run.
 */
import type { Database } from '../db/database.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { approvalChain, type SubmissionStatus } from '../domain/workflow.ts';
import type { OrgUnitLevel } from '../domain/org-unit.ts';

const ACTOR = 'demo-seed';
/**
 * The demo clerk's and reviewer's district: its latest NPVE report is returned, so the clerk sees a return and its
 * reason; its other latest reports are submitted, so the district reviewer's inbox holds work.
 */
const DEMO_DISTRICT = 'PK-PB-LHR';
const RETURNED_FRAMEWORK = 'NPVE-2024';
const RETURN_REASON =
  'The sex breakdown of people trained does not add up to the total for the quarter. Please check the training register and resubmit.';
/** Share of the latest quarter's reports at each status, by a unit's place in ten. */
const LATEST_MIX: SubmissionStatus[] = [
  'accepted', 'accepted', 'accepted', 'accepted', 'approved_province', 'approved_province', 'approved_district', 'submitted', 'submitted', 'returned',
];
const DAY = 86_400_000;

interface ReportKey {
  framework_id: number;
  framework: string;
  org_unit_id: number;
  org_unit: string;
  level: OrgUnitLevel;
  period_id: number;
  end_date: string;
  latest: boolean;
}

/** The status a report's submission has in the demo; a status its unit's chain does not pass falls back to one it does. */
function demoStatus(k: ReportKey): SubmissionStatus {
  if (!k.latest) return 'accepted';
  if (k.org_unit === DEMO_DISTRICT) return k.framework === RETURNED_FRAMEWORK ? 'returned' : 'submitted';
  const wanted = LATEST_MIX[(k.org_unit_id * 31 + k.framework_id * 7) % LATEST_MIX.length]!;
  const passes = new Set<SubmissionStatus>(['submitted', 'returned', ...approvalChain(k.level).map((s) => s.to)]);
  return passes.has(wanted) ? wanted : 'submitted';
}

interface Event { action: string; from: string; to: string; reason: string | null; at: Date }

/** The steps that led to a status: submitted ten days after the period ended, each review ten days later. */
function history(k: ReportKey, status: SubmissionStatus, now: Date): Event[] {
  let at = new Date(Date.parse(k.end_date) + 10 * DAY);
  const clamp = (d: Date) => (d > now ? now : d);
  const events: Event[] = [{ action: 'submit', from: 'draft', to: 'submitted', reason: null, at: clamp(at) }];
  if (status === 'returned') {
    at = new Date(at.getTime() + 10 * DAY);
    events.push({ action: 'return', from: 'submitted', to: 'returned', reason: RETURN_REASON, at: clamp(at) });
    return events;
  }
  let from: SubmissionStatus = 'submitted';
  for (const step of approvalChain(k.level)) {
    if (from === status) break;
    at = new Date(at.getTime() + 10 * DAY);
    events.push({ action: step.action, from, to: step.to, reason: null, at: clamp(at) });
    from = step.to;
  }
  return events;
}

/** Creates the demo's submissions and their histories; reports that already have a submission are left as they are. */
export async function seedDemoSubmissions(db: Database, now = new Date()): Promise<Record<SubmissionStatus, number>> {
  return db.transaction(async (tx) => {
    const keys = (await tx.query<ReportKey>(
      `WITH reports AS (
         SELECT DISTINCT pl.framework_id, d.org_unit_id, d.period_id
           FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN objective ob ON ob.id = i.objective_id
           JOIN pillar pl ON pl.id = ob.pillar_id
          WHERE d.synthetic),
       latest AS (
         SELECT max(p.start_date) AS start_date FROM period p WHERE p.type = 'quarterly' AND p.id IN (SELECT period_id FROM reports))
       SELECT r.framework_id, f.code AS framework, r.org_unit_id, o.code AS org_unit, o.level, r.period_id, to_char(p.end_date, 'YYYY-MM-DD') AS end_date,
              p.end_date >= (SELECT start_date FROM latest) AS latest
         FROM reports r JOIN framework f ON f.id = r.framework_id JOIN org_unit o ON o.id = r.org_unit_id JOIN period p ON p.id = r.period_id
        WHERE NOT EXISTS (SELECT 1 FROM submission s WHERE s.framework_id = r.framework_id AND s.org_unit_id = r.org_unit_id AND s.period_id = r.period_id)
        ORDER BY r.framework_id, r.org_unit_id, p.start_date, r.period_id`)).rows;
    const counts = { draft: 0, submitted: 0, returned: 0, approved_district: 0, approved_province: 0, accepted: 0 };
    if (keys.length === 0) return counts;
    const statuses = keys.map(demoStatus);
    const histories = keys.map((k, i) => history(k, statuses[i]!, now));
    const keyOf = (f: number, o: number, p: number) => `${f}|${o}|${p}`;
    const inserted = (await tx.query<{ id: number; framework_id: number; org_unit_id: number; period_id: number }>(
      `INSERT INTO submission (framework_id, org_unit_id, period_id, status, updated_by, updated_at)
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::timestamptz[])
       RETURNING id, framework_id, org_unit_id, period_id`,
      [keys.map((k) => k.framework_id), keys.map((k) => k.org_unit_id), keys.map((k) => k.period_id), statuses,
        keys.map(() => ACTOR), histories.map((h) => h.at(-1)!.at.toISOString())],
    )).rows;
    const idOf = new Map(inserted.map((r) => [keyOf(r.framework_id, r.org_unit_id, r.period_id), r.id]));
    const events = histories.flatMap((h, i) => {
      const k = keys[i]!;
      const submission = idOf.get(keyOf(k.framework_id, k.org_unit_id, k.period_id))!;
      return h.map((e) => ({ ...e, submission }));
    });
    await tx.query(
      `INSERT INTO submission_event (submission_id, action, from_status, to_status, reason, actor, at)
       SELECT s, a, f, t, r, $6, at FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $7::timestamptz[]) AS e(s, a, f, t, r, at)`,
      [events.map((e) => e.submission), events.map((e) => e.action), events.map((e) => e.from), events.map((e) => e.to),
        events.map((e) => e.reason), ACTOR, events.map((e) => e.at.toISOString())],
    );
    for (const s of statuses) counts[s]++;
    await appendAudit(tx, {
      actor: ACTOR, action: 'seed.submissions', entity: 'submission', entityId: null,
      detail: { note: 'synthetic approval history of the demo data', events: events.length, ...counts },
    });
    // Without statistics the planner takes the new thousands of submissions for a handful, and staged reads crawl.
    await tx.exec('ANALYZE submission, submission_event, period, indicator');
    return counts;
  });
}
