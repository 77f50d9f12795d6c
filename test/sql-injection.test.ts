/**
 * Classic SQL injection payloads in the string fields of routes that reach the database: every answer is a refusal
 * (4xx) or one no larger than a plain value that matches nothing would get, never a server error, and nothing is
 * dropped, deleted or changed behind the audit trail's back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Connection } from '../src/db/connect.ts';
import { buildServer } from '../src/api/server.ts';
import { verifyAudit } from '../src/audit/audit-log.ts';
import { createTestDatabase } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { injectAsAdmin } from './sign-in.ts';

const PAYLOADS = ["' OR '1'='1", "'; DROP TABLE data_value; --", '1) OR (1=1', '$$; DELETE FROM audit_entry; $$'];
const NO_MATCH = 'NOMATCH';
const TABLES = ['data_value', 'audit_entry', 'app_user', 'org_unit'];

interface Target {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** The fields the payloads go into, one at a time: `query.orgUnit`, `params.code`, `body.values.0.indicator`. */
  fields: string[];
}

const TARGETS: Target[] = [
  { method: 'GET', path: '/api/analytics', query: { indicator: 'T-COUNT', orgUnit: 'PK-PB', period: '2025Q4', disaggregation: '' }, fields: ['query.indicator', 'query.orgUnit', 'query.period', 'query.disaggregation'] },
  { method: 'GET', path: '/api/data-values', query: { indicator: 'T-COUNT', orgUnit: 'PK', period: '2025', disaggregation: '' }, fields: ['query.indicator', 'query.orgUnit', 'query.period', 'query.disaggregation'] },
  { method: 'GET', path: '/api/data-values/history', query: { indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q4' }, fields: ['query.indicator', 'query.orgUnit', 'query.period'] },
  { method: 'GET', path: '/api/exports', query: { format: 'csv', orgUnit: 'PK', indicator: 'T-COUNT', period: '2025Q4' }, fields: ['query.orgUnit', 'query.indicator', 'query.framework'] },
  { method: 'GET', path: '/api/org-units', query: { parent: 'PK' }, fields: ['query.parent'] },
  { method: 'GET', path: '/api/org-units/:code', params: { code: 'PK-PB' }, fields: ['params.code'] },
  { method: 'GET', path: '/api/frameworks/:code', params: { code: 'TEST' }, fields: ['params.code'] },
  { method: 'GET', path: '/api/indicators', query: { q: 'trained' }, fields: ['query.q', 'query.framework', 'query.pillar'] },
  { method: 'GET', path: '/api/indicators/:code', params: { code: 'T-COUNT' }, fields: ['params.code'] },
  { method: 'GET', path: '/api/indicators/:code/changes', params: { code: 'T-COUNT' }, query: { orgUnit: 'PK' }, fields: ['params.code', 'query.orgUnit'] },
  { method: 'GET', path: '/api/submissions', query: { framework: 'TEST' }, fields: ['query.framework', 'query.orgUnit', 'query.period'] },
  { method: 'GET', path: '/api/audit', query: {}, fields: ['query.actor', 'query.action'] },
  { method: 'GET', path: '/api/validation', query: { period: '2025Q4', orgUnit: 'PK' }, fields: ['query.period', 'query.orgUnit', 'query.rules'] },
  { method: 'GET', path: '/api/scorecard/indicators', query: { framework: 'TEST', assessedAt: '2025Q4', orgUnit: 'PK' }, fields: ['query.framework', 'query.indicator', 'query.orgUnit'] },
  { method: 'GET', path: '/api/completeness', query: { from: '2025Q1', to: '2025Q4', orgUnit: 'PK' }, fields: ['query.framework', 'query.orgUnit', 'query.from'] },
  { method: 'GET', path: '/api/public/indicators/:code', params: { code: 'T-COUNT' }, fields: ['params.code'] },
  { method: 'GET', path: '/api/public/indicators/:code/data.json', params: { code: 'T-COUNT' }, query: { orgUnit: 'PK-PB-LHR' }, fields: ['params.code', 'query.orgUnit', 'query.period'] },
  { method: 'GET', path: '/api/public/scorecard', query: { orgUnit: 'PK' }, fields: ['query.orgUnit', 'query.period'] },
  { method: 'POST', path: '/api/data-entry/check', body: { orgUnit: 'PK-PB-LHR', period: '2025Q4', values: [{ indicator: 'T-COUNT', disaggregation: '', value: '5' }] },
    fields: ['body.orgUnit', 'body.period', 'body.values.0.indicator', 'body.values.0.disaggregation', 'body.values.0.value'] },
  { method: 'PUT', path: '/api/data-values', body: { indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q4', disaggregation: '', value: 5 },
    fields: ['body.indicator', 'body.orgUnit', 'body.period', 'body.disaggregation', 'body.value'] },
  { method: 'POST', path: '/api/submissions/submit', body: { framework: 'TEST', orgUnit: 'PK-PB-LHR', period: '2025Q4' }, fields: ['body.framework', 'body.orgUnit', 'body.period'] },
];

/** The target with one field set to the value; paths and queries are encoded as a client would. */
function request(t: Target, field: string, value: string): InjectOptions {
  const copy = structuredClone({ params: t.params ?? {}, query: t.query ?? {}, body: t.body }) as Record<string, unknown>;
  const keys = field.split('.');
  let at = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  const params = copy.params as Record<string, string>;
  const path = t.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name]!));
  const query = new URLSearchParams(copy.query as Record<string, string>).toString();
  return { method: t.method, url: query ? `${path}?${query}` : path, ...(copy.body ? { payload: copy.body as InjectOptions['payload'] } : {}) };
}

