import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestFramework, testFramework } from '../../test/fixture-framework.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { routeApp } from '../../test/route-app.ts';
import { scorecardRoutes } from '../api/routes/scorecard-routes.ts';
import type { Connection } from '../db/connect.ts';
import type { FrameworkDef, TargetDef } from '../domain/framework.ts';
import { PeriodError } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';
import { saveFrameworks } from '../framework/framework-store.ts';
import { importRows } from '../importexport/import-pipeline.ts';
import { parseJaizaCsv } from '../importexport/jaiza-csv.ts';
import { indicatorScorecard, pillarProvinceScorecard, type GridCell } from './scorecard.ts';

let conn: Connection;

const target = (indicator: string, orgUnit: string, period: string | null, value: number, phase: TargetDef['phase'] = null): TargetDef =>
  ({ indicator, orgUnit, period, phase, value });

// The fixture framework with a national baseline for T-COUNT, a federal indicator and targets.
const [p1, p2] = testFramework.pillars;
const [tCount, ...p1Rest] = p1!.objectives[0]!.indicators;
const framework: FrameworkDef = {
  ...testFramework,
  pillars: [
    { ...p1!, objectives: [{ ...p1!.objectives[0]!, indicators: [
      { ...tCount!, baselineValue: 100, baselinePeriod: '2024Q1' },
      ...p1Rest,
      { ...tCount!, code: 'T-FED', nameEn: 'Federal laws reviewed', lowestLevel: 'federal', disaggregations: [] },
    ] }] },
    p2!,
  ],
  targets: [
    // Punjab: the nearest target at or after 2026Q3 is 2026Q4, not the passed 2025Q4 one or the later 2027Q4 one.
    target('T-COUNT', 'PK-PB', '2025Q4', 500), target('T-COUNT', 'PK-PB', '2026Q4', 200), target('T-COUNT', 'PK-PB', '2027Q4', 900),
    target('T-COUNT', 'PK-SD', '2026Q4', 100),
    target('T-COUNT', 'PK', '2026Q4', 300),
    target('T-COUNT', 'PK-PB-LHR', '2026Q4', 160),
    target('T-PCT', 'PK-PB', '2026Q4', 80), target('T-PCT', 'PK-SD', '2026Q4', 80),
    target('T-YN', 'PK-PB', null, 1, 'short'), target('T-YN', 'PK-SD', null, 1, 'short'),
    target('T-MS', 'PK-PB', null, 3, 'medium'), target('T-MS', 'PK-SD', null, 3, 'medium'),
  ],
};

const ROWS = [
  // Punjab's districts: 100 in 2025Q3, 180 in 2026Q3 (on track to 200 by 2026Q4).
  'T-COUNT,PK-PB-LHR,2025Q3,,100', 'T-COUNT,PK-PB-LHR,2026Q3,,150', 'T-COUNT,PK-PB-KSR,2026Q3,,30',
  // Karachi falls from 50 to 30 against a target of 100: moving away.
  'T-COUNT,PK-SD-KHI,2024Q2,,80', 'T-COUNT,PK-SD-KHI,2025Q3,,50', 'T-COUNT,PK-SD-KHI,2026Q3,,30',
  // Lahore last reported the percentage in 2025Q4: three quarters before 2026Q3, stale.
  'T-PCT,PK-PB-LHR,2025Q3,,,20,100', 'T-PCT,PK-PB-LHR,2025Q4,,,30,100',
  'T-YN,PK-PB,2026Q2,,1',
  'T-MS,PK-PB,2024July,,2', 'T-MS,PK-PB,2025July,,3', 'T-MS,PK-SD,2025July,,1',
  'T-PKR,PK-PB,2026Q3,,1000',
];

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  await conn.db.transaction((tx) => saveFrameworks(tx, [framework]));
  const padded = ROWS.map((r) => r + ','.repeat(7 - r.split(',').length + 1));
  const csv = ['indicator,org_unit,period,disaggregation,value,numerator,denominator,comment', ...padded].join('\n');
  const summary = await importRows(conn.db, parseJaizaCsv(Readable.from([Buffer.from(csv)])), { user: 'test', format: 'csv' });
  expect(summary.errors).toEqual([]);
});
afterAll(() => conn.close());

const statuses = async (orgUnits: string[], extra: { pillar?: string; indicators?: string[] } = {}) =>
  Object.fromEntries((await indicatorScorecard(conn.db, { framework: 'TEST', orgUnits, assessedAt: '2026Q3', ...extra }))
    .map((r) => [`${r.indicator}@${r.orgUnit}`, r.status]));

