import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeApp } from '../../test/route-app.ts';
import { calculatedIndicatorRoutes } from '../api/routes/calculated-indicator-routes.ts';
import type { Connection } from '../db/connect.ts';
import { parsePeriod } from '../domain/period.ts';
import { importRows } from '../importexport/import-pipeline.ts';
import { parseJaizaCsv } from '../importexport/jaiza-csv.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { loadTestFramework } from '../../test/fixture-framework.ts';
import { evaluateCalculated, saveCalculatedIndicator, type CalculatedIndicatorDef } from './calculated-indicator.ts';

let conn: Connection;
let app: FastifyInstance;

const ROWS = [
  // People trained per quarter; Kasur reports only by sex. Karachi trained nobody in Q3.
  'T-COUNT,PK-PB-LHR,2025Q3,,100,,,', 'T-COUNT,PK-PB-LHR,2025Q4,,120,,,',
  'T-COUNT,PK-PB-KSR,2025Q4,sex=F,10,,,', 'T-COUNT,PK-PB-KSR,2025Q4,sex=M,20,,,',
  'T-COUNT,PK-SD-KHI,2025Q3,,0,,,',
  // Items published per month.
  'T-MONTH,PK-PB-LHR,202507,,90,,,', 'T-MONTH,PK-PB-LHR,202510,,30,,,', 'T-MONTH,PK-PB-LHR,202511,,30,,,',
  'T-MONTH,PK-PB-KSR,202512,,45,,,', 'T-MONTH,PK-SD-KHI,202508,,5,,,',
];

const def = (code: string, formula: string, extra: Partial<CalculatedIndicatorDef> = {}): CalculatedIndicatorDef => ({
  code, nameEn: code, nameUr: '', description: '', formula, unitType: 'index', polarity: 'higher', frequency: 'quarterly', aggregation: 'period', ...extra,
});

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  const csv = ['indicator,org_unit,period,disaggregation,value,numerator,denominator,comment', ...ROWS].join('\n');
  const s = await importRows(conn.db, parseJaizaCsv(Readable.from([Buffer.from(csv)])), { user: 't', format: 'csv' });
  expect(s.errors).toEqual([]);
  await saveCalculatedIndicator(conn.db, def('C-PER-HEAD', '#{T-MONTH} / #{T-COUNT}'));
  await saveCalculatedIndicator(conn.db, def('C-GROWTH', '#{T-COUNT} - #{T-COUNT@-1}', { unitType: 'count' }));
  await saveCalculatedIndicator(conn.db, def('C-PER-HEAD-YTD', '#{T-MONTH} / #{T-COUNT}', { aggregation: 'ytd' }));
  await saveCalculatedIndicator(conn.db, def('C-PER-100', '#{C-PER-HEAD} * 100'));

  app = await routeApp(conn.db, (a) => calculatedIndicatorRoutes(a, conn.db));
});
afterAll(async () => {
  await app.close();
  await conn.close();
});

const values = async (code: string, orgUnits: string[], period: string) =>
  Object.fromEntries((await evaluateCalculated(conn.db, { code, orgUnits, periods: [parsePeriod(period)] })).map((c) => [c.orgUnit, c.value]));

describe('evaluating calculated indicators', () => {
  it('divides the aggregated values at each level: the province is Σa / Σb, not the average of its districts', async () => {
    expect(await values('C-PER-HEAD', ['PK-PB-LHR', 'PK-PB-KSR', 'PK-PB'], '2025Q4')).toEqual({ 'PK-PB-LHR': 0.5, 'PK-PB-KSR': 1.5, 'PK-PB': 105 / 150 });
  });

  it('reads the previous quarter through a period offset, and names it when it has no data', async () => {
    expect(await values('C-GROWTH', ['PK-PB-LHR'], '2025Q4')).toEqual({ 'PK-PB-LHR': 20 });
    const [cell] = await evaluateCalculated(conn.db, { code: 'C-GROWTH', orgUnits: ['PK-PB-LHR'], periods: [parsePeriod('2025Q3')] });
    expect(cell).toEqual({ indicator: 'C-GROWTH', orgUnit: 'PK-PB-LHR', period: '2025Q3', value: null, missing: ['T-COUNT@-1'] });
  });

  it('gives null with the error on division by zero', async () => {
    const [cell] = await evaluateCalculated(conn.db, { code: 'C-PER-HEAD', orgUnits: ['PK-SD-KHI'], periods: [parsePeriod('2025Q3')] });
    expect(cell).toEqual({ indicator: 'C-PER-HEAD', orgUnit: 'PK-SD-KHI', period: '2025Q3', value: null, error: 'division by zero' });
  });

  it('evaluates year to date on the values summed from January, and a formula over another calculated indicator', async () => {
    expect(await values('C-PER-HEAD-YTD', ['PK-PB-LHR'], '2025Q4')).toEqual({ 'PK-PB-LHR': (90 + 60) / (100 + 120) });
    expect(await values('C-PER-HEAD', ['PK-PB-LHR'], '2025Q3')).toEqual({ 'PK-PB-LHR': 0.9 });
    expect(await values('C-PER-100', ['PK-PB-LHR', 'PK-PB'], '2025Q4')).toEqual({ 'PK-PB-LHR': 50, 'PK-PB': 70 });
  });
});

