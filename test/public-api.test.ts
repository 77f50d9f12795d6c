import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import type { Connection } from '../src/db/connect.ts';
import { buildServer } from '../src/api/server.ts';
import { createTestDatabase } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { injectAsAdmin } from './sign-in.ts';
import { acceptAll } from './accept-all.ts';

let conn: Connection;
let app: FastifyInstance;

// Kasur reports 3 women: a small count. Lahore's values are large. T-PKR is made internal below.
const CSV = [
  'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment',
  'T-COUNT,PK-PB-LHR,2025Q4,,120,,,',
  'T-COUNT,PK-PB-LHR,2025Q4,sex=F,50,,,',
  'T-COUNT,PK-PB-LHR,2025Q4,sex=M,70,,,',
  'T-COUNT,PK-PB-KSR,2025Q4,,40,,,',
  'T-COUNT,PK-PB-KSR,2025Q4,sex=F,3,,,',
  'T-COUNT,PK-PB-KSR,2025Q4,sex=M,37,,,',
  'T-COUNT,PK-SD-KHI,2025Q4,,200,,,',
  'T-COUNT,PK-SD-KHI,2025Q4,sex=F,90,,,',
  'T-COUNT,PK-SD-KHI,2025Q4,sex=M,110,,,',
  'T-PCT,PK-PB-LHR,2025Q4,,,45,60,',
  'T-PCT,PK-PB-KSR,2025Q4,,,4,8,',
  'T-PKR,PK-PB,2025Q4,,987654,,,',
  // Karachi's 2025Q3 report is submitted, not yet accepted: nothing public may show it.
  'T-COUNT,PK-SD-KHI,2025Q3,,150,,,',
].join('\n');

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  await conn.db.query(`UPDATE indicator SET public = false WHERE code = 'T-PKR'`);
  app = await buildServer(conn);
  await injectAsAdmin(app, conn.db);
  const res = await app.inject({ method: 'POST', url: '/api/imports?format=csv', headers: { 'content-type': 'text/csv' }, payload: CSV });
  expect(res.json()).toMatchObject({ status: 'success' });
  await acceptAll(conn.db, [{ orgUnit: 'PK-SD-KHI', period: '2025Q3', status: 'submitted' }]);
});
afterAll(async () => {
  await app.close();
  await conn.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('public API', () => {
  it('lists only public indicators, with definition, source, periods and targets', async () => {
    const list = (await get('/api/public/indicators')).json() as { code: string; periods: string[]; targets: unknown[]; institutions: unknown[] }[];
    expect(list.map((i) => i.code)).toEqual(['T-COUNT', 'T-PCT', 'T-MONTH', 'T-YN', 'T-MS']);
    expect(list[0]).toMatchObject({ periods: ['2025Q4'], targets: [{ orgUnit: 'PK-PB', period: '2025Q4', value: 500 }], institutions: [{ code: 'T-HD' }] });
  });

  it('answers a non-public indicator exactly as an unknown one: 404, never 403', async () => {
    for (const url of ['/api/public/indicators/T-PKR', '/api/public/indicators/T-PKR/data.csv', '/api/public/indicators/T-PKR/data.json']) {
      const hidden = await get(url);
      const unknown = await get(url.replace('T-PKR', 'NOPE'));
      expect(hidden.statusCode, url).toBe(404);
      expect(unknown.statusCode, url).toBe(404);
      expect(hidden.json().error).toBe(unknown.json().error);
    }
    const bulk = await get('/api/public/data.csv');
    expect(bulk.body).not.toContain('T-PKR');
    expect(bulk.body).not.toContain('987654');
  });

  it('refuses any query parameter outside the allowed set with a 400', async () => {
    for (const url of ['/api/public/indicators?x=1', '/api/public/indicators/T-COUNT/data.csv?periods=2025Q4', '/api/public/data.json?all=true',
      '/api/public/scorecard?level=district', '/api/public/reporting-status?from=2025Q1']) {
      expect((await get(url)).statusCode, url).toBe(400);
    }
  });

  it('publishes tidy CSV: one row per value, a blank disaggregation cell for the total, small counts and what reveals them suppressed', async () => {
    const res = await get('/api/public/indicators/T-COUNT/data.csv?period=2025Q4');
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['indicator', 'period', 'org_unit', 'org_unit_name', 'org_unit_name_ur', 'sex', 'unit', 'value', 'suppressed']);
    const cell = (unit: string, sex: string) => rows.find((r) => r.org_unit === unit && r.sex === sex)!;
    expect(cell('PK', '')).toMatchObject({ value: '360', suppressed: '' });
    expect(cell('PK-PB-KSR', 'F')).toMatchObject({ value: '', suppressed: 'small_count' });
    // Kasur's men (40 − 3) and Lahore's women (Punjab 53 − 3) would give the 3 away.
    expect(cell('PK-PB-KSR', 'M')).toMatchObject({ value: '', suppressed: 'complementary' });
    expect(cell('PK-PB-LHR', 'F').suppressed).toBe('complementary');
    expect(rows.some((r) => r.value === '3')).toBe(false);
  });

  it('hides a rate on a base under ten', async () => {
    const json = (await get('/api/public/indicators/T-PCT/data.json')).json();
    const byUnit = Object.fromEntries(json.observations.map((o: { org_unit: string; value: number | null; suppressed: string | null }) => [o.org_unit, o]));
    expect(byUnit['PK-PB-KSR']).toMatchObject({ value: null, suppressed: 'small_denominator' });
    expect(byUnit['PK-PB-LHR']).toMatchObject({ value: 75, suppressed: null });
    expect(json.licence.name).toBe('CC-BY-4.0');
  });

  it('gives the same rows as JSON and CSV, and a Frictionless data package describing them', async () => {
    const csv = parse((await get('/api/public/data.csv')).body, { bom: true, columns: true }) as Record<string, string>[];
    const json = (await get('/api/public/data.json')).json();
    expect(json.observations).toHaveLength(csv.length);
    expect(json.observations.map((o: Record<string, unknown>) => `${o.indicator}|${o.org_unit}|${o.sex ?? ''}|${o.value ?? ''}`))
      .toEqual(csv.map((r) => `${r.indicator}|${r.org_unit}|${r.sex}|${r.value}`));
    const pkg = (await get('/api/public/datapackage.json')).json();
    expect(pkg.licenses[0].name).toBe('CC-BY-4.0');
    expect(pkg.resources.map((r: { path: string }) => r.path)).toEqual(['data.csv', 'indicators.csv']);
    expect(pkg.resources[0].schema.fields.map((f: { name: string }) => f.name)).toEqual(Object.keys(csv[0]!));
    const indicators = parse((await get('/api/public/indicators.csv')).body, { bom: true, columns: true }) as Record<string, string>[];
    expect(pkg.resources[1].schema.fields.map((f: { name: string }) => f.name)).toEqual(Object.keys(indicators[0]!));
  });

  it('publishes a report the moment NACTA accepts it, and not before, though answers are kept between reads', async () => {
    const karachi = async (period: string) => ((await get('/api/public/indicators/T-COUNT/data.json')).json().observations as { org_unit: string; period: string; sex: string | null; value: number }[])
      .find((o) => o.org_unit === 'PK-SD-KHI' && o.period === period && o.sex === null)?.value;
    expect(await karachi('2025Q4')).toBe(200);
    expect(await karachi('2025Q3')).toBeUndefined();
    expect((await get('/api/public/indicators/T-COUNT/data.csv')).body).not.toContain('150');
    const id = (await app.inject({ method: 'GET', url: '/api/submissions?orgUnit=PK-SD-KHI&period=2025Q3' })).json()[0].id;
    for (const status of ['approved_district', 'approved_province']) {
      expect((await app.inject({ method: 'POST', url: `/api/submissions/${id}/approve`, payload: {} })).json().status).toBe(status);
      expect(await karachi('2025Q3')).toBeUndefined();
    }
    expect((await app.inject({ method: 'POST', url: `/api/submissions/${id}/approve`, payload: {} })).json().status).toBe('accepted');
    expect(await karachi('2025Q3')).toBe(150);
  });

  it('serves the scorecard and reporting status of the public indicators only', async () => {
    const card = (await get('/api/public/scorecard?period=2025Q4')).json();
    expect(card.indicators.map((i: { code: string }) => i.code)).not.toContain('T-PKR');
    expect(card.columns.map((c: { code: string }) => c.code)).toEqual(['PK-PB', 'PK-SD']);
    expect((await get('/api/public/scorecard?orgUnit=PK-PB-LHR')).statusCode).toBe(404);
    const status = (await get('/api/public/reporting-status?to=2025Q4')).json();
    expect(status).toMatchObject({ from: '2025Q1', to: '2025Q4' });
  });
});
