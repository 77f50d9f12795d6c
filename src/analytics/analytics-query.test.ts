import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../db/connect.ts';
import { parsePeriod } from '../domain/period.ts';
import { saveFrameworks } from '../framework/framework-store.ts';
import { importRows } from '../importexport/import-pipeline.ts';
import { parseJaizaCsv } from '../importexport/jaiza-csv.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { loadTestFramework, testFramework } from '../../test/fixture-framework.ts';
import { queryAnalytics } from './analytics-query.ts';
import { indicatorScorecard } from './scorecard.ts';
import { acceptAll } from '../../test/accept-all.ts';

let conn: Connection;

const ROWS = [
  // Counts by district and quarter; Kasur reports only by sex, so its total is derived.
  'T-COUNT,PK-PB-LHR,2025Q3,,100,,,', 'T-COUNT,PK-PB-LHR,2025Q4,,120,,,', 'T-COUNT,PK-PB-LHR,2025Q4,sex=F,50,,,',
  'T-COUNT,PK-PB-KSR,2025Q4,sex=F,10,,,', 'T-COUNT,PK-PB-KSR,2025Q4,sex=M,20,,,',
  'T-COUNT,PK-SD-KHI,2025Q4,,7,,,',
  // A district retired on 2025-07-01 and its successor.
  'T-COUNT,PK-PB-OLD,2025Q2,,40,,,', 'T-COUNT,PK-PB-NEW,2025Q3,,45,,,',
  // Percentages: 90/100 and 1/10 — the ratio of sums is 91/110, not the average of 90% and 10%.
  'T-PCT,PK-PB-LHR,2025Q4,,,90,100,', 'T-PCT,PK-PB-KSR,2025Q4,,,1,10,',
  'T-PCT,PK-PB-LHR,2025Q3,,,30,100,',
  // A stock: enrolled at quarter end.
  'T-STOCK,PK-PB-LHR,2025Q1,,10,,,', 'T-STOCK,PK-PB-LHR,2025Q2,,14,,,', 'T-STOCK,PK-PB-KSR,2025Q1,,5,,,',
  // A milestone at province level.
  'T-MS,PK-PB,2024July,,2,,,', 'T-MS,PK-PB,2025July,,3,,,', 'T-MS,PK-SD,2025July,,1,,,',
];

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  await conn.db.transaction((tx) => saveFrameworks(tx, [{
    ...testFramework, code: 'TEST-STOCK', targets: [],
    pillars: [{ code: 'S', nameEn: 'Stock', nameUr: 'ذخیرہ', description: '', objectives: [{ code: 'S.1', nameEn: 'Stock', nameUr: 'ذخیرہ', indicators: [{
      ...testFramework.pillars[0]!.objectives[0]!.indicators[0]!, code: 'T-STOCK', nameEn: 'Enrolled', aggregationTime: 'last', disaggregations: [],
    }] }] }],
  }]));
  const csv = ['indicator,org_unit,period,disaggregation,value,numerator,denominator,comment', ...ROWS].join('\n');
  const s = await importRows(conn.db, parseJaizaCsv(Readable.from([Buffer.from(csv)])), { user: 't', format: 'csv' });
  expect(s.errors).toEqual([]);
});
afterAll(() => conn.close());

const q = async (indicator: string, orgUnits: string[], period: string, disaggregation = '') =>
  Object.fromEntries((await queryAnalytics(conn.db, { indicators: [indicator], orgUnits, periods: [parsePeriod(period)], disaggregation }))
    .map((c) => [c.orgUnit, c.value]));

