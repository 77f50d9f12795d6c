import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputError, type RowError } from '../domain/row-error.ts';
import { punjabSpec } from '../../test/fixtures/template/punjab-spec.ts';
import { cellAt, dataSheet, openWorkbook, saveWorkbook } from '../../test/fixtures/template/workbook.ts';
import type { SourceRow } from './source-row.ts';
import { buildTemplate } from './xlsx-template.ts';
import { readTemplate } from './xlsx-template-reader.ts';

async function readAll(buf: Buffer): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of readTemplate(buf)) rows.push(row);
  return rows;
}

async function errorsOf(buf: Buffer): Promise<RowError[]> {
  const e = await readAll(buf).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return (e as InputError).errors;
}

/** A template with the user's edits applied through exceljs, as a spreadsheet program would save them. */
async function edited(edit: (wb: Awaited<ReturnType<typeof openWorkbook>>) => void, lang: 'en' | 'ur' = 'en'): Promise<Buffer> {
  const wb = await openWorkbook(await buildTemplate(punjabSpec(), { lang }));
  edit(wb);
  return saveWorkbook(wb);
}

const at = { sheet: 'Data entry', orgUnit: 'PK-PB', period: '2025Q4' };

function fillLikeAUser(wb: Awaited<ReturnType<typeof openWorkbook>>): void {
  const ws = dataSheet(wb);
  cellAt(ws, 'RCH-01', 'value', 'Total').value = 150;
  cellAt(ws, 'RCH-01', 'value', 'sex=F').value = ' 70 ';
  cellAt(ws, 'RCH-01', 'value', 'sex=M').value = { formula: 'G12-H12', result: 80 };
  cellAt(ws, 'RCH-02', 'denominator', 'Total').value = null;
  cellAt(ws, 'RCH-02', 'numerator', 'sex=F').value = 12;
  cellAt(ws, 'RCH-02', 'denominator', 'sex=F').value = 20;
  cellAt(ws, 'RCH-02', 'denominator', 'sex=M').value = 9;
  cellAt(ws, 'RCH-02', 'denominator', 'Comment').value = 'headcount from EMIS';
  cellAt(ws, 'RNF-01', 'value', 'Total').value = 'Yes';
  cellAt(ws, 'RNF-02', 'value', 'Total').value = 3;
  cellAt(ws, 'RNF-03', 'value', 'Total').value = { formula: '0.1+0.2', result: 0.1 + 0.2 };
}

const expectedRows: SourceRow[] = [
  { ...at, row: 12, indicator: 'RCH-01', disaggregation: '', value: '150', comment: 'from attendance registers' },
  { ...at, row: 12, indicator: 'RCH-01', disaggregation: 'sex=F', value: '70', comment: 'from attendance registers' },
  { ...at, row: 12, indicator: 'RCH-01', disaggregation: 'sex=M', value: '80', comment: 'from attendance registers' },
  { ...at, row: 13, indicator: 'RCH-02', disaggregation: '', numerator: '30', denominator: undefined, comment: 'headcount from EMIS' },
  { ...at, row: 13, indicator: 'RCH-02', disaggregation: 'sex=F', numerator: '12', denominator: '20', comment: 'headcount from EMIS' },
  { ...at, row: 14, indicator: 'RCH-02', disaggregation: 'sex=M', numerator: undefined, denominator: '9', comment: 'headcount from EMIS' },
  { ...at, row: 16, indicator: 'RNF-01', disaggregation: '', value: '1' },
  { ...at, row: 17, indicator: 'RNF-02', disaggregation: '', value: '3' },
  { ...at, row: 18, indicator: 'RNF-03', disaggregation: '', value: '0.3' },
];

