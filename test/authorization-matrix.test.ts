/**
 * The authorization matrix: every route of the real server × every role (and anonymous) × in and out of scope.
 * The route table is read from the app itself, so a route added without an example here fails this test. Who may
 * call a route comes from the permission each example states and the role table below, never from the route's own
 * declaration, which is compared against it: a route declaring the wrong permission fails too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { buildServer } from '../src/api/server.ts';
import { parsePeriod } from '../src/domain/period.ts';
import type { Role } from '../src/governance/principal.ts';
import type { Permission } from '../src/governance/route-access.ts';
import { createUser, systemActor } from '../src/governance/user-admin.ts';
import { createTestDatabase } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { signIn } from './sign-in.ts';

// An onRoute hook on every Fastify instance before buildServer adds anything: the route table as the app has it.
const collected = vi.hoisted(() => [] as { method: string; url: string; permission: Permission | undefined }[]);
vi.mock('fastify', async (importOriginal) => {
  const mod = await importOriginal<typeof import('fastify')>();
  const withRouteTable = ((opts?: object) => {
    const app = mod.default(opts);
    app.addHook('onRoute', (r: RouteOptions) => {
      for (const method of [r.method].flat()) {
        collected.push({ method, url: r.url, permission: (r.config as { access?: { permission: Permission } } | undefined)?.access?.permission });
      }
    });
    return app;
  }) as typeof mod.default;
  return { ...mod, default: withRouteTable };
});

/** Who holds each permission: written here, not read from src/governance, so a change there must be agreed here. */
const HOLDERS: Record<Exclude<Permission, 'public' | 'signed_in'>, readonly Role[]> = {
  read: ['data_clerk', 'reviewer', 'me_officer', 'committee_viewer', 'admin'],
  enter: ['data_clerk', 'admin'],
  review: ['reviewer', 'admin'],
  manage_framework: ['me_officer', 'admin'],
  administer: ['admin'],
};
const ROLES: readonly Role[] = ['data_clerk', 'reviewer', 'me_officer', 'committee_viewer', 'admin'];

function holds(role: Role, permission: Permission): boolean {
  return permission === 'public' || permission === 'signed_in' || HOLDERS[permission].includes(role);
}

interface Req {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
}

/**
 * How a caller holding the permission only at PK-SD fares with the request about PK-PB: refused with a 403 (the
 * default), refused another way (described, and checked on the response), or not a matter of scope at all (why).
 * A route for national holders only (why) refuses both with a 403, and lets a national administrator in.
 */
type Scope = 'forbidden' | { refused: string; check: (res: LightMyRequestResponse) => boolean } | { unscoped: string } | { national: string };

interface Caller {
  name: string;
  role: Role | null;
  username: string;
  headers: Record<string, string>;
}

interface Example {
  /** The permission the route must declare, and so who may call it. */
  permission: Permission;
  scope: Scope;
  /** A request about PK-PB (or a unit under it), made afresh for every case. */
  request: (fx: Fixture, caller: Caller) => Req | Promise<Req>;
}

interface Fixture {
  /** A PK-PB report awaiting the province's review, new for every call so each case finds it in that state. */
  submission(): Promise<number>;
  /** An active lock exception on a new PK-PB submission. */
  lockException(): Promise<number>;
  /** Evidence (a link) on a PK-PB value, recorded as the caller's upload. */
  evidence(uploadedBy: string): Promise<number>;
  username(): string;
  readSubmission: number;
  evidenceFile: number;
  listedException: number;
  /** An account granted at PK-PB that administrators act on. */
  target: string;
  signInAccount: string;
  workbook: Buffer;
}

