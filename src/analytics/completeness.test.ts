import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestFramework } from '../../test/fixture-framework.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { routeApp } from '../../test/route-app.ts';
import { completenessRoutes } from '../api/routes/completeness-routes.ts';
import type { Connection } from '../db/connect.ts';
import { InputError } from '../domain/row-error.ts';
import { upsertInstitutions } from '../framework/framework-store.ts';
import { importRows } from '../importexport/import-pipeline.ts';
import { parseJaizaCsv } from '../importexport/jaiza-csv.ts';
import { completeness, completenessHeatmap } from './completeness.ts';

/**
 * The fixture's districts: Lahore, Kasur, Old (until 2025-06-30), New (from 2025-07-01) in Punjab, Karachi in Sindh.
 * Due per quarter of 2025: T-COUNT and T-PCT 4 districts each, T-MONTH 3 months × 4 districts,
 * T-YN and T-PKR 2 provinces each = 24; T-MS (fiscal year) has no fiscal year inside 2025.
 */
const YEAR = { from: '2025Q1', to: '2025Q4', asOf: new Date('2026-01-15T00:00:00Z') };

const CSV = [
  'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment',
  'T-COUNT,PK-SD-KHI,2025Q1,,10,,,',
  'T-COUNT,PK-SD-KHI,2025Q2,,10,,,',
  'T-COUNT,PK-SD-KHI,2025Q3,,10,,,',
  'T-COUNT,PK-SD-KHI,2025Q4,,10,,,',
  'T-COUNT,PK-PB-LHR,2025Q1,sex=F,5,,,',
  'T-COUNT,PK-PB-KSR,2025Q1,,7,,,',
  'T-COUNT,PK-PB-LHR,2026Q1,,9,,,',
  'T-YN,PK-PB,2025Q2,,1,,,',
  'T-PCT,PK-PB-LHR,2025Q2,,,45,60,',
].join('\n');

let conn: Connection;

beforeAll(async () => {
  conn = await createTestDatabase();
  const db = conn.db;
  await loadTestFramework(db);
  await upsertInstitutions(db, [{ code: 'T-SD', nameEn: 'Sindh Home Department', nameUr: 'محکمہ داخلہ سندھ', kind: 'department', orgUnit: 'PK-SD', parent: null }]);
  // T-COUNT lists Punjab's department first, T-PCT Sindh's: each district still goes to its own province's department.
  await db.query(
    `INSERT INTO indicator_institution (indicator_id, institution_id, sort)
     SELECT i.id, inst.id, x.sort
       FROM unnest($1::text[], $2::text[], $3::int[]) AS x(indicator, institution, sort)
       JOIN indicator i ON i.code = x.indicator JOIN institution inst ON inst.code = x.institution
     ON CONFLICT (indicator_id, institution_id) DO UPDATE SET sort = EXCLUDED.sort`,
    [['T-COUNT', 'T-PCT', 'T-PCT'], ['T-SD', 'T-SD', 'T-HD'], [1, 0, 1]],
  );
  const summary = await importRows(db, parseJaizaCsv(Readable.from([Buffer.from(CSV)])), { user: 'test', format: 'csv' });
  expect(summary.status).toBe('success');
  // Stored five days after each period ends, except: Kasur 2025Q1 half an hour after its deadline
  // (2025-04-30 ends at 19:00 UTC in Pakistan), Karachi 2025Q1 just before it, and Lahore's T-PCT 2025Q2
  // changed late but first stored on time (the first storing survives in the history).
  await db.exec(`
    UPDATE data_value v SET stored_at = p.end_date + interval '5 days' FROM period p WHERE p.id = v.period_id;
    UPDATE data_value SET stored_at = '2025-04-30T19:30:00Z' WHERE org_unit_id = (SELECT id FROM org_unit WHERE code = 'PK-PB-KSR');
    UPDATE data_value SET stored_at = '2025-04-30T18:59:59Z'
     WHERE org_unit_id = (SELECT id FROM org_unit WHERE code = 'PK-SD-KHI') AND period_id = (SELECT id FROM period WHERE code = '2025Q1');
    UPDATE data_value SET stored_at = '2025-09-01T00:00:00Z' WHERE indicator_id = (SELECT id FROM indicator WHERE code = 'T-PCT');
    INSERT INTO data_value_history (indicator_id, org_unit_id, period_id, disagg, action, old_numerator, new_numerator, old_stored_by, old_stored_at, changed_by, changed_at)
    SELECT indicator_id, org_unit_id, period_id, disagg, 'update', 40, numerator, 'test', '2025-07-10T00:00:00Z', 'test', stored_at
      FROM data_value WHERE indicator_id = (SELECT id FROM indicator WHERE code = 'T-PCT');
  `);
});
afterAll(async () => {
  await conn.close();
});