describe('aggregation over org units and time', () => {
  it('sums up the hierarchy, deriving a total only reported by sex', async () => {
    expect(await q('T-COUNT', ['PK-PB-LHR', 'PK-PB-KSR', 'PK-PB', 'PK'], '2025Q4')).toEqual({ 'PK-PB-LHR': 120, 'PK-PB-KSR': 30, 'PK-PB': 150, PK: 157 });
  });

  it('sums a count over the quarters of a year and of a fiscal year, old boundaries included', async () => {
    expect(await q('T-COUNT', ['PK-PB'], '2025')).toEqual({ 'PK-PB': 40 + 100 + 45 + 150 });
    expect(await q('T-COUNT', ['PK-PB'], '2025July')).toEqual({ 'PK-PB': 100 + 45 + 150 });
    expect(await q('T-COUNT', ['PK-PB'], '2025Q2')).toEqual({ 'PK-PB': 40 });
  });

  it('aggregates percentages as the ratio of sums, never the average of percentages', async () => {
    const [cell] = await queryAnalytics(conn.db, { indicators: ['T-PCT'], orgUnits: ['PK-PB'], periods: [parsePeriod('2025Q4')] });
    expect(cell).toMatchObject({ numerator: 91, denominator: 110, units: 2 });
    expect(cell!.value).toBeCloseTo((100 * 91) / 110, 10);
    expect(await q('T-PCT', ['PK-PB-LHR'], '2025S2')).toEqual({ 'PK-PB-LHR': 60 });
  });

  it('takes the latest stock of each unit over time, then sums the units', async () => {
    expect(await q('T-STOCK', ['PK-PB-LHR', 'PK-PB'], '2025')).toEqual({ 'PK-PB-LHR': 14, 'PK-PB': 19 });
  });

  it("gives a milestone as the reporting unit's own latest value and does not add it up", async () => {
    expect(await q('T-MS', ['PK-PB', 'PK-SD', 'PK'], '2025July')).toEqual({ 'PK-PB': 3, 'PK-SD': 1, PK: null });
  });

  it('answers a disaggregation and selectors for children and levels', async () => {
    expect(await q('T-COUNT', ['PK-PB'], '2025Q4', 'sex=F')).toEqual({ 'PK-PB': 60 });
    expect(await q('T-COUNT', ['children:PK'], '2025Q4')).toEqual({ 'PK-PB': 150, 'PK-SD': 7 });
    expect(await q('T-COUNT', ['children:PK-PB-LHR'], '2025Q4')).toEqual({});
    expect(Object.keys(await q('T-COUNT', ['level:district:PK-PB'], '2025Q4')).sort()).toEqual(['PK-PB-KSR', 'PK-PB-LHR', 'PK-PB-NEW', 'PK-PB-OLD']);
  });

  it('has no value for a period shorter than the reporting period, or with nothing reported', async () => {
    expect(await q('T-MS', ['PK-PB'], '2025Q4')).toEqual({ 'PK-PB': null });
    expect(await q('T-COUNT', ['PK-SD'], '2024Q1')).toEqual({ 'PK-SD': null });
  });

  it('names an unknown indicator or org unit', async () => {
    await expect(queryAnalytics(conn.db, { indicators: ['NOPE'], orgUnits: ['PK'], periods: [parsePeriod('2025')] })).rejects.toThrow('unknown indicator "NOPE"');
    await expect(queryAnalytics(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK-ZZ'], periods: [parsePeriod('2025')] })).rejects.toThrow('unknown org unit "PK-ZZ"');
  });
});

describe('reads at a workflow stage', () => {
  const staged = async (period: string, stage: 'approved' | 'accepted', disaggregation = '') =>
    Object.fromEntries((await queryAnalytics(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK-PB-LHR', 'PK-PB-KSR', 'PK-PB'], periods: [parsePeriod(period)], disaggregation, stage }))
      .map((c) => [c.orgUnit, c.value]));

  it('count only values whose report has reached the stage, from the pre-aggregates or the stored values alike', async () => {
    await acceptAll(conn.db, [
      { orgUnit: 'PK-PB-KSR', period: '2025Q4', status: 'approved_district' },
      { orgUnit: 'PK-PB-NEW', period: '2025Q3', status: 'returned' },
    ]);
    // Unstaged reads still see every stored value.
    expect(await q('T-COUNT', ['PK-PB'], '2025Q4')).toEqual({ 'PK-PB': 150 });
    expect(await staged('2025Q4', 'accepted')).toEqual({ 'PK-PB-LHR': 120, 'PK-PB-KSR': null, 'PK-PB': 120 });
    expect(await staged('2025Q4', 'approved')).toEqual({ 'PK-PB-LHR': 120, 'PK-PB-KSR': 30, 'PK-PB': 150 });
    expect(await staged('2025Q4', 'accepted', 'sex=F')).toEqual({ 'PK-PB-LHR': 50, 'PK-PB-KSR': null, 'PK-PB': 50 });
    // A quarter where every value is accepted but the returned successor district's.
    expect(await staged('2025Q3', 'accepted')).toEqual({ 'PK-PB-LHR': 100, 'PK-PB-KSR': null, 'PK-PB': 100 });
    // A year adds the quarters at the stage only.
    expect(await staged('2025', 'accepted')).toEqual({ 'PK-PB-LHR': 220, 'PK-PB-KSR': null, 'PK-PB': 40 + 100 + 120 });
  });

  it('judge progress on the latest value at the stage', async () => {
    const rows = await indicatorScorecard(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK-PB-KSR', 'PK-PB'], assessedAt: '2025Q4', stage: 'accepted' });
    expect(rows.find((r) => r.orgUnit === 'PK-PB')!.latest).toMatchObject({ period: '2025Q4', value: 120 });
    expect(rows.find((r) => r.orgUnit === 'PK-PB-KSR')!.latest).toBeNull();
    const all = await indicatorScorecard(conn.db, { indicators: ['T-COUNT'], orgUnits: ['PK-PB'], assessedAt: '2025Q4' });
    expect(all[0]!.latest).toMatchObject({ period: '2025Q4', value: 150 });
  });
});
