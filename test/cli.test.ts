import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestDatabase } from './test-database.ts';
import type { Connection } from '../src/db/connect.ts';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'jaiza-cli-'));
let conn: (Connection & { url?: string }) | undefined;
let env: NodeJS.ProcessEnv;

/** Runs `npx jaiza …` as a user would: on PostgreSQL when the suite runs there, else in its own data directory. */
async function jaiza(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec('node', ['bin/jaiza.js', ...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  conn = await createTestDatabase();
  env = { ...process.env, DATABASE_URL: conn.url ?? '', JAIZA_DATA_DIR: join(dir, 'data') };
  if (!conn.url) await conn.close();
  const seeded = await jaiza('seed', '--no-demo');
  expect(seeded.code, seeded.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
  if (conn?.url) await conn.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the jaiza CLI', () => {
  it('writes a data-entry template that, once filled, imports back', async () => {
    const file = join(dir, 'template.xlsx');
    const t = await jaiza('template', '--org-unit', 'PK-PB', '--period', '2025Q4', '--out', file);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/Wrote .*template\.xlsx: \d+ indicators for Punjab, 2025Q4/);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Data entry')!;
    let filled = 0;
    sheet.eachRow((row) => {
      if (filled === 0 && row.getCell(6).value === 'value' && row.getCell(5).value === 'count') {
        row.getCell(7).value = 42;
        filled = row.number;
      }
    });
    expect(filled).toBeGreaterThan(0);
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    const dry = await jaiza('import', file, '--dry-run');
    expect(dry.stdout).toContain('Dry run: nothing was written. It would have:\n  imported 1');
    const real = await jaiza('import', file);
    expect(real.code, real.stdout).toBe(0);
    expect(real.stdout).toContain('imported 1, updated 0, unchanged 0');
    expect(real.stderr).toContain('Importing template.xlsx');
  });

  it('names the row, field and reason of a bad CSV and exits non-zero', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment\nREV-04,PK-PB-LHR,2025Q9,,5,,,\n');
    const r = await jaiza('import', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Nothing was written.');
    expect(r.stdout).toContain('row 2, period: "2025Q9" is not a valid period');
  });

  it('exports what is stored as CSV and DHIS2 JSON', async () => {
    const csv = await jaiza('export', '--org-unit', 'PK-PB', '--period', '2025');
    expect(csv.stdout.split('\n')[0]).toContain('indicator,org_unit,period,disaggregation,value,numerator,denominator,comment');
    expect(csv.stdout).toContain(',PK-PB,2025Q4,,42,,,');
    const out = join(dir, 'dvs.json');
    await jaiza('export', '--format', 'dhis2-json', '--id-scheme', 'code', '--out', out);
    expect(JSON.parse(readFileSync(out, 'utf8')).dataValues.length).toBeGreaterThan(0);
  });

  it('exports the framework as CSV files and reads them back', async () => {
    const folder = join(dir, 'fw');
    expect((await jaiza('framework', 'export', '--format', 'csv', '--out', folder)).code).toBe(0);
    const r = await jaiza('framework', 'import', folder, '--dry-run');
    expect(r.stdout).toMatch(/Dry run, nothing written\. Would store NPVE-2024, NAP-2021: 5 pillars|Would store NPVE-2024, NAP-2021: \d+ pillars/);
  });

  it('runs the validation rules for a period', async () => {
    const r = await jaiza('validate', '--period', '2025Q4', '--outliers');
    expect(r.stdout).toMatch(/\d+ rules checked over \d+ org units for 2025Q4/);
    expect(r.stdout).toMatch(/outlier\(s\)/);
  });
});
