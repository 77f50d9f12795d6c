import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Connection } from '../src/db/connect.ts';
import { buildServer } from '../src/api/server.ts';
import { listMigrations } from '../src/db/migrate.ts';
import { createTestDatabase, engine } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { injectAsAdmin } from './sign-in.ts';

let conn: Connection;
let app: FastifyInstance;

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  app = await buildServer(conn);
  await injectAsAdmin(app, conn.db);
});
afterAll(async () => {
  await app.close();
  await conn.close();
});

const CSV = [
  'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment',
  'T-COUNT,PK-PB-LHR,2025Q4,,120,,,',
  'T-PCT,PK-PB-LHR,2025Q4,,,45,60,',
].join('\n');

describe('HTTP API', () => {
  it('reports the database kind and migration version', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: engine, migrationVersion: listMigrations().at(-1)!.version });
  });

  it('serves an OpenAPI 3.1 description covering the routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/imports', '/api/exports', '/api/templates', '/api/frameworks/{code}', '/api/data-values', '/api/validation', '/api/dhis2/metadata']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('imports a CSV upload with a dry run first, then for real', async () => {
    const dry = await app.inject({ method: 'POST', url: '/api/imports?format=csv&dryRun=true', headers: { 'content-type': 'text/csv' }, payload: CSV });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, counts: { imported: 2 } });
    const real = await app.inject({ method: 'POST', url: '/api/imports?fileName=q4.csv', headers: { 'content-type': 'text/csv' }, payload: CSV });
    expect(real.json()).toMatchObject({ dryRun: false, status: 'success', counts: { imported: 2 } });
    const values = await app.inject({ method: 'GET', url: '/api/data-values?orgUnit=PK-PB&period=2025' });
    expect(values.json()).toHaveLength(2);
  });

  it('imports a JSON upload as a stream', async () => {
    const body = JSON.stringify([{ indicator: 'T-COUNT', org_unit: 'PK-PB-KSR', period: '2025Q4', value: 7 }]);
    const res = await app.inject({ method: 'POST', url: '/api/imports?format=json', headers: { 'content-type': 'application/json' }, payload: body });
    expect(res.json()).toMatchObject({ counts: { imported: 1 } });
  });

  it('answers a bad file with 422 and the row, field and reason', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/imports?format=csv', headers: { 'content-type': 'text/csv' },
      payload: `${CSV}\nT-COUNT,PK-PB-LHR,2025Q3,,lots,,,`,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ row: 4, field: 'value', code: 'not_a_number' });
  });

  it('saves one value from a form and keeps its history', async () => {
    const put = (value: number) => app.inject({ method: 'PUT', url: '/api/data-values', payload: { indicator: 'T-COUNT', orgUnit: 'PK-SD-KHI', period: '2025Q4', value } });
    expect((await put(10)).json()).toMatchObject({ counts: { imported: 1 } });
    expect((await put(12)).json()).toMatchObject({ counts: { updated: 1 } });
    const hist = await app.inject({ method: 'GET', url: '/api/data-values/history?indicator=T-COUNT&orgUnit=PK-SD-KHI&period=2025Q4' });
    expect(hist.json().map((h: { oldValue: number | null; newValue: number }) => [h.oldValue, h.newValue])).toEqual([[null, 10], [10, 12]]);
    const bad = await app.inject({ method: 'PUT', url: '/api/data-values', payload: { indicator: 'T-COUNT', orgUnit: 'PK-SD-KHI', period: '2025Q4', value: -1 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ field: 'value', code: 'negative_count' });
  });

  it('exports the values it holds as CSV and DHIS2 JSON', async () => {
    const csv = await app.inject({ method: 'GET', url: '/api/exports?format=csv&orgUnit=PK-PB&period=2025Q4' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('T-PCT,PK-PB-LHR,2025Q4,,,45,60,');
    const dhis2 = await app.inject({ method: 'GET', url: '/api/exports?format=dhis2-json&idScheme=code' });
    expect(dhis2.json().dataValues.length).toBeGreaterThan(0);
  });

  it('gives 4xx, never 500, for bad parameters', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/exports?period=2025Q9' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/periods/2025Q9' })).json().message).toContain('"2025Q9" is not a valid period');
    expect((await app.inject({ method: 'GET', url: '/api/indicators/NOPE' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/templates?orgUnit=PK-XX&period=2025Q4' })).statusCode).toBe(422);
    expect((await app.inject({ method: 'POST', url: '/api/imports?format=csv', headers: { 'content-type': 'text/csv' }, payload: '' })).statusCode).toBe(422);
    const rule = await app.inject({ method: 'PUT', url: '/api/validation-rules/VR-X', payload: { nameEn: 'x', left: '#{T-COUNT} +', operator: '<=', right: '1' } });
    expect(rule.statusCode).toBe(400);
    expect(rule.json().message).toMatch(/position/);
  });

  it('downloads a data-entry template for a unit and period', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/templates?orgUnit=PK-PB-LHR&period=2025Q4' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('serves the framework tree and search in both languages', async () => {
    const fw = await app.inject({ method: 'GET', url: '/api/frameworks/TEST' });
    expect(fw.json().pillars).toHaveLength(2);
    const byUrdu = await app.inject({ method: 'GET', url: `/api/indicators?q=${encodeURIComponent('اشاریہ')}` });
    expect(byUrdu.json().length).toBeGreaterThan(0);
    const xlsx = await app.inject({ method: 'GET', url: '/api/framework-export?format=xlsx' });
    expect(xlsx.statusCode).toBe(200);
    const back = await app.inject({ method: 'POST', url: '/api/framework-import?dryRun=true', headers: { 'content-type': 'application/octet-stream' }, payload: xlsx.rawPayload });
    expect(back.json()).toMatchObject({ dryRun: true, frameworks: ['TEST'], indicators: 6 });
  });

  it('answers analytics queries by the indicators\' rules, and refuses what it cannot answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/analytics?indicator=T-COUNT&orgUnit=PK,children:PK&period=2025Q4' });
    expect(res.statusCode).toBe(200);
    const byUnit = Object.fromEntries(res.json().map((c: { orgUnit: string; value: number | null }) => [c.orgUnit, c.value]));
    expect(byUnit.PK).toBe(byUnit['PK-PB'] + byUnit['PK-SD']);
    const relative = await app.inject({ method: 'GET', url: '/api/analytics?indicator=T-COUNT&orgUnit=PK&period=LAST_4_QUARTERS' });
    expect(relative.json()).toHaveLength(4);
    expect((await app.inject({ method: 'GET', url: '/api/analytics?indicator=T-COUNT&orgUnit=PK&period=2025Q4&colour=red' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/analytics?indicator=T-COUNT&orgUnit=PK&period=LAST_7_WEEKS' })).json().message).toContain('"LAST_7_WEEKS" is not a period or relative period');
    expect((await app.inject({ method: 'GET', url: '/api/analytics?indicator=T-COUNT&orgUnit=PK&period=2025Q5' })).json().message).toContain('"2025Q5" is not a valid period');
    const unknown = await app.inject({ method: 'GET', url: '/api/analytics?indicator=NOPE&orgUnit=PK&period=2025' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().message).toContain('unknown indicator "NOPE"');
  });
});