const PASSWORD = 'matrix-password-2026';
const CSV = 'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment\nT-COUNT,PK-PB-LHR,2025Q4,,9,,,\n';
const PUBLIC: Scope = { unscoped: 'public: the same for everyone' };
const ACCOUNT: Scope = { unscoped: 'the caller\'s own account' };
const FRAMEWORK: Scope = { unscoped: 'frameworks and their metadata are national, not held by an org unit' };
const NOTHING: Scope = { refused: 'answers an empty list', check: (res) => res.statusCode === 200 && Array.isArray(res.json()) && res.json().length === 0 };
const inPkSd = (code: unknown) => code === 'PK-SD' || (typeof code === 'string' && code.startsWith('PK-SD-'));
const rule = (permission: Permission, scope: Scope, request: Example['request']): Example => ({ permission, scope, request });
const none = () => ({});
// A value cell with no submission, so evidence on it can change.
const KSR = { indicator: 'T-COUNT', orgUnit: 'PK-PB-KSR', period: '2025Q4' };

/** A multipart body as a browser's FormData sends it. */
async function form(fields: Record<string, string>, file: { name: string; text: string }): Promise<Req> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  fd.set('file', new Blob([file.text], { type: 'text/csv' }), file.name);
  const r = new Response(fd);
  return { body: Buffer.from(await r.arrayBuffer()), contentType: r.headers.get('content-type')! };
}

