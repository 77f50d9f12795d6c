import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { routeApp } from './route-app.ts';
import { signIn } from './sign-in.ts';
import type { Connection } from '../src/db/connect.ts';
import { dataValueRoutes } from '../src/api/routes/data-value-routes.ts';
import { workflowRoutes } from '../src/api/routes/workflow-routes.ts';
import { runImport } from '../src/importexport/import-service.ts';
import { recentAudit } from '../src/audit/audit-query.ts';
import { verifyAudit } from '../src/audit/audit-log.ts';

type Headers = Record<string, string>;

describe('approval workflow over the API', () => {
  let conn: Connection;
  let app: FastifyInstance;
  let clerk: Headers;
  let kasurClerk: Headers;
  let lahoreReviewer: Headers;
  let kasurReviewer: Headers;
  let punjabReviewer: Headers;
  let nationalReviewer: Headers;
  let sindhAdmin: Headers;

  const put = (headers: Headers, period: string, value: string, orgUnit = 'PK-PB-LHR') =>
    app.inject({ method: 'PUT', url: '/api/data-values', headers, payload: { indicator: 'T-COUNT', orgUnit, period, value } });
  const storedValue = async (period: string, orgUnit = 'PK-PB-LHR') => (await conn.db.query<{ value: string }>(
    `SELECT d.value::text AS value FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN org_unit o ON o.id = d.org_unit_id
       JOIN period p ON p.id = d.period_id WHERE i.code = 'T-COUNT' AND o.code = $1 AND p.code = $2 AND d.disagg = ''`,
    [orgUnit, period])).rows[0]?.value ?? null;
  const submit = (headers: Headers, period: string, orgUnit = 'PK-PB-LHR') =>
    app.inject({ method: 'POST', url: '/api/submissions/submit', headers, payload: { framework: 'TEST', orgUnit, period } });
  const approve = (headers: Headers, id: number) => app.inject({ method: 'POST', url: `/api/submissions/${id}/approve`, headers, payload: {} });

  beforeAll(async () => {
    conn = await createTestDatabase();
    await loadTestFramework(conn.db);
    app = await routeApp(conn.db, (a) => {
      dataValueRoutes(a, conn.db);
      workflowRoutes(a, conn.db);
    });
    clerk = (await signIn(conn.db, 'data_clerk', 'PK-PB-LHR')).headers;
    kasurClerk = (await signIn(conn.db, 'data_clerk', 'PK-PB-KSR')).headers;
    lahoreReviewer = (await signIn(conn.db, 'reviewer', 'PK-PB-LHR')).headers;
    kasurReviewer = (await signIn(conn.db, 'reviewer', 'PK-PB-KSR')).headers;
    punjabReviewer = (await signIn(conn.db, 'reviewer', 'PK-PB')).headers;
    nationalReviewer = (await signIn(conn.db, 'reviewer', 'PK')).headers;
    sindhAdmin = (await signIn(conn.db, 'admin', 'PK-SD')).headers;
  });
  afterAll(async () => {
    await app.close();
    await conn.close();
  });

  it('a district report goes district → province → NACTA, each step only by its own reviewer, and is locked throughout', async () => {
    expect((await put(clerk, '2025Q1', '40')).statusCode).toBe(200);
    const submitted = await submit(clerk, '2025Q1');
    expect(submitted.statusCode).toBe(200);
    const s = submitted.json();
    expect(s).toMatchObject({ framework: 'TEST', orgUnit: 'PK-PB-LHR', period: '2025Q1', status: 'submitted', values: 1, nextStep: { level: 'district', action: 'approve' } });

    // The province reviewer may not take the district's step, nor a neighbouring district's reviewer.
    expect((await approve(punjabReviewer, s.id)).statusCode).toBe(403);
    expect((await approve(kasurReviewer, s.id)).statusCode).toBe(403);
    // A clerk is no reviewer at all.
    expect((await approve(clerk, s.id)).statusCode).toBe(403);

    const inbox = (await app.inject({ method: 'GET', url: '/api/submissions?inbox=true', headers: lahoreReviewer })).json();
    expect(inbox.map((x: { id: number }) => x.id)).toEqual([s.id]);
    expect((await app.inject({ method: 'GET', url: '/api/submissions?inbox=true', headers: punjabReviewer })).json()).toEqual([]);

    // Locked while submitted: the clerk's change is refused, naming the field and the reason, and nothing changes.
    const refused = await put(clerk, '2025Q1', '41');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({ row: 1, field: 'period', code: 'locked' });
    expect(refused.json().errors[0].message).toMatch(/T-COUNT.*PK-PB-LHR.*2025Q1|submitted/);
    expect(await storedValue('2025Q1')).toBe('40');

    expect((await approve(lahoreReviewer, s.id)).json()).toMatchObject({ status: 'approved_district', nextStep: { level: 'province' } });
    expect((await approve(lahoreReviewer, s.id)).statusCode).toBe(403);
    expect((await approve(punjabReviewer, s.id)).json()).toMatchObject({ status: 'approved_province', nextStep: { level: 'country', action: 'accept' } });
    const accepted = await approve(nationalReviewer, s.id);
    expect(accepted.json()).toMatchObject({ status: 'accepted', nextStep: null });

    // Approving what is already accepted is a conflict, and changes nothing.
    const again = await approve(nationalReviewer, s.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/accepted/);
    expect((await put(clerk, '2025Q1', '42')).statusCode).toBe(422);
    expect(await storedValue('2025Q1')).toBe('40');

    const detail = (await app.inject({ method: 'GET', url: `/api/submissions/${s.id}`, headers: clerk })).json();
    expect(detail.events.map((e: { action: string; to: string }) => `${e.action}:${e.to}`))
      .toEqual(['submit:submitted', 'approve:approved_district', 'approve:approved_province', 'accept:accepted']);

    const audit = (await recentAudit(conn.db, {})).filter((e) => e.action.startsWith('submission.')).map((e) => e.action).reverse();
    expect(audit).toEqual(['submission.submit', 'submission.approve', 'submission.approve', 'submission.accept']);
    expect((await verifyAudit(conn.db)).ok).toBe(true);
  });

  it('a return needs a reason; the reason is in the history the clerk reads, and the report is editable and resubmittable', async () => {
    await put(clerk, '2025Q2', '12');
    const s = (await submit(clerk, '2025Q2')).json();
    const noReason = await app.inject({ method: 'POST', url: `/api/submissions/${s.id}/return`, headers: lahoreReviewer, payload: { reason: '   ' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toMatch(/reason/);
    expect((await app.inject({ method: 'GET', url: `/api/submissions/${s.id}`, headers: clerk })).json().status).toBe('submitted');

    const reason = 'The sex breakdown is missing for Lahore; the training register shows 12 women.';
    const returned = await app.inject({ method: 'POST', url: `/api/submissions/${s.id}/return`, headers: lahoreReviewer, payload: { reason } });
    expect(returned.json()).toMatchObject({ status: 'returned' });
    const seen = (await app.inject({ method: 'GET', url: `/api/submissions/${s.id}`, headers: clerk })).json();
    expect(seen.events.at(-1)).toMatchObject({ action: 'return', from: 'submitted', to: 'returned', reason });
    expect(seen.events.at(-1).actor).toMatch(/^t\.reviewer/);

    expect((await put(clerk, '2025Q2', '13')).statusCode).toBe(200);
    expect(await storedValue('2025Q2')).toBe('13');
    expect((await submit(clerk, '2025Q2')).json()).toMatchObject({ status: 'submitted' });
    // Submitting twice is a conflict.
    expect((await submit(clerk, '2025Q2')).statusCode).toBe(409);
  });

  it('a report with nothing in it cannot be submitted, and a clerk cannot submit for another unit', async () => {
    const empty = await submit(clerk, '2024Q3');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors[0]).toMatchObject({ field: 'period', code: 'nothing_to_submit' });
    expect((await submit(clerk, '2025Q1', 'PK-PB-KSR')).statusCode).toBe(403);
  });

  it('an import into a locked report refuses exactly the locked rows, each named, and applies nothing of them', async () => {
    // 2025Q1 of Lahore is accepted (first test); Kasur 2025Q1 is open.
    const csv = 'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment\nT-COUNT,PK-PB-KSR,2025Q1,,7,,,\nT-COUNT,PK-PB-LHR,2025Q1,,99,,,\n';
    const refused = await runImport(conn.db, Readable.from([csv]), { format: 'csv', fileName: 'q1.csv', user: 'officer' });
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toMatchObject({ row: 3, field: 'period', code: 'locked' });
    expect(refused.errors[0]!.message).toMatch(/PK-PB-LHR/);
    expect(await storedValue('2025Q1', 'PK-PB-KSR')).toBeNull();
    expect(await storedValue('2025Q1')).toBe('40');

    const partial = await runImport(conn.db, Readable.from([csv]), { format: 'csv', fileName: 'q1.csv', user: 'officer', skipInvalid: true });
    expect(partial.errors).toHaveLength(1);
    expect(await storedValue('2025Q1', 'PK-PB-KSR')).toBe('7');
    expect(await storedValue('2025Q1')).toBe('40');
  });

  it('a lock exception lets a locked report change until it is revoked; only an administrator of the unit grants it', async () => {
    const s = (await app.inject({ method: 'GET', url: '/api/submissions?orgUnit=PK-PB-LHR&period=2025Q1', headers: clerk })).json()[0];
    expect(s.status).toBe('accepted');
    const body = { submissionId: s.id, reason: 'The district found a double count after acceptance', hours: 24 };
    expect((await app.inject({ method: 'POST', url: '/api/lock-exceptions', headers: sindhAdmin, payload: body })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/lock-exceptions', headers: clerk, payload: body })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/lock-exceptions', payload: { ...body, hours: 24 * 365 } })).statusCode).toBe(400);

    const granted = await app.inject({ method: 'POST', url: '/api/lock-exceptions', payload: body });
    expect(granted.statusCode).toBe(201);
    const ex = granted.json();
    expect(ex).toMatchObject({ submissionId: s.id, active: true, reason: body.reason });
    expect(new Date(ex.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);

    expect((await put(clerk, '2025Q1', '38')).statusCode).toBe(200);
    expect(await storedValue('2025Q1')).toBe('38');

    expect((await app.inject({ method: 'DELETE', url: `/api/lock-exceptions/${ex.id}` })).json()).toMatchObject({ active: false });
    expect((await app.inject({ method: 'DELETE', url: `/api/lock-exceptions/${ex.id}` })).statusCode).toBe(409);
    expect((await put(clerk, '2025Q1', '37')).statusCode).toBe(422);
    expect(await storedValue('2025Q1')).toBe('38');

    const actions = (await recentAudit(conn.db, {})).map((e) => e.action);
    expect(actions).toContain('lock_exception.grant');
    expect(actions).toContain('lock_exception.revoke');
  });

  it('a period closes for entry its framework\'s expiry days after it ends, and future periods are closed', async () => {
    expect((await put(clerk, '2024Q1', '5')).statusCode).toBe(200);
    const expiry = await app.inject({ method: 'PUT', url: '/api/frameworks/TEST/entry-expiry', payload: { days: 30 } });
    expect(expiry.json()).toEqual({ framework: 'TEST', entryExpiryDays: 30 });
    expect((await app.inject({ method: 'PUT', url: '/api/frameworks/TEST/entry-expiry', headers: clerk, payload: { days: null } })).statusCode).toBe(403);

    const closed = await put(clerk, '2024Q1', '6');
    expect(closed.statusCode).toBe(422);
    expect(closed.json().errors[0]).toMatchObject({ field: 'period', code: 'period_closed' });
    expect(closed.json().errors[0].message).toMatch(/2024-04-30/);
    expect(await storedValue('2024Q1')).toBe('5');

    // An exception by unit and period reopens a closed period that has no submission of its own yet.
    const ex = await app.inject({ method: 'POST', url: '/api/lock-exceptions',
      payload: { framework: 'TEST', orgUnit: 'PK-PB-KSR', period: '2024Q1', reason: 'Late register from Kasur', hours: 2 } });
    expect(ex.statusCode).toBe(201);
    expect((await put(kasurClerk, '2024Q1', '3', 'PK-PB-KSR')).statusCode).toBe(200);

    await app.inject({ method: 'PUT', url: '/api/frameworks/TEST/entry-expiry', payload: { days: null } });
    expect((await put(clerk, '2024Q1', '6')).statusCode).toBe(200);

    const nextYear = new Date().getUTCFullYear() + 1;
    const future = await put(clerk, `${nextYear}Q1`, '1');
    expect(future.statusCode).toBe(422);
    expect(future.json().errors[0]).toMatchObject({ field: 'period', code: 'future_period' });
    expect(await storedValue(`${nextYear}Q1`)).toBeNull();
  });

  it('bulk approve approves what it can and names each one it could not', async () => {
    await put(clerk, '2025Q3', '8');
    await put(kasurClerk, '2025Q3', '9', 'PK-PB-KSR');
    const lahore = (await submit(clerk, '2025Q3')).json();
    const kasur = (await submit(kasurClerk, '2025Q3', 'PK-PB-KSR')).json();
    const done = (await app.inject({ method: 'POST', url: '/api/submissions/bulk-approve', headers: lahoreReviewer, payload: { ids: [lahore.id, kasur.id, 999_999] } })).json();
    expect(done.approved).toEqual([lahore.id]);
    expect(done.failed.map((f: { id: number; status: number }) => [f.id, f.status])).toEqual([[kasur.id, 403], [999_999, 404]]);
    expect((await app.inject({ method: 'GET', url: `/api/submissions/${kasur.id}`, headers: kasurClerk })).json().status).toBe('submitted');
  });

  it('readers see only submissions within their units', async () => {
    const lahore = (await app.inject({ method: 'GET', url: '/api/submissions', headers: clerk })).json();
    expect(lahore.length).toBeGreaterThan(0);
    expect(new Set(lahore.map((s: { orgUnit: string }) => s.orgUnit))).toEqual(new Set(['PK-PB-LHR']));
    const kasurId = (await app.inject({ method: 'GET', url: '/api/submissions', headers: kasurClerk })).json()[0].id;
    expect((await app.inject({ method: 'GET', url: `/api/submissions/${kasurId}`, headers: clerk })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/submissions/999999', headers: clerk })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/submissions', headers: sindhAdmin })).json()).toEqual([]);
  });
});