describe('indicatorScorecard', () => {
  it('judges a district-level count at a province on the province aggregate against the nearest target', async () => {
    const [row] = await indicatorScorecard(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK-PB'], assessedAt: '2026Q3' });
    expect(row).toMatchObject({
      indicator: 'T-COUNT', nameEn: 'People trained', pillar: 'P1', objective: 'P1.1', orgUnit: 'PK-PB',
      status: 'on_track', symbol: '✓', latest: { period: '2026Q3', value: 180 },
      target: { value: 200, period: '2026Q4', phase: null }, baseline: null,
    });
    // From 100 at the end of 2025Q3 to 180 a year later, against 100 more needed in 1.25 years.
    expect(row!.ratio).toBeCloseTo(80 / (100 / 1.25), 10);
  });

  it('shows a province moving away, one without data, stale data and an achieved milestone', async () => {
    expect(await statuses(['PK-PB', 'PK-SD'])).toEqual({
      'T-COUNT@PK-PB': 'on_track', 'T-COUNT@PK-SD': 'moving_away',
      'T-PCT@PK-PB': 'stale', 'T-PCT@PK-SD': 'no_data',
      'T-MONTH@PK-PB': 'no_data', 'T-MONTH@PK-SD': 'no_data',
      'T-FED@PK-PB': 'no_data', 'T-FED@PK-SD': 'no_data',
      'T-YN@PK-PB': 'achieved', 'T-YN@PK-SD': 'no_data',
      'T-MS@PK-PB': 'achieved', 'T-MS@PK-SD': 'partially_achieved',
      'T-PKR@PK-PB': 'no_target', 'T-PKR@PK-SD': 'no_data',
    });
  });

  it('times an end-of-phase target at the end of its phase', async () => {
    const [row] = await indicatorScorecard(conn.db, { indicators: ['T-MS'], orgUnits: ['PK-SD'], assessedAt: '2026Q3' });
    expect(row).toMatchObject({ status: 'partially_achieved', target: { value: 3, period: null, phase: 'medium' }, latest: { period: '2025July', value: 1 } });
    expect(row!.message).toContain('by 2027July');
  });

  it('uses the national baseline at the country only, and never hands a national target down', async () => {
    const rows = await indicatorScorecard(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK', 'PK-PB-KSR'], assessedAt: '2026Q3' });
    const pk = rows.find((r) => r.orgUnit === 'PK')!;
    expect(pk).toMatchObject({ baseline: { period: '2024Q1', value: 100 }, latest: { period: '2026Q3', value: 210 }, status: 'acceleration_needed' });
    // Growth from the 2024Q1 baseline: 110 in 2.5 years against 200 needed in 2.75 years.
    expect(pk.ratio).toBeCloseTo((110 / 2.5) / (200 / 2.75), 10);
    expect(rows.find((r) => r.orgUnit === 'PK-PB-KSR')).toMatchObject({ baseline: null, target: null, status: 'no_target' });
  });

  it('filters by pillar, and counts a value as stale per staleAfter', async () => {
    expect(Object.keys(await statuses(['PK-PB'], { pillar: 'P2' }))).toEqual(['T-YN@PK-PB', 'T-MS@PK-PB', 'T-PKR@PK-PB']);
    const [pct] = await indicatorScorecard(conn.db, { indicators: ['T-PCT'], orgUnits: ['PK-PB'], assessedAt: '2026Q3', staleAfter: 4 });
    // Allowed four quarters, 20% → 30% in a quarter is 40 points a year against 48 needed to reach 80% by 2026Q4.
    expect(pct).toMatchObject({ status: 'acceleration_needed', latest: { period: '2025Q4', value: 30 } });
    expect(pct!.ratio).toBeCloseTo(40 / 48, 10);
  });

  it("reaches back to the indicator's baseline period for the value series", async () => {
    // 2024Q2 is nine quarters before 2026Q3, inside the window only because the baseline is 2024Q1.
    const [sd] = await indicatorScorecard(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK-SD'], assessedAt: '2026Q3' });
    expect(sd!.message).toContain('the baseline of 80 in 2024Q2');
  });

  it('ignores values after the assessment period', async () => {
    expect(await statuses(['PK-SD'], { indicators: ['T-COUNT'] })).toEqual({ 'T-COUNT@PK-SD': 'moving_away' });
    const [early] = await indicatorScorecard(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK-SD'], assessedAt: '2025Q4' });
    expect(early).toMatchObject({ status: 'moving_away', latest: { period: '2025Q3', value: 50 } });
  });

  it('names unknown codes and rejects a bad period', async () => {
    await expect(indicatorScorecard(conn.db, { framework: 'NOPE', orgUnits: ['PK'], assessedAt: '2026Q3' })).rejects.toThrow(InputError);
    await expect(indicatorScorecard(conn.db, { framework: 'TEST', pillar: 'P9', orgUnits: ['PK'], assessedAt: '2026Q3' })).rejects.toThrow('unknown pillar in framework TEST "P9"');
    await expect(indicatorScorecard(conn.db, { indicators: ['T-NOPE'], orgUnits: ['PK'], assessedAt: '2026Q3' })).rejects.toThrow('unknown indicator "T-NOPE"');
    await expect(indicatorScorecard(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK-ZZ'], assessedAt: '2026Q3' })).rejects.toThrow('unknown org unit "PK-ZZ"');
    await expect(indicatorScorecard(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK'], assessedAt: '2026Q9' })).rejects.toThrow(PeriodError);
  });
});

const cell = (cells: GridCell[], pillar: string, orgUnit: string) => cells.find((c) => c.pillar === pillar && c.orgUnit === orgUnit)!;

describe('pillarProvinceScorecard', () => {
  it('counts statuses per pillar and province, leaving federal indicators out', async () => {
    const grid = await pillarProvinceScorecard(conn.db, { framework: 'TEST', assessedAt: '2026Q3' });
    expect(grid.pillars.map((p) => p.code)).toEqual(['P1', 'P2']);
    expect(grid.orgUnits).toEqual([
      { code: 'PK-PB', nameEn: 'Punjab', nameUr: 'پنجاب' },
      { code: 'PK-SD', nameEn: 'Sindh', nameUr: 'سندھ' },
    ]);
    const pb1 = cell(grid.cells, 'P1', 'PK-PB');
    expect(pb1).toMatchObject({ indicators: 3, onTrackShare: 1, noData: 1, stale: 1 });
    expect(pb1.byStatus).toMatchObject({ on_track: 1, stale: 1, no_data: 1, moving_away: 0 });
    expect(cell(grid.cells, 'P1', 'PK-SD')).toMatchObject({ indicators: 3, onTrackShare: 0, noData: 2, stale: 0, byStatus: { moving_away: 1 } });
    expect(cell(grid.cells, 'P2', 'PK-PB')).toMatchObject({ indicators: 3, onTrackShare: 1, byStatus: { achieved: 2, no_target: 1 } });
    expect(cell(grid.cells, 'P2', 'PK-SD')).toMatchObject({ indicators: 3, onTrackShare: 0, noData: 2, byStatus: { partially_achieved: 1 } });
  });

  it("drills down to Punjab's current districts with district-level indicators only", async () => {
    const grid = await pillarProvinceScorecard(conn.db, { framework: 'TEST', assessedAt: '2026Q3', level: 'district', orgUnit: 'PK-PB' });
    // PK-PB-OLD was retired in 2025.
    expect(grid.orgUnits.map((u) => u.code)).toEqual(['PK-PB-LHR', 'PK-PB-KSR', 'PK-PB-NEW']);
    expect(cell(grid.cells, 'P1', 'PK-PB-LHR')).toMatchObject({ indicators: 3, onTrackShare: 1, stale: 1, byStatus: { on_track: 1 } });
    expect(cell(grid.cells, 'P1', 'PK-PB-KSR')).toMatchObject({ indicators: 3, onTrackShare: null, byStatus: { no_target: 1, no_data: 2 } });
    expect(cell(grid.cells, 'P2', 'PK-PB-LHR')).toMatchObject({ indicators: 0, onTrackShare: null });
  });
});

describe('scorecard routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await routeApp(conn.db, (a) => scorecardRoutes(a, conn.db));
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the grid and the indicator list', async () => {
    const grid = await app.inject({ method: 'GET', url: '/api/scorecard?framework=TEST&assessedAt=2026Q3&level=district&orgUnit=PK-PB' });
    expect(grid.statusCode).toBe(200);
    expect(grid.json().orgUnits).toHaveLength(3);
    const rows = await app.inject({ method: 'GET', url: '/api/scorecard/indicators?framework=TEST&pillar=P2&orgUnit=PK-PB,PK-SD&assessedAt=2026Q3' });
    expect(rows.statusCode).toBe(200);
    expect(rows.json().map((r: { indicator: string; status: string }) => r.status)).toEqual(['achieved', 'no_data', 'achieved', 'partially_achieved', 'no_target', 'no_data']);
  });

  it('rejects an unknown parameter or a bad period with 400 and an unknown code with 422', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/scorecard?framework=TEST&assessedAt=2026Q3&colour=red' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/scorecard/indicators?assessedAt=2026Q3&period=2025' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/scorecard?framework=TEST&assessedAt=2026Q9' })).statusCode).toBe(400);
    const unknown = await app.inject({ method: 'GET', url: '/api/scorecard?framework=NOPE&assessedAt=2026Q3' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().message).toContain('unknown framework "NOPE"');
    expect((await app.inject({ method: 'GET', url: '/api/scorecard?framework=TEST&assessedAt=2026Q3&orgUnit=PK-ZZ' })).statusCode).toBe(422);
  });
});