describe('completeness', () => {
  it('counts every expected report of the ended periods, with retired and new districts only while they exist', async () => {
    const r = await completeness(conn.db, YEAR);
    expect(r.totals).toEqual({ expected: 96, received: 8, onTime: 7, reportingRate: 8 / 96, timelinessRate: 7 / 96 });
    expect(r.orgUnits.find((u) => u.code === 'PK-PB-OLD')).toMatchObject({ expected: 10, received: 0 });
    expect(r.orgUnits.find((u) => u.code === 'PK-PB-NEW')).toMatchObject({ expected: 10, received: 0 });
    const q1 = r.periods.find((p) => p.period === '2025Q1');
    expect(q1).toEqual({ period: '2025Q1', expected: 12, received: 3, onTime: 2 });
    expect(r.periods.find((p) => p.period === '202507')).toEqual({ period: '202507', expected: 4, received: 0, onTime: 0 });
    expect(r.periods.map((p) => p.period).slice(0, 4)).toEqual(['202501', '2025Q1', '202502', '202503']);
  });

  it('counts a late report as received but not on time, and the first storing decides timeliness', async () => {
    const r = await completeness(conn.db, YEAR);
    const district = (code: string) => r.orgUnits.find((u) => u.code === code);
    expect(district('PK-PB-KSR')).toEqual({ code: 'PK-PB-KSR', nameEn: 'Kasur', nameUr: 'قصور', level: 'district', expected: 20, received: 1, onTime: 0 });
    expect(district('PK-PB-LHR')).toMatchObject({ expected: 20, received: 2, onTime: 2 });
    expect(district('PK-SD-KHI')).toMatchObject({ expected: 20, received: 4, onTime: 4 });
    const lenient = await completeness(conn.db, { ...YEAR, deadlineDays: 60 });
    expect(lenient.orgUnits.find((u) => u.code === 'PK-PB-KSR')).toMatchObject({ received: 1, onTime: 1 });
  });

  it('does not count periods that have not ended', async () => {
    const later = await completeness(conn.db, { ...YEAR, to: '2026Q1' });
    expect(later.totals).toMatchObject({ expected: 96, received: 8 });
    expect(later.periods.map((p) => p.period)).not.toContain('2026Q1');
    // Mid-November: Q4, November and December are not due yet; October is.
    const midQuarter = await completeness(conn.db, { ...YEAR, asOf: new Date('2025-11-15T00:00:00Z') });
    expect(midQuarter.totals.expected).toBe(96 - 12 - 8);
    expect(midQuarter.periods.map((p) => p.period)).toContain('202510');
    expect(midQuarter.periods.map((p) => p.period)).not.toContain('2025Q4');
  });

  it('attributes each report to the listed institution covering the unit, and ranks institutions by reporting rate', async () => {
    const r = await completeness(conn.db, YEAR);
    expect(r.institutions).toEqual([
      { code: 'T-SD', nameEn: 'Sindh Home Department', nameUr: 'محکمہ داخلہ سندھ', expected: 8, received: 4, onTime: 4, reportingRate: 0.5, timelinessRate: 0.5 },
      // Punjab's T-COUNT and T-PCT (24), every T-MONTH report including Karachi's (no covering institution listed: the first), T-YN and T-PKR.
      { code: 'T-HD', nameEn: 'Home Department', nameUr: 'محکمہ داخلہ', expected: 88, received: 4, onTime: 3, reportingRate: 4 / 88, timelinessRate: 3 / 88 },
    ]);
  });

  it('counts a province with its districts, and limits everything to the requested subtree', async () => {
    const all = await completeness(conn.db, YEAR);
    expect(all.orgUnits.map((u) => u.code)).toEqual(['PK-PB', 'PK-SD', 'PK-PB-KSR', 'PK-PB-LHR', 'PK-PB-NEW', 'PK-PB-OLD', 'PK-SD-KHI']);
    expect(all.orgUnits[0]).toMatchObject({ code: 'PK-PB', level: 'province', expected: 68, received: 4, onTime: 3 });
    const sindh = await completeness(conn.db, { ...YEAR, orgUnit: 'PK-SD' });
    expect(sindh.totals).toMatchObject({ expected: 28, received: 4, onTime: 4 });
    expect(sindh.orgUnits.map((u) => u.code)).toEqual(['PK-SD', 'PK-SD-KHI']);
    expect(sindh.institutions.map((i) => [i.code, i.expected])).toEqual([['T-SD', 8], ['T-HD', 20]]);
  });

  it('filters by framework and refuses unknown codes and bad ranges', async () => {
    expect((await completeness(conn.db, { ...YEAR, framework: 'TEST' })).totals.expected).toBe(96);
    await expect(completeness(conn.db, { ...YEAR, orgUnit: 'PK-XX' })).rejects.toThrow(InputError);
    await expect(completeness(conn.db, { ...YEAR, framework: 'NOPE' })).rejects.toThrow(/unknown framework "NOPE"/);
    await expect(completeness(conn.db, { ...YEAR, from: '2025Q5' })).rejects.toThrow(/2025Q5/);
    await expect(completeness(conn.db, { ...YEAR, from: '2026Q1', to: '2025Q4' })).rejects.toThrow(/ends before/);
  });
});