describe('readTemplate', () => {
  it('reads back exactly what a user filled: typed numbers, numbers as text, Yes, formulas by their result', async () => {
    const rows = await readAll(await edited(fillLikeAUser));
    expect(rows).toEqual(expectedRows);
    // The unpaired measure is present and undefined, so the pipeline reports the missing half.
    expect(rows[3]).toHaveProperty('denominator', undefined);
    expect(rows[5]).toHaveProperty('numerator', undefined);
  });

  it('reads an Urdu template the same way (its title block has one more line)', async () => {
    const shifted = expectedRows.map((r) => ({ ...r, row: r.row + 1 }));
    expect(await readAll(await edited(fillLikeAUser, 'ur'))).toEqual(shifted);
  });

  it('reads an untouched template as the stored values it was pre-filled with', async () => {
    expect(await readAll(await buildTemplate(punjabSpec()))).toEqual([
      { ...at, row: 12, indicator: 'RCH-01', disaggregation: '', value: '120', comment: 'from attendance registers' },
      { ...at, row: 12, indicator: 'RCH-01', disaggregation: 'sex=F', value: '50', comment: 'from attendance registers' },
      { ...at, row: 13, indicator: 'RCH-02', disaggregation: '', numerator: '30', denominator: '40' },
      { ...at, row: 16, indicator: 'RNF-01', disaggregation: '', value: '1' },
    ]);
  });

  it('turns No into 0 and passes other text on for the pipeline to reject', async () => {
    const buf = await edited((wb) => {
      const ws = dataSheet(wb);
      cellAt(ws, 'RCH-01', 'value', 'age=15-19').value = { formula: 'G12-H12' };
      cellAt(ws, 'RNF-01', 'value', 'Total').value = 'No';
      cellAt(ws, 'RNF-02', 'value', 'Total').value = 'soon';
      cellAt(ws, 'RNF-04', 'value', 'Total').value = { formula: '1/0', result: { error: '#DIV/0!' } };
    });
    const rows = await readAll(buf);
    // Never calculated (saved by a program that does not compute), so there is no result to read.
    expect(rows.find((r) => r.disaggregation === 'age=15-19')?.value).toBe('=G12-H12');
    expect(rows.filter((r) => r.indicator.startsWith('RNF')).map((r) => [r.indicator, r.value])).toEqual([
      ['RNF-01', '0'],
      ['RNF-02', 'soon'],
      ['RNF-04', '#DIV/0!'],
    ]);
  });

  it('refuses random bytes and a damaged zip as not an XLSX workbook', async () => {
    const notXlsx = [{ row: 0, field: 'file', code: 'not_xlsx', message: 'the file is not an XLSX workbook' }];
    expect(await errorsOf(randomBytes(300))).toEqual(notXlsx);
    expect(await errorsOf(Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(300)]))).toEqual(notXlsx);
  });

  it('names the missing sheet', async () => {
    const withoutMeta = await edited((wb) => wb.removeWorksheet(wb.getWorksheet('_jaiza')!.id));
    expect(await errorsOf(withoutMeta)).toEqual([
      {
        row: 0,
        field: 'sheet',
        sheet: '_jaiza',
        code: 'missing_sheet',
        message: "sheet '_jaiza' is missing: this is not a Jaiza template, or a sheet was removed",
      },
    ]);
    const withoutData = await edited((wb) => wb.removeWorksheet(dataSheet(wb).id));
    expect((await errorsOf(withoutData))[0]).toMatchObject({ sheet: 'Data entry', code: 'missing_sheet' });
  });

  it('names a changed header column and an added column', async () => {
    const buf = await edited((wb) => {
      const ws = dataSheet(wb);
      ws.getCell('H9').value = 'sex=X';
      ws.getCell('M9').value = 'district';
    });
    expect(await errorsOf(buf)).toEqual([
      {
        row: 9,
        sheet: 'Data entry',
        field: 'sex=F',
        code: 'header_changed',
        message: 'column H must be headed "sex=F" but reads "sex=X"; do not change the header',
      },
      {
        row: 9,
        sheet: 'Data entry',
        field: 'district',
        code: 'extra_column',
        message: 'column M "district" was added; the template takes no extra columns',
      },
    ]);
  });

  it('refuses rows whose codes no longer match the template, and values typed outside indicator rows', async () => {
    const buf = await edited((wb) => {
      const ws = dataSheet(wb);
      ws.getCell('C16').value = 'RNF-02';
      ws.getCell('G15').value = 4;
    });
    expect(await errorsOf(buf)).toEqual([
      {
        row: 16,
        sheet: 'Data entry',
        field: 'Indicator code',
        code: 'row_changed',
        message: 'row 16 must hold RNF-01 (value) but holds RNF-02 (value); rows were moved or codes edited',
      },
      {
        row: 15,
        sheet: 'Data entry',
        field: 'Total',
        code: 'not_a_template_row',
        message:
          "row 15 is not an indicator row of the template, so its values cannot be read; enter them on the indicator's own row",
      },
    ]);
  });

  it('refuses a template of another format version', async () => {
    const buf = await edited((wb) => {
      wb.getWorksheet('_jaiza')!.getCell('B1').value = '0';
    });
    expect(await errorsOf(buf)).toEqual([
      {
        row: 1,
        sheet: '_jaiza',
        field: 'format_version',
        code: 'template_metadata',
        message: 'template format 0 is not supported (this Jaiza reads 1); download a fresh template',
      },
    ]);
  });
});