/** How much an answer holds: the items of every JSON array in it, or the lines of a file. */
function rows(res: LightMyRequestResponse): number {
  if (!String(res.headers['content-type']).includes('json')) return res.body.split('\n').filter(Boolean).length;
  const count = (v: unknown): number =>
    Array.isArray(v) ? v.length + v.reduce((n: number, x) => n + count(x), 0)
      : v && typeof v === 'object' ? Object.values(v).reduce((n: number, x) => n + count(x), 0) : 0;
  return count(res.json());
}

let conn: Connection;
let app: FastifyInstance;
let before: Record<string, number>;

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await conn.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
  return out;
}

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  app = await buildServer(conn);
  await injectAsAdmin(app, conn.db);
  const csv = [
    'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment',
    'T-COUNT,PK-PB-LHR,2025Q4,,120,,,', 'T-COUNT,PK-PB-KSR,2025Q4,,80,,,', 'T-COUNT,PK-SD-KHI,2025Q4,,60,,,',
    'T-PCT,PK-PB-LHR,2025Q4,,,45,60,', 'T-YN,PK-PB,2025Q4,,yes,,,',
  ].join('\n');
  const imported = await app.inject({ method: 'POST', url: '/api/imports?format=csv', headers: { 'content-type': 'text/csv' }, payload: csv });
  expect(imported.statusCode).toBe(200);
  const submitted = await app.inject({ method: 'POST', url: '/api/submissions/submit', payload: { framework: 'TEST', orgUnit: 'PK-PB', period: '2025Q4' } });
  expect(submitted.statusCode).toBe(200);
  before = await counts();
});
afterAll(async () => {
  await app.close();
  await conn.close();
});

describe('SQL injection', () => {
  for (const t of TARGETS) {
    for (const field of t.fields) {
      it(`${t.method} ${t.path} with ${field}`, async () => {
        const plain = await app.inject(request(t, field, NO_MATCH));
        const ceiling = plain.statusCode === 200 ? rows(plain) : 0;
        const wrong: string[] = [];
        for (const payload of PAYLOADS) {
          const res = await app.inject(request(t, field, payload));
          const refused = res.statusCode >= 400 && res.statusCode < 500;
          if (!refused && !(res.statusCode === 200 && rows(res) <= ceiling)) {
            wrong.push(`${payload}: ${res.statusCode}, ${res.statusCode === 200 ? `${rows(res)} rows against ${ceiling}` : res.body.slice(0, 200)}`);
          }
        }
        expect(wrong).toEqual([]);
      });
    }
  }

  it('left every table and the audit chain as they were', async () => {
    expect(await counts()).toEqual(before);
    expect(await verifyAudit(conn.db)).toMatchObject({ ok: true, broken: null });
  });
});