describe('saving a calculated indicator', () => {
  it('refuses a cycle, naming its path', async () => {
    await saveCalculatedIndicator(conn.db, def('C-B', '#{T-COUNT} * 2'));
    await saveCalculatedIndicator(conn.db, def('C-A', '#{C-B} + 1'));
    await expect(saveCalculatedIndicator(conn.db, def('C-B', '#{C-A} - 1'))).rejects.toThrow('C-B → C-A → C-B');
    await expect(saveCalculatedIndicator(conn.db, def('C-SELF', '#{T-COUNT} + 0'))).resolves.toBeUndefined();
    await expect(saveCalculatedIndicator(conn.db, def('C-SELF', '#{C-SELF@-1} + 1'))).rejects.toThrow('C-SELF → C-SELF');
    expect(await values('C-B', ['PK-PB-LHR'], '2025Q4')).toEqual({ 'PK-PB-LHR': 240 });
  });

  it('refuses an unknown code, a clash with an indicator code and a syntax error with its position', async () => {
    await expect(saveCalculatedIndicator(conn.db, def('C-X', '#{T-COUNT} / #{NOPE}'))).rejects.toThrow('unknown indicator "NOPE"');
    await expect(saveCalculatedIndicator(conn.db, def('T-PCT', '#{T-COUNT}'))).rejects.toThrow('"T-PCT" is already the code of an indicator');
    await expect(saveCalculatedIndicator(conn.db, def('C-X', '#{T-COUNT} * / 2'))).rejects.toThrow(/position 14/);
    await expect(saveCalculatedIndicator(conn.db, def('C-X', '#{T-COUNT.numerator}'))).rejects.toThrow('only percentage indicators have a numerator');
    expect((await conn.db.query("SELECT 1 FROM calculated_indicator WHERE code IN ('C-X', 'T-PCT')")).rows).toEqual([]);
  });
});

describe('routes', () => {
  const body = { nameEn: 'Items per person', unitType: 'index', frequency: 'quarterly' };

  it('saves with PUT, lists with GET and returns values for relative periods', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/calculated-indicators/C-API', payload: { ...body, formula: '#{T-MONTH} / #{T-COUNT}' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ code: 'C-API', formula: '#{T-MONTH} / #{T-COUNT}', aggregation: 'period', polarity: 'higher' });
    const list = await app.inject({ method: 'GET', url: '/api/calculated-indicators' });
    expect(list.json().map((d: { code: string }) => d.code)).toContain('C-API');
    const got = await app.inject({ method: 'GET', url: '/api/calculated-indicators/C-API/values?orgUnit=PK-PB-LHR,PK-PB&period=2025Q3;2025Q4' });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual([
      { indicator: 'C-API', orgUnit: 'PK-PB-LHR', period: '2025Q3', value: 0.9 },
      { indicator: 'C-API', orgUnit: 'PK-PB', period: '2025Q3', value: 0.9 },
      { indicator: 'C-API', orgUnit: 'PK-PB-LHR', period: '2025Q4', value: 0.5 },
      { indicator: 'C-API', orgUnit: 'PK-PB', period: '2025Q4', value: 0.7 },
    ]);
  });

  it('answers 400 for a syntax error, 422 for a cycle, 404 for an unknown calculated indicator', async () => {
    const syntax = await app.inject({ method: 'PUT', url: '/api/calculated-indicators/C-BAD', payload: { ...body, formula: '#{T-COUNT} +' } });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().message).toMatch(/position 13/);
    await app.inject({ method: 'PUT', url: '/api/calculated-indicators/C-R1', payload: { ...body, formula: '#{T-COUNT}' } });
    await app.inject({ method: 'PUT', url: '/api/calculated-indicators/C-R2', payload: { ...body, formula: '#{C-R1}' } });
    const cycle = await app.inject({ method: 'PUT', url: '/api/calculated-indicators/C-R1', payload: { ...body, formula: '#{C-R2} + 1' } });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().message).toContain('C-R1 → C-R2 → C-R1');
    const missing = await app.inject({ method: 'GET', url: '/api/calculated-indicators/C-NONE/values?orgUnit=PK&period=2025' });
    expect(missing.statusCode).toBe(404);
    const extra = await app.inject({ method: 'GET', url: '/api/calculated-indicators/C-API/values?orgUnit=PK&period=2025&x=1' });
    expect(extra.statusCode).toBe(400);
  });
});
