/** The results framework as an XLSX workbook an M&E officer edits, and back. */
import ExcelJS from 'exceljs';
import { InputError } from '../domain/row-error.ts';
import {
  FRAMEWORK_SHEETS,
  frameworkFromSheetTables,
  frameworkSheetRows,
  type DisaggregationCategoryDef,
  type FrameworkSheet,
  type FrameworkSheetContent,
  type ReadCell,
  type SheetCell,
  type SheetKey,
  type SheetTable,
} from './framework-sheet-columns.ts';
import type { FrameworkDef } from '../domain/framework.ts';

const README = 'README';
/** Dropdowns cover the written rows and room for this many more. */
const VALIDATED_EXTRA_ROWS = 1000;

export async function writeFrameworkWorkbook(
  frameworks: FrameworkDef[],
  catalogue: DisaggregationCategoryDef[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jaiza';
  addReadme(workbook);
  const rows = frameworkSheetRows(frameworks, catalogue);
  for (const sheet of FRAMEWORK_SHEETS) addSheet(workbook, sheet, rows[sheet.key]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addReadme(workbook: ExcelJS.Workbook): void {
  const ws = workbook.addWorksheet(README);
  ws.getColumn(1).width = 120;
  ws.getColumn(1).alignment = { wrapText: true, vertical: 'top' };
  const heading = (text: string) => (ws.addRow([text]).font = { bold: true, size: 12 });
  heading('Jaiza results framework');
  ws.addRow([
    'Codes are the keys. Rows refer to each other by code, and importing matches existing records by code: ' +
      'change names and descriptions freely, but change a code only when you mean a different record. ' +
      'Row 1 of every sheet holds the column names; do not rename, remove or add columns. Empty cells are empty values.',
  ]);
  for (const sheet of FRAMEWORK_SHEETS) {
    ws.addRow([]);
    heading(sheet.sheetName);
    ws.addRow([sheet.about]);
  }
  ws.addRow([]);
  heading('Allowed values');
  for (const sheet of FRAMEWORK_SHEETS) {
    for (const column of sheet.columns) {
      if (column.values) ws.addRow([`${sheet.sheetName} ${column.name}: ${column.values.join(', ')}`]);
    }
  }
}

/** exceljs keeps a sheet's range validations here; its typings leave it out. */
interface SheetValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

function addSheet(workbook: ExcelJS.Workbook, sheet: FrameworkSheet, rows: SheetCell[][]): void {
  const ws = workbook.addWorksheet(sheet.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.columns.map((c) => ({
    header: c.name,
    key: c.name,
    width: c.width,
    style: {
      alignment: {
        ...(c.urdu ? { horizontal: 'right', readingOrder: 'rtl' } : {}),
        ...(c.long ? { wrapText: true, vertical: 'top' } : {}),
      },
    },
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { horizontal: 'left' };
  ws.addRows(rows);
  const lastRow = rows.length + 1 + VALIDATED_EXTRA_ROWS;
  sheet.columns.forEach((c, i) => {
    if (!c.values) return;
    const letter = ws.getColumn(i + 1).letter;
    (ws as unknown as SheetValidations).dataValidations.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${c.values.join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: c.name,
      error: `${c.name} must be one of: ${c.values.join(', ')}`,
    });
  });
}

/** Reads a workbook written by writeFrameworkWorkbook and edited in a spreadsheet program; throws InputError. */
export async function readFrameworkWorkbook(buf: Buffer): Promise<FrameworkSheetContent> {
  const workbook = new ExcelJS.Workbook();
  try {
    // Dropdown ranges are expanded cell by cell on load and carry nothing the import needs.
    await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer, { ignoreNodes: ['dataValidations'] });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const message = `the file is not an XLSX workbook (${reason})`;
    throw new InputError([{ row: 0, field: '', code: 'not_xlsx', message }]);
  }
  const tables: Partial<Record<SheetKey, SheetTable>> = {};
  for (const sheet of FRAMEWORK_SHEETS) {
    const ws = workbook.worksheets.find((w) => w.name.trim().toLowerCase() === sheet.sheetName.toLowerCase());
    if (ws) tables[sheet.key] = worksheetTable(ws);
  }
  return frameworkFromSheetTables('sheet', tables);
}

function worksheetTable(ws: ExcelJS.Worksheet): SheetTable {
  const cellsOf = (row: ExcelJS.Row) => {
    const cells: ReadCell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c)));
    return cells;
  };
  const rows: SheetTable['rows'] = [];
  for (let r = 2; r <= ws.rowCount; r++) rows.push({ row: r, cells: cellsOf(ws.getRow(r)) });
  return { headerRow: 1, header: cellsOf(ws.getRow(1)), rows };
}

/** The text a user sees in a cell, whatever form the spreadsheet program saved it in. */
function cellText(cell: ExcelJS.Cell): ReadCell {
  return valueText(cell.value, cell.numFmt);
}

function valueText(value: ExcelJS.CellValue | undefined, numFmt: string | undefined): ReadCell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // A cell formatted as a percentage stores 45% as 0.45; show it as typed so the number check can explain.
    return numFmt?.includes('%') ? `${Number((value * 100).toPrecision(15))}%` : String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().replace(/T00:00:00\.000Z$/, '');
  if ('error' in value) return { unreadable: `the cell shows the error ${value.error}` };
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return valueText(value.text as ExcelJS.CellValue, numFmt);
  if ('formula' in value || 'sharedFormula' in value) {
    if (value.result === undefined) {
      return { unreadable: 'the formula has no saved result; open and save the file in a spreadsheet program' };
    }
    return valueText(value.result, numFmt);
  }
  return { unreadable: 'the cell holds something other than text or a number' };
}
