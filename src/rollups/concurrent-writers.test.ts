import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../db/connect.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { loadTestFramework } from '../../test/fixture-framework.ts';
import { importRows } from '../importexport/import-pipeline.ts';
import type { SourceRow } from '../importexport/source-row.ts';

async function* each(rows: SourceRow[]) {
  yield* rows;
}

describe('writers saving the same indicator at the same time', () => {
  let conn: Connection;

  beforeAll(async () => {
    conn = await createTestDatabase();
    await loadTestFramework(conn.db);
  });
  afterAll(() => conn.close());

  // Clerks in several districts share their province's and the country's pre-aggregate rows: on a server with
  // many connections their transactions must neither collide on those rows nor lose each other's sums.
  it('all succeed, and the province and national totals count every one of them', async () => {
    const districts = ['PK-PB-LHR', 'PK-PB-KSR', 'PK-PB-NEW', 'PK-SD-KHI'];
    const months = ['202507', '202508'];
    const saves = months.flatMap((period) => districts.flatMap((orgUnit, d) =>
      Array.from({ length: 5 }, (_, k) => ({ orgUnit, period, value: 10 * d + k }))));
    const summaries = await Promise.all(saves.map((s) => importRows(conn.db,
      each([{ row: 1, indicator: 'T-MONTH', orgUnit: s.orgUnit, period: s.period, disaggregation: '', value: String(s.value) }]),
      { user: 'test', format: 'form', only: { indicators: ['T-MONTH'], orgUnits: [s.orgUnit], periods: [s.period] } })
      .catch((e: Error) => e.message)));
    expect(summaries.filter((s) => typeof s === 'string')).toEqual([]);

    const stored = await conn.db.query<{ org_unit: string; period: string; value: number }>(
      `SELECT o.code AS org_unit, p.code AS period, d.value FROM data_value d JOIN org_unit o ON o.id = d.org_unit_id
         JOIN period p ON p.id = d.period_id JOIN indicator i ON i.id = d.indicator_id WHERE i.code = 'T-MONTH'`);
    const rollup = async (unit: string, period: string) => (await conn.db.query<{ value: number | null }>(
      `SELECT r.value FROM value_rollup r JOIN indicator i ON i.id = r.indicator_id JOIN period p ON p.id = r.period_id
         JOIN org_unit o ON o.id = r.org_unit_id WHERE i.code = 'T-MONTH' AND p.code = $2 AND o.code = $1`, [unit, period])).rows[0]?.value ?? null;
    for (const period of months) {
      const inPeriod = stored.rows.filter((s) => s.period === period);
      const sum = (pred: (s: { org_unit: string }) => boolean) => inPeriod.filter(pred).reduce((a, s) => a + s.value, 0);
      expect(await rollup('PK-PB', period)).toBe(sum((s) => s.org_unit.startsWith('PK-PB-')));
      expect(await rollup('PK', period)).toBe(sum(() => true));
    }
  });
});
