import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Connection } from '../src/db/connect.ts';
import { dataEntryRoutes } from '../src/api/routes/data-entry-routes.ts';
import { indicatorDetailRoutes } from '../src/api/routes/indicator-detail-routes.ts';
import { createTestDatabase } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { routeApp } from './route-app.ts';

let conn: Connection;
let app: FastifyInstance;

const save = (orgUnit: string, period: string, values: unknown[]) =>
  app.inject({ method: 'POST', url: '/api/data-entry/values', payload: { orgUnit, period, values } });

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  app = await routeApp(conn.db, (a) => {
    dataEntryRoutes(a, conn.db);
    indicatorDetailRoutes(a, conn.db);
  });
  await save('PK-PB-LHR', '2025Q4', [
    { indicator: 'T-COUNT', disaggregation: 'sex=F', value: '12' },
    { indicator: 'T-COUNT', disaggregation: 'sex=M', value: '18' },
  ]);
  await save('PK-PB-KSR', '2025Q4', [{ indicator: 'T-COUNT', disaggregation: 'sex=F', value: '5' }]);
});
afterAll(async () => {
  await app.close();
  await conn.close();
});

describe('indicator page extras', () => {
  it('splits the value by each disaggregation category, aggregated over the units below', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/indicators/T-COUNT/breakdown?orgUnit=PK-PB&period=2025Q4' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      total: { value: 35 },
      categories: [{ code: 'sex', nameUr: 'جنس', options: [{ code: 'F', value: 17 }, { code: 'M', value: 18 }] }],
    });
  });

  it('lists who stored, changed and removed values, newest first', async () => {
    await save('PK-PB-LHR', '2025Q4', [{ indicator: 'T-COUNT', disaggregation: 'sex=F', value: '14' }]);
    await save('PK-PB-LHR', '2025Q4', [{ indicator: 'T-COUNT', disaggregation: 'sex=M', value: '' }]);
    const res = await app.inject({ method: 'GET', url: '/api/indicators/T-COUNT/changes?orgUnit=PK-PB-LHR' });
    const events = res.json().map((e: { disaggregation: string; action: string; oldValue: number | null; newValue: number | null; changedBy: string }) =>
      [e.disaggregation, e.action, e.oldValue, e.newValue, e.changedBy]);
    // The signed-in test administrator, as the gate records them.
    const admin = expect.stringMatching(/^t\.admin\./);
    expect(events).toEqual([
      ['sex=M', 'delete', 18, null, admin],
      ['sex=F', 'update', 12, 14, admin],
      ['sex=M', 'create', null, 18, admin],
      ['sex=F', 'create', null, 12, admin],
    ]);
    expect((await app.inject({ method: 'GET', url: '/api/indicators/T-COUNT/changes?orgUnit=PK-PB' })).json()).toHaveLength(5);
  });

  it('flags rule violations that read the indicator', async () => {
    await conn.db.query(`UPDATE validation_rule SET severity = 'warning' WHERE code = 'VR-F'`);
    const saved = await save('PK-PB-KSR', '2025Q4', [{ indicator: 'T-COUNT', disaggregation: '', value: '3' }]);
    expect(saved.json().issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'rule:VR-F' })]);
    const res = await app.inject({ method: 'GET', url: '/api/indicators/T-COUNT/flags?orgUnit=PK-PB&period=2025Q4' });
    expect(res.json()).toMatchObject({
      rules: [{ code: 'VR-F', severity: 'warning' }],
      violations: [{ rule: 'VR-F', orgUnit: 'PK-PB-KSR', left: 5, right: 3 }],
      outliers: [],
    });
  });

  it('dates the targets on the indicator\'s own frequency and keeps the national baseline at the country', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/indicators/T-COUNT/target-path?orgUnit=PK-PB' });
    expect(res.json()).toEqual({ indicator: 'T-COUNT', orgUnit: 'PK-PB', baseline: null, targets: [{ period: '2025Q4', value: 500, phase: null }] });
    const unknown = await app.inject({ method: 'GET', url: '/api/indicators/NOPE/target-path?orgUnit=PK-XX' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors.map((e: { field: string }) => e.field)).toEqual(['indicator', 'orgUnit']);
  });
});
