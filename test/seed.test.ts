import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Connection } from '../src/db/connect.ts';
import { loadFrameworks } from '../src/framework/framework-store.ts';
import { exportFrameworkWorkbook, importFrameworkWorkbook } from '../src/framework/framework-service.ts';
import { importRows } from '../src/importexport/import-pipeline.ts';
import { parseJaizaCsv } from '../src/importexport/jaiza-csv.ts';
import { getOrgUnit } from '../src/orgunits/org-unit-store.ts';
import { SYNTHETIC_COMMENT } from '../src/seed/demo-values.ts';
import { seedDemoValues, seedReferenceData } from '../src/seed/seed.ts';
import { createTestDatabase } from './test-database.ts';

let conn: Connection;
const one = async <T>(sql: string, params: unknown[] = []) => (await conn.db.query<T>(sql, params)).rows[0]!;

beforeAll(async () => {
  conn = await createTestDatabase();
  await seedReferenceData(conn.db);
});
afterAll(() => conn.close());

describe('reference data', () => {
  it('holds both frameworks, the five NPVE pillars and at least 100 KPIs', async () => {
    const [npve, nap] = await loadFrameworks(conn.db, ['NPVE-2024', 'NAP-2021']);
    expect(npve!.pillars.map((p) => p.nameEn)).toEqual(['Revisit', 'Reach Out', 'Reduce Risk', 'Reinforce', 'Reintegrate']);
    const kpis = npve!.pillars.flatMap((p) => p.objectives.flatMap((o) => o.indicators));
    expect(kpis.length).toBeGreaterThanOrEqual(100);
    expect(nap!.pillars.length).toBeGreaterThan(0);
  });

  it("holds Pakistan's units with Urdu names: 7 provinces and territories, 173 current districts", async () => {
    const r = await one<{ provinces: number; districts: number; unnamed: number }>(
      `SELECT count(*) FILTER (WHERE level = 'province')::int AS provinces,
              count(*) FILTER (WHERE level = 'district' AND valid_to IS NULL)::int AS districts,
              count(*) FILTER (WHERE name_ur = '')::int AS unnamed FROM org_unit`,
    );
    expect(r).toEqual({ provinces: 7, districts: 173, unnamed: 0 });
  });

  it('attaches the reporting institutions to their units', async () => {
    const r = await one<{ nacta: string; kpcoe: string }>(
      `SELECT (SELECT o.code FROM institution i JOIN org_unit o ON o.id = i.org_unit_id WHERE i.code = 'NACTA') AS nacta,
              (SELECT o.code FROM institution i JOIN org_unit o ON o.id = i.org_unit_id WHERE i.kind = 'coe_cve' AND o.code = 'PK-KP' LIMIT 1) AS kpcoe`,
    );
    expect(r).toEqual({ nacta: 'PK', kpcoe: 'PK-KP' });
  });

  it('is idempotent: seeding twice changes nothing', async () => {
    const before = await one<{ n: number }>('SELECT count(*)::int AS n FROM indicator');
    await seedReferenceData(conn.db);
    expect(await one('SELECT count(*)::int AS n FROM indicator')).toEqual(before);
  });
});

describe('boundary history', () => {
  it('keeps South Waziristan, retired in October 2022, with its two successors', async () => {
    const swz = await getOrgUnit(conn.db, 'PK-KP-SWZ');
    expect(swz).toMatchObject({ validTo: '2022-10-01', successors: ['PK-KP-LSZ', 'PK-KP-USZ'] });
    expect(await getOrgUnit(conn.db, 'PK-KP-USZ')).toMatchObject({ validFrom: '2022-10-01', predecessors: ['PK-KP-SWZ'] });
  });

  it('accepts values under the old boundary for the periods it existed, and rolls them up to the province', async () => {
    const code = (await one<{ code: string }>(
      `SELECT code FROM indicator WHERE lowest_level = 'district' AND frequency = 'quarterly' AND unit_type = 'count' ORDER BY id LIMIT 1`,
    )).code;
    const csv = ['indicator,org_unit,period,disaggregation,value,numerator,denominator,comment',
      `${code},PK-KP-SWZ,2022Q2,,40,,,`, `${code},PK-KP-BNU,2022Q2,,60,,,`].join('\n');
    const s = await importRows(conn.db, parseJaizaCsv(Readable.from([Buffer.from(csv)])), { user: 't', format: 'csv' });
    expect(s.status).toBe('success');
    const kp = await one<{ total: number }>(
      `SELECT sum(d.value)::float8 AS total FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN period p ON p.id = d.period_id
         JOIN org_unit_closure c ON c.descendant_id = d.org_unit_id JOIN org_unit a ON a.id = c.ancestor_id
        WHERE a.code = 'PK-KP' AND i.code = $1 AND p.code = '2022Q2' AND d.disagg = ''`,
      [code],
    );
    expect(kp.total).toBe(100);
    const late = await importRows(conn.db, parseJaizaCsv(Readable.from([Buffer.from(csv.replace(/2022Q2/g, '2023Q1'))])), { user: 't', format: 'csv' });
    expect(late.errors[0]).toMatchObject({ row: 2, field: 'org_unit', code: 'not_valid_in_period' });
  });
});

