import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../db/connect.ts';
import { MILESTONE_LABELS } from '../domain/framework.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { seedTemplateFramework, seedTemplateValues } from '../../test/fixtures/template/seed-framework.ts';
import {
  cellAt,
  dataSheet,
  headers,
  indicatorRows,
  openWorkbook,
  saveWorkbook,
} from '../../test/fixtures/template/workbook.ts';
import { importRows } from './import-pipeline.ts';
import { loadTemplateIndicators, type TemplateRequest } from './template-indicators.ts';
import { buildTemplate, LEADING_COLUMNS } from './xlsx-template.ts';
import { readTemplate } from './xlsx-template-reader.ts';

let conn: Connection;

beforeAll(async () => {
  conn = await createTestDatabase();
  await seedTemplateFramework(conn.db);
  await seedTemplateValues(conn.db);
});
afterAll(async () => {
  await conn.close();
});

const generatedAt = new Date('2026-01-05T09:30:00Z');

async function template(request: TemplateRequest, lang: 'en' | 'ur' = 'en') {
  const buf = await buildTemplate(await loadTemplateIndicators(conn.db, request), { lang, generatedAt });
  return { buf, wb: await openWorkbook(buf) };
}

describe('buildTemplate', () => {
  it('lists the province-level indicators of the quarter for a province, one row per measure, grouped by pillar', async () => {
    const { wb } = await template({ orgUnit: 'PK-PB', period: '2025Q4' });
    const ws = dataSheet(wb);
    expect(indicatorRows(ws)).toEqual([
      'NAP-01 value',
      'RCH-01 value',
      'RCH-02 numerator',
      'RCH-02 denominator',
      'RNF-01 value',
      'RNF-02 value',
      'RNF-03 value',
    ]);
    const pillarRows: string[] = [];
    ws.eachRow((row) => {
      const a = String(row.getCell(1).value ?? '');
      if (a.startsWith('Pillar ')) pillarRows.push(a);
    });
    expect(pillarRows).toEqual(['Pillar NAP: Action Plan', 'Pillar RCH: Reach Out', 'Pillar RNF: Reinforce']);
  });

  it('lists the district indicators for a district and filters by institution', async () => {
    expect(indicatorRows(dataSheet((await template({ orgUnit: 'PK-PB-LHR', period: '2025Q4' })).wb))).toEqual([
      'RCH-04 value',
    ]);
    const police = await template({ orgUnit: 'PK-PB', period: '2025Q4', institution: 'PB-POL' });
    expect(indicatorRows(dataSheet(police.wb))).toEqual(['NAP-01 value', 'RNF-01 value']);
    expect(dataSheet(police.wb).getCell('A4').value).toBe('Institution: PB-POL Punjab Police');
  });

  it('writes the title block, a header of codes with option names beneath, and a Comment column', async () => {
    const { wb } = await template({ orgUnit: 'PK-PB', period: '2025Q4', framework: 'NPVE-2024' });
    const ws = dataSheet(wb);
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => ws.getCell(r, 1).value)).toEqual([
      'Jaiza data entry',
      'Org unit: PK-PB Punjab',
      'Period: 2025Q4 (Oct–Dec 2025)',
      'Institution: all',
      'Framework: NPVE-2024 National PVE Policy 2024',
      'Generated: 2026-01-05T09:30:00Z',
      'Fill the white cells; do not change codes or add columns',
    ]);
    expect(headers(ws)).toEqual([
      'Pillar',
      'Objective',
      'Indicator code',
      'Indicator',
      'Unit',
      'Measure',
      'Total',
      'sex=F',
      'sex=M',
      'age=15-19',
      'age=20-24',
      'Comment',
    ]);
    expect((ws.getRow(10).values as unknown[]).slice(8, 12)).toEqual([
      'Sex: Female',
      'Sex: Male',
      'Age: 15–19 years',
      'Age: 20–24 years',
    ]);
  });

  it('puts the validation of each unit type on the input cells and locks the cells an indicator does not carry', async () => {
    const ws = dataSheet((await template({ orgUnit: 'PK-PB', period: '2025Q4' })).wb);
    const count = cellAt(ws, 'RCH-01', 'value', 'age=20-24');
    expect(count.dataValidation).toMatchObject({ type: 'whole', operator: 'between', formulae: [0, 100000] });
    expect(count.protection?.locked).toBe(false);
    expect(cellAt(ws, 'NAP-01', 'value', 'Total').dataValidation).toMatchObject({
      type: 'whole',
      operator: 'greaterThanOrEqual',
      formulae: [0],
    });
    for (const measure of ['numerator', 'denominator']) {
      expect(cellAt(ws, 'RCH-02', measure, 'sex=M').dataValidation).toMatchObject({
        type: 'decimal',
        operator: 'greaterThanOrEqual',
        formulae: [0],
      });
    }
    expect(cellAt(ws, 'RNF-01', 'value', 'Total').dataValidation).toMatchObject({ type: 'list', formulae: ['"Yes,No"'] });
    expect(cellAt(ws, 'RNF-02', 'value', 'Total').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"0,1,2,3,4"'],
    });
    expect(cellAt(ws, 'RNF-03', 'value', 'Total').dataValidation).toMatchObject({
      type: 'decimal',
      operator: 'greaterThanOrEqual',
      formulae: [0],
    });

    // RCH-02 is disaggregated by sex only: its age cells are grey, locked and take nothing.
    const notCarried = cellAt(ws, 'RCH-02', 'numerator', 'age=15-19');
    expect(notCarried.protection?.locked).not.toBe(false);
    expect(notCarried.dataValidation).toBeUndefined();
    expect(notCarried.fill).toMatchObject({ fgColor: { argb: 'FFBFBFBF' } });
    expect(cellAt(ws, 'RNF-01', 'value', 'sex=F').protection?.locked).not.toBe(false);
    // Codes are locked; the sheet is protected without a password and panes freeze at the first input column.
    expect(cellAt(ws, 'RCH-01', 'value', 'Indicator code').protection?.locked).not.toBe(false);
    // exceljs keeps the loaded protection on an undeclared property.
    const protection = (ws as unknown as { sheetProtection: unknown }).sheetProtection;
    expect(protection).toMatchObject({ sheet: true });
    expect(protection).not.toHaveProperty('hashValue');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 6, ySplit: 10, rightToLeft: false });
  });

  it('pre-fills the values already stored', async () => {
    const ws = dataSheet((await template({ orgUnit: 'PK-PB', period: '2025Q4' })).wb);
    expect(cellAt(ws, 'RCH-01', 'value', 'Total').value).toBe(120);
    expect(cellAt(ws, 'RCH-01', 'value', 'sex=F').value).toBe(50);
    expect(cellAt(ws, 'RCH-01', 'value', 'sex=M').value).toBeNull();
    expect(cellAt(ws, 'RCH-01', 'value', 'Comment').value).toBe('from attendance registers');
    expect(cellAt(ws, 'RCH-02', 'numerator', 'Total').value).toBe(30);
    expect(cellAt(ws, 'RCH-02', 'denominator', 'Total').value).toBe(40);
    expect(cellAt(ws, 'RNF-01', 'value', 'Total').value).toBe('Yes');
  });

  it('keeps the template identity and row map in a hidden _jaiza sheet, and explains the milestone scale', async () => {
    const { wb } = await template({ orgUnit: 'PK-PB', period: '2025Q4', institution: 'PB-HD' });
    const meta = wb.getWorksheet('_jaiza')!;
    expect(meta.state).toBe('hidden');
    const rows: unknown[][] = [];
    meta.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.slice(0, 8)).toEqual([
      ['format_version', '1'],
      ['org_unit', 'PK-PB'],
      ['period', '2025Q4'],
      ['institution', 'PB-HD'],
      ['framework', ''],
      ['lang', 'en'],
      ['generated_at', '2026-01-05T09:30:00Z'],
      ['header_row', 9],
    ]);
    expect(rows.slice(9)).toEqual([
      ['row', 'indicator', 'measure', 'unit_type'],
      [12, 'RCH-01', 'value', 'count'],
      [13, 'RCH-02', 'numerator', 'percentage'],
      [14, 'RCH-02', 'denominator', 'percentage'],
      [16, 'RNF-02', 'value', 'milestone'],
      [17, 'RNF-03', 'value', 'currency'],
    ]);
    const readme: string[] = [];
    wb.getWorksheet('README')!.eachRow((row) => readme.push(String(row.getCell(2).value)));
    expect(readme).toEqual(expect.arrayContaining(['Milestone scale', ...MILESTONE_LABELS]));
  });

  it('writes Urdu names right to left with Urdu instructions when asked', async () => {
    const { wb } = await template({ orgUnit: 'PK-PB', period: '2025Q4', framework: 'NPVE-2024' }, 'ur');
    const ws = dataSheet(wb);
    expect(ws.views[0]).toMatchObject({ rightToLeft: true, state: 'frozen' });
    expect(cellAt(ws, 'RCH-01', 'value', 'Indicator').value).toBe('پی وی ای پروگراموں تک پہنچنے والے نوجوان');
    expect(cellAt(ws, 'RCH-01', 'value', 'Objective').value).toBe('نوجوانوں کی شمولیت');
    expect(cellAt(ws, 'RCH-01', 'value', 'sex=F').value).toBe(50);
    expect(ws.getCell('A2').value).toBe('انتظامی اکائی: PK-PB پنجاب');
    const readme: string[] = [];
    wb.getWorksheet('README')!.eachRow((row) => readme.push(String(row.getCell(2).value)));
    expect(readme).toContain('سنگِ میل کا پیمانہ');
    expect(wb.getWorksheet('README')!.views[0]).toMatchObject({ rightToLeft: true });
  });

  it('reads back, untouched, as the values stored in the database', async () => {
    const { buf } = await template({ orgUnit: 'PK-PB', period: '2025Q4' });
    const rows = [];
    for await (const r of readTemplate(buf)) rows.push([r.indicator, r.disaggregation, r.value, r.numerator, r.denominator]);
    expect(rows).toEqual([
      ['RCH-01', '', '120', undefined, undefined],
      ['RCH-01', 'sex=F', '50', undefined, undefined],
      ['RCH-02', '', undefined, '30', '40'],
      ['RNF-01', '', '1', undefined, undefined],
    ]);
  });

  it('builds a readable template for a division, which reports nothing', async () => {
    const { buf, wb } = await template({ orgUnit: 'PK-PB-LHR-DIV', period: '2025Q4' });
    expect(indicatorRows(dataSheet(wb))).toEqual([]);
    expect(headers(dataSheet(wb))).toEqual([...LEADING_COLUMNS, 'Comment']);
    expect(dataSheet(wb).getCell('A11').value).toBe('No indicator is reported by this org unit for this period.');
    const rows = [];
    for await (const r of readTemplate(buf)) rows.push(r);
    expect(rows).toEqual([]);
  });

  it('imports a filled template, and a re-downloaded one comes back filled and re-imports as unchanged', async () => {
    const request = { orgUnit: 'PK-PB', period: '2026Q1', framework: 'NPVE-2024' };
    const { wb } = await template(request);
    const ws = dataSheet(wb);
    cellAt(ws, 'RCH-01', 'value', 'Total').value = 150;
    cellAt(ws, 'RCH-01', 'value', 'sex=F').value = '70';
    cellAt(ws, 'RCH-01', 'value', 'Comment').value = 'registers';
    cellAt(ws, 'RCH-02', 'numerator', 'sex=M').value = 6;
    cellAt(ws, 'RCH-02', 'denominator', 'sex=M').value = 8;
    cellAt(ws, 'RNF-01', 'value', 'Total').value = 'No';
    cellAt(ws, 'RNF-02', 'value', 'Total').value = 2;
    const filled = await saveWorkbook(wb);
    const first = await importRows(conn.db, readTemplate(filled), { user: 'officer', format: 'xlsx' });
    expect(first).toMatchObject({ status: 'success', errorCount: 0, counts: { imported: 5 } });

    const again = dataSheet((await template(request)).wb);
    expect(cellAt(again, 'RCH-01', 'value', 'Total').value).toBe(150);
    expect(cellAt(again, 'RCH-01', 'value', 'sex=F').value).toBe(70);
    expect(cellAt(again, 'RCH-01', 'value', 'Comment').value).toBe('registers');
    expect(cellAt(again, 'RCH-02', 'denominator', 'sex=M').value).toBe(8);
    expect(cellAt(again, 'RNF-01', 'value', 'Total').value).toBe('No');
    expect(cellAt(again, 'RNF-02', 'value', 'Total').value).toBe(2);

    const redownloaded = (await template(request)).buf;
    const second = await importRows(conn.db, readTemplate(redownloaded), { user: 'officer', format: 'xlsx' });
    expect(second).toMatchObject({ status: 'success', counts: { imported: 0, updated: 0, unchanged: 5 } });
  });
});
