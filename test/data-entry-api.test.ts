import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Connection } from '../src/db/connect.ts';
import { dataEntryRoutes } from '../src/api/routes/data-entry-routes.ts';
import { createTestDatabase } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { routeApp } from './route-app.ts';

let conn: Connection;
let app: FastifyInstance;

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  await conn.db.query(
    `INSERT INTO validation_rule (code, name_en, name_ur, left_expr, operator, right_expr, severity)
     VALUES ('VR-SHARE', 'Passing share should not exceed 90%', 'کامیابی کی شرح 90 فیصد سے زیادہ نہیں ہونی چاہیے', '#{T-PCT}', '<=', '90', 'warning')`,
  );
  app = await routeApp(conn.db, (a) => dataEntryRoutes(a, conn.db));
});
afterAll(async () => {
  await app.close();
  await conn.close();
});

const post = (url: string, values: unknown[], orgUnit = 'PK-PB-LHR', period = '2025Q4') =>
  app.inject({ method: 'POST', url, payload: { orgUnit, period, values } });

describe('data-entry form and typed values', () => {
  it('lists every indicator the district reports for the quarter, with ranges, disaggregations and stored values', async () => {
    await post('/api/data-entry/values', [{ indicator: 'T-COUNT', disaggregation: '', value: '40' }]);
    const res = await app.inject({ method: 'GET', url: '/api/data-entry/form?orgUnit=PK-PB-LHR&period=2025Q4' });
    expect(res.statusCode).toBe(200);
    const form = res.json();
    expect(form.indicators.map((i: { code: string }) => i.code)).toEqual(['T-COUNT', 'T-PCT']);
    const count = form.indicators[0];
    expect(count).toMatchObject({ pillar: { code: 'P1' }, objective: { code: 'P1.1' }, range: { min: 0, max: null, integer: true } });
    expect(count.disaggregations[0].options.map((o: { code: string }) => o.code)).toEqual(['F', 'M']);
    expect(count.values).toEqual([expect.objectContaining({ disaggregation: '', value: 40 })]);
    const province = (await app.inject({ method: 'GET', url: '/api/data-entry/form?orgUnit=PK-PB&period=2025Q4' })).json();
    expect(province.indicators.find((i: { code: string }) => i.code === 'T-PKR').range).toEqual({ min: 0, max: 1e9, integer: false });
  });

  it('names the cell and reason for text in a number cell, a negative count and a value above the maximum, and saves nothing on a check', async () => {
    const res = await post('/api/data-entry/check', [
      { indicator: 'T-COUNT', disaggregation: 'sex=F', value: 'twelve' },
      { indicator: 'T-COUNT', disaggregation: 'sex=M', value: '-3' },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json().issues).toEqual([
      expect.objectContaining({ indicator: 'T-COUNT', disaggregation: 'sex=F', field: 'value', severity: 'error', code: 'not_a_number' }),
      expect.objectContaining({ indicator: 'T-COUNT', disaggregation: 'sex=M', field: 'value', severity: 'error', code: 'negative_count' }),
    ]);
    const above = await post('/api/data-entry/check', [{ indicator: 'T-PKR', disaggregation: '', value: '2000000000' }], 'PK-PB');
    expect(above.json().issues).toEqual([expect.objectContaining({ field: 'value', code: 'above_max' })]);
    const stored = await conn.db.query(`SELECT 1 FROM data_value d JOIN indicator i ON i.id = d.indicator_id WHERE i.code = 'T-PKR'`);
    expect(stored.rowCount).toBe(0);
  });

  it('warns with the rule\'s name in both languages, and checks a rule against the stored values', async () => {
    const res = await post('/api/data-entry/check', [{ indicator: 'T-PCT', disaggregation: '', numerator: '95', denominator: '100' }]);
    expect(res.json().issues).toEqual([expect.objectContaining({
      indicator: 'T-PCT', severity: 'warning', code: 'rule:VR-SHARE',
      rule: { code: 'VR-SHARE', nameEn: 'Passing share should not exceed 90%', nameUr: 'کامیابی کی شرح 90 فیصد سے زیادہ نہیں ہونی چاہیے' },
    })]);
    // 40 people trained are stored: 50 women is an error against them.
    const women = await post('/api/data-entry/check', [{ indicator: 'T-COUNT', disaggregation: 'sex=F', value: '50' }]);
    expect(women.json().issues).toEqual([expect.objectContaining({ disaggregation: 'sex=F', severity: 'error', code: 'rule:VR-F' })]);
  });

  it('saves the valid cells, refuses the bad one with its reason, and removes a cleared cell', async () => {
    const res = await post('/api/data-entry/values', [
      { indicator: 'T-COUNT', disaggregation: 'sex=F', value: '15' },
      { indicator: 'T-COUNT', disaggregation: 'sex=M', value: 'x' },
      { indicator: 'T-PCT', disaggregation: '', numerator: '30', denominator: '60', comment: 'checked against the register' },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.saved).toEqual([{ indicator: 'T-COUNT', disaggregation: 'sex=F' }, { indicator: 'T-PCT', disaggregation: '' }]);
    expect(body.issues).toEqual([expect.objectContaining({ disaggregation: 'sex=M', code: 'not_a_number' })]);
    const form = (await app.inject({ method: 'GET', url: '/api/data-entry/form?orgUnit=PK-PB-LHR&period=2025Q4' })).json();
    expect(form.indicators[1].values).toEqual([{ disaggregation: '', value: 50, numerator: 30, denominator: 60, comment: 'checked against the register' }]);

    const cleared = await post('/api/data-entry/values', [{ indicator: 'T-COUNT', disaggregation: 'sex=F', value: '' }]);
    expect(cleared.json()).toMatchObject({ saved: [{ indicator: 'T-COUNT', disaggregation: 'sex=F' }], counts: { deleted: 1 } });
  });

  it('warns when a typed value is far from the cell\'s own history', async () => {
    const quarters = ['2024Q4', '2025Q1', '2025Q2', '2025Q3', '2025Q4'];
    for (const [i, period] of quarters.entries()) {
      await post('/api/data-entry/values', [{ indicator: 'T-COUNT', disaggregation: '', value: String(100 + i) }], 'PK-SD-KHI', period);
    }
    const usual = await post('/api/data-entry/check', [{ indicator: 'T-COUNT', disaggregation: '', value: '103' }], 'PK-SD-KHI', '2026Q1');
    expect(usual.json().issues).toEqual([]);
    const far = await post('/api/data-entry/check', [{ indicator: 'T-COUNT', disaggregation: '', value: '900' }], 'PK-SD-KHI', '2026Q1');
    expect(far.json().issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'outlier', outlier: expect.objectContaining({ median: 102 }) })]);
  });

  it('refuses a unit or period that does not exist, naming it', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/data-entry/form?orgUnit=PK-XX&period=2025Q4' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toContain('PK-XX');
    const bad = await post('/api/data-entry/check', [{ indicator: 'T-COUNT', disaggregation: '', value: '1' }], 'PK-PB-LHR', '2025Q9');
    expect(bad.json().issues).toEqual([expect.objectContaining({ code: 'invalid_period' })]);
  });
});