describe('synthetic demo values', () => {
  it('are stored through the import pipeline, flagged and labelled synthetic', async () => {
    const s = await seedDemoValues(conn.db);
    expect(s.counts.imported).toBeGreaterThan(50_000);
    // Demo data passes every rule an officer's data must pass: nothing generated is refused.
    expect(s.errorCount).toBe(0);
    const r = await one<{ n: number; unlabelled: number; quarters: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT synthetic OR comment <> $1)::int AS unlabelled,
              count(DISTINCT p.code) FILTER (WHERE p.type = 'quarterly')::int AS quarters
         FROM data_value d JOIN period p ON p.id = d.period_id WHERE d.stored_by = 'demo-seed'`,
      [SYNTHETIC_COMMENT],
    );
    expect(r).toMatchObject({ unlabelled: 0, quarters: 8 });
  });

  it('come with an approval history: earlier quarters accepted, the latest one waiting at every level, Lahore\'s returned with a reason', async () => {
    const byStage = (await conn.db.query<{ latest: boolean; status: string; n: number }>(
      `SELECT p.start_date >= '2026-07-01' AS latest, s.status, count(*)::int AS n
         FROM submission s JOIN period p ON p.id = s.period_id GROUP BY 1, 2`)).rows;
    expect(byStage.filter((r) => !r.latest).map((r) => r.status)).toEqual(['accepted']);
    const latest = new Set(byStage.filter((r) => r.latest).map((r) => r.status));
    expect(latest).toEqual(new Set(['accepted', 'approved_province', 'approved_district', 'submitted', 'returned']));
    // Every report that holds demo values has a submission, and every submission's history ends in its status.
    const orphans = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN objective ob ON ob.id = i.objective_id
         JOIN pillar pl ON pl.id = ob.pillar_id
        WHERE d.synthetic AND NOT EXISTS (SELECT 1 FROM submission s WHERE s.framework_id = pl.framework_id AND s.org_unit_id = d.org_unit_id AND s.period_id = d.period_id)`, []);
    expect(orphans.n).toBe(0);
    const mismatched = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM submission s
        WHERE s.status <> (SELECT e.to_status FROM submission_event e WHERE e.submission_id = s.id ORDER BY e.at DESC, e.id DESC LIMIT 1)`, []);
    expect(mismatched.n).toBe(0);
    const lahore = await one<{ status: string; reason: string }>(
      `SELECT s.status, (SELECT e.reason FROM submission_event e WHERE e.submission_id = s.id AND e.action = 'return') AS reason
         FROM submission s JOIN org_unit o ON o.id = s.org_unit_id JOIN period p ON p.id = s.period_id JOIN framework f ON f.id = s.framework_id
        WHERE o.code = 'PK-PB-LHR' AND p.code = '2026Q3' AND f.code = 'NPVE-2024'`, []);
    expect(lahore.status).toBe('returned');
    expect(lahore.reason).toMatch(/resubmit/);
    // …and the Lahore reviewer has its other latest report to review.
    const waiting = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM submission s JOIN org_unit o ON o.id = s.org_unit_id JOIN period p ON p.id = s.period_id
        WHERE o.code = 'PK-PB-LHR' AND p.start_date >= '2026-07-01' AND s.status = 'submitted'`, []);
    expect(waiting.n).toBeGreaterThan(0);
    expect((await one<{ d: number }>(`SELECT min(entry_expiry_days)::int AS d FROM framework`, [])).d).toBe(120);
  });
});

describe('the framework spreadsheet', () => {
  it('round-trips exactly through XLSX, and an edit made in a spreadsheet comes back', async () => {
    const before = await loadFrameworks(conn.db);
    const xlsx = await exportFrameworkWorkbook(conn.db);
    await importFrameworkWorkbook(conn.db, xlsx, { dryRun: false });
    expect(await loadFrameworks(conn.db)).toEqual(before);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Indicators')!;
    const header = (sheet.getRow(1).values as string[]);
    const nameCol = header.indexOf('name_en');
    sheet.getRow(2).getCell(nameCol).value = 'Edited in a spreadsheet';
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const summary = await importFrameworkWorkbook(conn.db, edited, { dryRun: false });
    expect(summary.indicators).toBe(before.flatMap((f) => f.pillars.flatMap((p) => p.objectives.flatMap((o) => o.indicators))).length);
    const after = await loadFrameworks(conn.db, ['NPVE-2024']);
    expect(after[0]!.pillars[0]!.objectives[0]!.indicators[0]!.nameEn).toBe('Edited in a spreadsheet');
  });
});