describe('completenessHeatmap', () => {
  it('gives every district a cell per quarter counting reports of any frequency ending in it', async () => {
    const cells = await completenessHeatmap(conn.db, { ...YEAR, level: 'district' });
    expect(cells).toHaveLength(5 * 4);
    const cell = (unit: string, quarter: string) => cells.find((c) => c.orgUnit === unit && c.period === quarter);
    expect(cell('PK-PB-LHR', '2025Q1')).toEqual({ orgUnit: 'PK-PB-LHR', period: '2025Q1', expected: 5, received: 1, onTime: 1 });
    expect(cell('PK-PB-KSR', '2025Q1')).toMatchObject({ expected: 5, received: 1, onTime: 0 });
    expect(cell('PK-PB-OLD', '2025Q3')).toMatchObject({ expected: 0 });
    expect(cell('PK-PB-NEW', '2025Q3')).toMatchObject({ expected: 5 });
    expect(cells.slice(0, 4).map((c) => c.period)).toEqual(['2025Q1', '2025Q2', '2025Q3', '2025Q4']);
  });

  it('rolls districts up into their province and keeps to the subtree', async () => {
    const cells = await completenessHeatmap(conn.db, { ...YEAR, level: 'province', orgUnit: 'PK-PB' });
    expect(cells).toEqual([
      { orgUnit: 'PK-PB', period: '2025Q1', expected: 17, received: 2, onTime: 1 },
      { orgUnit: 'PK-PB', period: '2025Q2', expected: 17, received: 2, onTime: 2 },
      { orgUnit: 'PK-PB', period: '2025Q3', expected: 17, received: 0, onTime: 0 },
      { orgUnit: 'PK-PB', period: '2025Q4', expected: 17, received: 0, onTime: 0 },
    ]);
  });
});

describe('completeness routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await routeApp(conn.db, (a) => completenessRoutes(a, conn.db));
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the report and the heat map', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/completeness?from=2025Q1&to=2025Q1&orgUnit=PK-SD&deadlineDays=30' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ from: '2025Q1', to: '2025Q1', deadlineDays: 30, totals: { expected: 7, received: 1, onTime: 1 } });
    const map = await app.inject({ method: 'GET', url: '/api/completeness/heatmap?from=2025Q1&to=2025Q2&level=province' });
    expect(map.statusCode).toBe(200);
    expect(map.json()).toHaveLength(4);
  });

  it('answers a bad period with 400 and an unknown org unit with 422', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/completeness?from=2025Q9&to=2025Q4' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/completeness?from=2025Q1&to=2025Q4&deadlineDays=-1' })).statusCode).toBe(400);
    const unknown = await app.inject({ method: 'GET', url: '/api/completeness?from=2025Q1&to=2025Q4&orgUnit=PK-XX' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'orgUnit', code: 'unknown_org_unit' });
  });
});