const EXAMPLES: Record<string, Example> = {
  // The web app and the API docs are files outside the gate: they declare nothing and anyone gets them.
  'GET /*': rule('public', PUBLIC, () => ({ params: { '*': 'reports' } })),
  'GET /api/docs': rule('public', PUBLIC, none),
  'GET /api/docs/static/index.html': rule('public', PUBLIC, none),
  'GET /api/docs/static/swagger-initializer.js': rule('public', PUBLIC, none),
  'GET /api/docs/static/*': rule('public', PUBLIC, () => ({ params: { '*': 'swagger-ui.css' } })),
  'GET /api/docs/json': rule('public', PUBLIC, none),
  'GET /api/docs/yaml': rule('public', PUBLIC, none),
  'GET /api/openapi.json': rule('public', PUBLIC, none),
  'GET /api/health': rule('public', PUBLIC, none),

  'GET /api/public/about': rule('public', PUBLIC, none),
  'GET /api/public/indicators': rule('public', PUBLIC, none),
  'GET /api/public/indicators.csv': rule('public', PUBLIC, none),
  'GET /api/public/indicators/:code': rule('public', PUBLIC, () => ({ params: { code: 'T-COUNT' } })),
  'GET /api/public/indicators/:code/data.json': rule('public', PUBLIC, () => ({ params: { code: 'T-COUNT' }, query: { orgUnit: 'PK-PB-LHR' } })),
  'GET /api/public/indicators/:code/data.csv': rule('public', PUBLIC, () => ({ params: { code: 'T-COUNT' }, query: { orgUnit: 'PK-PB-LHR' } })),
  'GET /api/public/data.csv': rule('public', PUBLIC, none),
  'GET /api/public/data.json': rule('public', PUBLIC, none),
  'GET /api/public/datapackage.json': rule('public', PUBLIC, none),
  'GET /api/public/scorecard': rule('public', PUBLIC, () => ({ query: { orgUnit: 'PK-PB' } })),
  'GET /api/public/reporting-status': rule('public', PUBLIC, none),
  'GET /portal': rule('public', PUBLIC, none),
  'GET /portal/assets/noto-nastaliq-urdu.woff2': rule('public', PUBLIC, none),
  'GET /portal/:lang': rule('public', PUBLIC, () => ({ params: { lang: 'en' } })),
  'GET /portal/:lang/provinces/:code': rule('public', PUBLIC, () => ({ params: { lang: 'ur', code: 'PK-PB' } })),
  'GET /portal/:lang/indicators': rule('public', PUBLIC, () => ({ params: { lang: 'en' } })),
  'GET /portal/:lang/indicators/:code': rule('public', PUBLIC, () => ({ params: { lang: 'en', code: 'T-COUNT' } })),
  'GET /portal/:lang/reporting': rule('public', PUBLIC, () => ({ params: { lang: 'en' } })),
  'GET /portal/:lang/downloads': rule('public', PUBLIC, () => ({ params: { lang: 'en' } })),

  'POST /api/auth/sign-in': rule('public', PUBLIC, (fx) => ({ body: { username: fx.signInAccount, password: PASSWORD } })),
  'POST /api/auth/sign-out': rule('signed_in', ACCOUNT, none),
  'GET /api/auth/me': rule('signed_in', ACCOUNT, none),
  'POST /api/auth/password': rule('signed_in', ACCOUNT, () => ({ body: { currentPassword: 'not-the-password', newPassword: 'another-password-2026' } })),
  'GET /api/auth/tokens': rule('signed_in', ACCOUNT, none),
  'POST /api/auth/tokens': rule('signed_in', ACCOUNT, () => ({ body: { name: 'matrix', expiresInDays: 1 } })),
  // Someone else's token (or none): a 404 for anyone signed in.
  'DELETE /api/auth/tokens/:id': rule('signed_in', ACCOUNT, () => ({ params: { id: '0' } })),

  'GET /api/frameworks': rule('read', FRAMEWORK, none),
  'GET /api/frameworks/:code': rule('read', FRAMEWORK, () => ({ params: { code: 'TEST' } })),
  'GET /api/framework-export': rule('read', FRAMEWORK, () => ({ query: { format: 'csv', sheet: 'indicators' } })),
  'POST /api/framework-import': rule('manage_framework', FRAMEWORK, (fx) => ({ query: { dryRun: 'true' }, body: fx.workbook, contentType: 'application/octet-stream' })),
  'PUT /api/frameworks/:code/entry-expiry': rule('manage_framework', FRAMEWORK, () => ({ params: { code: 'TEST' }, body: { days: null } })),
  'GET /api/indicators': rule('read', FRAMEWORK, () => ({ query: { q: 'trained' } })),
  'GET /api/indicators/:code': rule('read', FRAMEWORK, () => ({ params: { code: 'T-COUNT' } })),
  'GET /api/org-units': rule('read', { unscoped: 'the org-unit tree is reference data every reader needs' }, () => ({ query: { parent: 'PK-PB' } })),
  'GET /api/org-units/:code': rule('read', { unscoped: 'the org-unit tree is reference data every reader needs' }, () => ({ params: { code: 'PK-PB' } })),
  'GET /api/institutions': rule('read', FRAMEWORK, none),
  'GET /api/periods/:code': rule('read', { unscoped: 'parses a period code' }, () => ({ params: { code: '2025Q4' } })),
  'GET /api/dhis2/metadata': rule('read', FRAMEWORK, none),
  'POST /api/dhis2/metadata': rule('manage_framework', FRAMEWORK, () => ({ query: { dryRun: 'true' }, body: '{}', contentType: 'application/json' })),
  'GET /api/validation-rules': rule('read', FRAMEWORK, none),
  'PUT /api/validation-rules/:code': rule('manage_framework', FRAMEWORK, () => ({
    params: { code: 'VR-MATRIX' }, body: { nameEn: 'Matrix', left: '#{T-COUNT}', operator: '>=', right: '0' },
  })),
  'GET /api/calculated-indicators': rule('read', FRAMEWORK, none),
  'PUT /api/calculated-indicators/:code': rule('manage_framework', FRAMEWORK, () => ({
    params: { code: 'C-MATRIX' }, body: { nameEn: 'Matrix', formula: '#{T-COUNT} * 2', unitType: 'count', frequency: 'quarterly' },
  })),

  'GET /api/data-values': rule('read', 'forbidden', () => ({ query: { orgUnit: 'PK-PB' } })),
  'GET /api/data-values/history': rule('read', 'forbidden', () => ({ query: { indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q4' } })),
  'PUT /api/data-values': rule('enter', 'forbidden', () => ({ body: { indicator: 'T-COUNT', orgUnit: 'PK-PB-KSR', period: '2025Q3', value: 5 } })),
  'DELETE /api/data-values': rule('enter', 'forbidden', () => ({ query: { indicator: 'T-COUNT', orgUnit: 'PK-PB-KSR', period: '2025Q3' } })),
  // A provincial reader sees only their own jobs, and PK-SD callers import nothing: the fixture's job is national.
  'GET /api/imports': rule('read', NOTHING, none),
  'POST /api/imports': rule('enter', {
    refused: 'refuses the row outside the caller\'s units by name (422)',
    check: (res) => res.statusCode === 422 && JSON.stringify(res.json()).includes('outside_scope'),
  }, () => ({ query: { format: 'csv', dryRun: 'true' }, body: CSV, contentType: 'text/csv' })),
  'GET /api/exports': rule('read', 'forbidden', () => ({ query: { orgUnit: 'PK-PB', format: 'csv' } })),
  'GET /api/templates': rule('read', 'forbidden', () => ({ query: { orgUnit: 'PK-PB-LHR', period: '2025Q4' } })),
  'GET /api/validation': rule('read', 'forbidden', () => ({ query: { orgUnit: 'PK-PB', period: '2025Q4' } })),
  'GET /api/validation/outliers': rule('read', 'forbidden', () => ({ query: { orgUnit: 'PK-PB', period: '2025Q4' } })),
  'GET /api/analytics': rule('read', 'forbidden', () => ({ query: { indicator: 'T-COUNT', orgUnit: 'PK-PB', period: '2025Q4' } })),
  'GET /api/completeness': rule('read', 'forbidden', () => ({ query: { from: '2025Q1', to: '2025Q4', orgUnit: 'PK-PB' } })),
  'GET /api/completeness/heatmap': rule('read', 'forbidden', () => ({ query: { from: '2025Q1', to: '2025Q4', orgUnit: 'PK-PB' } })),
  'GET /api/scorecard': rule('read', 'forbidden', () => ({ query: { framework: 'TEST', assessedAt: '2025Q4', level: 'district', orgUnit: 'PK-PB' } })),
  'GET /api/scorecard/indicators': rule('read', 'forbidden', () => ({ query: { framework: 'TEST', assessedAt: '2025Q4', orgUnit: 'PK-PB' } })),
  'GET /api/calculated-indicators/:code/values': rule('read', 'forbidden', () => ({ params: { code: 'C-FIXTURE' }, query: { orgUnit: 'PK-PB', period: '2025Q4' } })),
  'GET /api/review-packs': rule('read', 'forbidden', () => ({ query: { period: '2025Q4', orgUnit: 'PK-PB', format: 'html' } })),
  'GET /api/data-entry/form': rule('read', 'forbidden', () => ({ query: { orgUnit: 'PK-PB-LHR', period: '2025Q4' } })),
  'POST /api/data-entry/check': rule('enter', 'forbidden', () => ({ body: { orgUnit: 'PK-PB-KSR', period: '2025Q2', values: [{ indicator: 'T-COUNT', value: 3 }] } })),
  'POST /api/data-entry/values': rule('enter', 'forbidden', () => ({ body: { orgUnit: 'PK-PB-KSR', period: '2025Q2', values: [{ indicator: 'T-COUNT', value: 3 }] } })),
  'GET /api/indicators/:code/breakdown': rule('read', 'forbidden', () => ({ params: { code: 'T-COUNT' }, query: { orgUnit: 'PK-PB', period: '2025Q4' } })),
  'GET /api/indicators/:code/changes': rule('read', 'forbidden', () => ({ params: { code: 'T-COUNT' }, query: { orgUnit: 'PK-PB' } })),
  'GET /api/indicators/:code/flags': rule('read', 'forbidden', () => ({ params: { code: 'T-COUNT' }, query: { orgUnit: 'PK-PB', period: '2025Q4' } })),
  'GET /api/indicators/:code/target-path': rule('read', 'forbidden', () => ({ params: { code: 'T-COUNT' }, query: { orgUnit: 'PK-PB' } })),

  'GET /api/submissions': rule('read', NOTHING, () => ({ query: { orgUnit: 'PK-PB' } })),
  'GET /api/submissions/:id': rule('read', 'forbidden', (fx) => ({ params: { id: String(fx.readSubmission) } })),
  'POST /api/submissions/submit': rule('enter', 'forbidden', () => ({ body: { framework: 'TEST', orgUnit: 'PK-PB-LHR', period: '2025Q4' } })),
  'POST /api/submissions/:id/approve': rule('review', 'forbidden', async (fx) => ({ params: { id: String(await fx.submission()) }, body: {} })),
  'POST /api/submissions/:id/return': rule('review', 'forbidden', async (fx) => ({ params: { id: String(await fx.submission()) }, body: { reason: 'matrix' } })),
  'POST /api/submissions/bulk-approve': rule('review', {
    refused: 'reports the submission as failed with 403, approving nothing',
    check: (res) => res.statusCode === 200 && res.json().approved.length === 0 && res.json().failed[0]?.status === 403,
  }, async (fx) => ({ body: { ids: [await fx.submission()] } })),
  'GET /api/lock-exceptions': rule('administer', NOTHING, (fx) => ({ query: { submissionId: String(fx.listedException) } })),
  'POST /api/lock-exceptions': rule('administer', 'forbidden', async (fx) => ({ body: { submissionId: await fx.submission(), reason: 'matrix', hours: 1 } })),
  'DELETE /api/lock-exceptions/:id': rule('administer', 'forbidden', async (fx) => ({ params: { id: String(await fx.lockException()) } })),

  'POST /api/evidence': rule('enter', 'forbidden', () => form(KSR, { name: 'register.csv', text: 'name,trained\nA,1\n' })),
  'POST /api/evidence/link': rule('enter', 'forbidden', () => ({ body: { ...KSR, url: 'https://example.org/register.pdf' } })),
  'GET /api/evidence': rule('read', 'forbidden', () => ({ query: KSR })),
  'GET /api/evidence/coverage': rule('read', 'forbidden', () => ({ query: { period: '2025Q4', orgUnit: 'PK-PB' } })),
  'GET /api/evidence/:id/file': rule('read', 'forbidden', (fx) => ({ params: { id: String(fx.evidenceFile) } })),
  // The uploader may delete their own evidence: each case's is the caller's, so only the unit's scope can refuse it.
  'DELETE /api/evidence/:id': rule('enter', 'forbidden', async (fx, caller) => ({ params: { id: String(await fx.evidence(caller.username)) } })),

  'GET /api/users': rule('administer', {
    refused: 'lists only accounts with a grant within PK-SD, its own among them',
    check: (res) => res.statusCode === 200 && res.json().length > 0
      && res.json().every((u: { grants: { orgUnit: string }[] }) => u.grants.some((g) => inPkSd(g.orgUnit))),
  }, none),
  // An account is held where its grants are (PK-PB here): an administrator elsewhere must not create, change or take it over.
  'POST /api/users': rule('administer', 'forbidden', (fx) => ({
    body: { username: fx.username(), displayName: 'Matrix', password: PASSWORD, grants: [{ role: 'data_clerk', orgUnit: 'PK-PB' }] },
  })),
  'PATCH /api/users/:username': rule('administer', 'forbidden', (fx) => ({ params: { username: fx.target }, body: { displayName: 'Matrix target' } })),
  'PUT /api/users/:username/grants': rule('administer', 'forbidden', (fx) => ({ params: { username: fx.target }, body: [{ role: 'committee_viewer', orgUnit: 'PK-PB' }] })),
  'POST /api/users/:username/reset-password': rule('administer', 'forbidden', (fx) => ({ params: { username: fx.target }, body: { password: PASSWORD } })),
  'POST /api/users/:username/unlock': rule('administer', 'forbidden', (fx) => ({ params: { username: fx.target } })),
  // Entries about no unit (sign-ins, accounts, file imports) are national.
  'GET /api/audit': rule('administer', {
    refused: 'lists only entries about units within PK-SD',
    check: (res) => res.statusCode === 200 && res.json().every((e: { orgUnit: string | null }) => inPkSd(e.orgUnit)),
  }, () => ({ query: { limit: '5' } })),
  'POST /api/audit/verify': rule('administer', { national: 'the chain runs through every unit\'s entries' }, none),
};

// Built at collection time, so each route gets a test of its own, named after it.
const conn = await createTestDatabase();
await loadTestFramework(conn.db);
// A web build of our own: the static routes are the same whether or not web/dist has been built here.
const webDir = mkdtempSync(join(tmpdir(), 'jaiza-matrix-web-'));
writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Jaiza</title>');
const app = await buildServer(conn, { webDir });
await app.ready();
afterAll(async () => {
  await app.close();
  await conn.close();
  rmSync(webDir, { recursive: true, force: true });
});

const nationalAccount = await signIn(conn.db, 'admin', 'PK');
const national = nationalAccount.headers;
async function asNational(method: InjectOptions['method'], url: string, req: Req): Promise<LightMyRequestResponse> {
  const res = await app.inject({ method, url, headers: { ...national, ...(req.contentType ? { 'content-type': req.contentType } : {}) }, payload: req.body as InjectOptions['payload'] });
  if (res.statusCode >= 300) throw new Error(`fixture ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res;
}
await asNational('POST', '/api/imports?format=csv', { body: CSV, contentType: 'text/csv' });
await asNational('PUT', '/api/calculated-indicators/C-FIXTURE', { body: { nameEn: 'Fixture', formula: '#{T-COUNT} + 1', unitType: 'count', frequency: 'quarterly' } });
const frameworkId = (await conn.db.query<{ id: number }>("SELECT id FROM framework WHERE code = 'TEST'")).rows[0]!.id;
let periods = 0;
let accounts = 0;
async function submission(): Promise<number> {
  const period = parsePeriod(`${2000 + Math.floor(periods / 4)}Q${(periods % 4) + 1}`);
  periods++;
  await conn.db.query('INSERT INTO period (code, type, start_date, end_date) VALUES ($1, $2, $3::date, $4::date) ON CONFLICT (code) DO NOTHING',
    [period.code, period.type, period.start, period.end]);
  return (await conn.db.query<{ id: number }>(
    `INSERT INTO submission (framework_id, org_unit_id, period_id, status, updated_by)
     VALUES ($1, (SELECT id FROM org_unit WHERE code = 'PK-PB'), (SELECT id FROM period WHERE code = $2), 'submitted', 'matrix') RETURNING id`,
    [frameworkId, period.code])).rows[0]!.id;
}
async function lockException(): Promise<number> {
  return (await conn.db.query<{ id: number }>(
    `INSERT INTO lock_exception (submission_id, reason, granted_by, expires_at) VALUES ($1, 'matrix', 'matrix', now() + interval '1 hour') RETURNING id`,
    [await submission()])).rows[0]!.id;
}
const listedException = await lockException();
const fx: Fixture = {
  submission,
  lockException,
  async evidence(uploadedBy) {
    return (await conn.db.query<{ id: number }>(
      `INSERT INTO evidence (kind, indicator_id, org_unit_id, period_id, disagg, url, description, uploaded_by)
       VALUES ('link', (SELECT id FROM indicator WHERE code = $1), (SELECT id FROM org_unit WHERE code = $2), (SELECT id FROM period WHERE code = $3),
               '', 'https://example.org/register.pdf', '', $4) RETURNING id`,
      [KSR.indicator, KSR.orgUnit, KSR.period, uploadedBy])).rows[0]!.id;
  },
  username: () => `matrix.new.${++accounts}`,
  readSubmission: await submission(),
  evidenceFile: (await asNational('POST', '/api/evidence', await form(KSR, { name: 'fixture.csv', text: 'name,trained\nB,2\n' }))).json().id,
  listedException: (await conn.db.query<{ submission_id: number }>('SELECT submission_id FROM lock_exception WHERE id = $1', [listedException])).rows[0]!.submission_id,
  target: 'matrix.target',
  signInAccount: 'matrix.sign-in',
  workbook: (await asNational('GET', '/api/framework-export', {})).rawPayload,
};
for (const username of [fx.target, fx.signInAccount]) {
  await createUser(conn.db, systemActor('matrix'), { username, displayName: username, password: PASSWORD, grants: [{ role: 'data_clerk', orgUnit: 'PK-PB' }] });
}

// In scope: granted at PK-PB and asking about PK-PB; out of scope: granted at PK-SD and asking the same.
const anonymous: Caller = { name: 'anonymous', role: null, username: 'anonymous', headers: {} };
const nationalAdmin: Caller = { name: 'admin@PK', role: 'admin', ...nationalAccount };
const inScope: Caller[] = [anonymous];
const outOfScope: Caller[] = [anonymous];
for (const role of ROLES) {
  for (const [unit, callers] of [['PK-PB', inScope], ['PK-SD', outOfScope]] as const) {
    const account = await signIn(conn.db, role, unit);
    callers.push({ name: `${role}@${unit}`, role, ...account });
  }
}

// HEAD routes are Fastify's copies of the GET routes, with the same options.
const routes = collected.filter((r) => r.method !== 'HEAD');
const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const scoped = (e: Example) => typeof e.scope === 'string' || 'refused' in e.scope || 'national' in e.scope;
const nationalOnly = (e: Example) => typeof e.scope !== 'string' && 'national' in e.scope;

function urlOf(pattern: string, req: Req): string {
  const path = pattern.replace(/:(\w+)|\*/g, (_m, name: string | undefined) => encodeURI(req.params?.[name ?? '*'] ?? ''));
  const query = new URLSearchParams(req.query ?? {}).toString();
  return query ? `${path}?${query}` : path;
}

/** What should have happened, or null when it did. */
function misjudged(e: Example, caller: Caller, outside: boolean, res: LightMyRequestResponse): string | null {
  const status = res.statusCode;
  const letIn = status !== 401 && status !== 403;
  if (e.permission === 'public') return letIn ? null : 'expected to be let in (public)';
  if (caller.role === null) return status === 401 ? null : 'expected 401';
  if (!holds(caller.role, e.permission)) return status === 403 ? null : `expected 403 (${caller.role} does not hold ${e.permission})`;
  if (nationalOnly(e) && caller === nationalAdmin) return letIn ? null : 'expected to be let in (national)';
  if (nationalOnly(e)) return status === 403 ? null : 'expected 403 (national holders only)';
  if (!outside) return letIn ? null : `expected to be let in (${caller.role} holds ${e.permission})`;
  if (e.scope === 'forbidden') return status === 403 ? null : 'expected 403 (PK-PB is outside PK-SD)';
  if ('refused' in e.scope && !e.scope.check(res)) return `expected it ${e.scope.refused} (PK-PB is outside PK-SD)`;
  return null;
}

let cases = 0;

describe('authorization matrix', () => {
  it('has an example for every route in the app, and none for a route that is gone', () => {
    const inApp = new Set(routes.map(keyOf));
    expect({
      withoutExample: [...inApp].filter((k) => !(k in EXAMPLES)).sort(),
      exampleWithoutRoute: Object.keys(EXAMPLES).filter((k) => !inApp.has(k)).sort(),
    }).toEqual({ withoutExample: [], exampleWithoutRoute: [] });
  });

  for (const route of routes) {
    const key = keyOf(route);
    const example = EXAMPLES[key];
    if (!example) continue;
    it(key, async () => {
      // Files outside the API declare nothing, and the gate lets anyone have them, as it does a public route.
      expect(route.permission ?? 'public', 'the permission the route declares').toBe(example.permission);
      const wrong: string[] = [];
      const groups: (readonly [boolean, Caller[]])[] = scoped(example) ? [[false, inScope], [true, outOfScope]] : [[false, inScope]];
      if (nationalOnly(example)) groups.push([false, [nationalAdmin]]);
      for (const [outside, callers] of groups) {
        for (const caller of callers) {
          const req = await example.request(fx, caller);
          const res = await app.inject({
            method: route.method as InjectOptions['method'],
            url: urlOf(route.url, req),
            headers: { ...caller.headers, ...(req.contentType ? { 'content-type': req.contentType } : {}) },
            payload: req.body as InjectOptions['payload'],
          });
          cases++;
          const why = misjudged(example, caller, outside, res);
          if (why) wrong.push(`${caller.name}: ${res.statusCode} ${res.body.slice(0, 200)} — ${why}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('checked every route for every role, in and out of scope', () => {
    const expected = routes.reduce((n, r) => {
      const e = EXAMPLES[keyOf(r)];
      return n + (e ? inScope.length + (scoped(e) ? outOfScope.length : 0) + (nationalOnly(e) ? 1 : 0) : 0);
    }, 0);
    console.log(`authorization matrix: ${cases} cases over ${routes.length} routes`);
    expect(cases).toBeGreaterThan(0);
    expect(cases).toBe(expected);
  });
});
