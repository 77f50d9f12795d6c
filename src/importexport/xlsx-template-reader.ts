/**
 * Reads a filled data-entry template (xlsx-template.ts) back into SourceRows. Which indicator and measure a row
 * holds comes from the hidden `_jaiza` sheet; the visible codes are only checked against it.
 */
import ExcelJS from 'exceljs';
import { parseValueText } from '../domain/data-value-input.ts';
import { UNIT_TYPES, type UnitType } from '../domain/framework.ts';
import { InputError, type RowError } from '../domain/row-error.ts';
import type { SourceRow, SourceRows } from './source-row.ts';
import {
  CODE_COLUMN,
  DATA_SHEET,
  LEADING_COLUMNS,
  MEASURE_COLUMN,
  META_SHEET,
  ROW_MAP_HEADER,
  TEMPLATE_FORMAT_VERSION,
  TOTAL_COLUMN,
  type Measure,
  type TemplateRowMapping,
} from './xlsx-template.ts';

interface TemplateMeta {
  orgUnit: string;
  period: string;
  headerRow: number;
  columns: string[];
  rows: TemplateRowMapping[];
}

/** The filled cells of one template row, by disaggregation key ('' = Total), in column order. */
interface FilledRow {
  mapping: TemplateRowMapping;
  cells: Map<string, string>;
  comment: string | null;
}

const MEASURES: readonly Measure[] = ['value', 'numerator', 'denominator'];
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function fail(error: RowError): never {
  throw new InputError([error]);
}

async function loadWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const notXlsx: RowError = { row: 0, field: 'file', code: 'not_xlsx', message: 'the file is not an XLSX workbook' };
  if (!buf.subarray(0, 4).equals(ZIP_SIGNATURE)) fail(notXlsx);
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type, which Node's Buffer does not match; the runtime takes Node's.
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    fail(notXlsx);
  }
  return wb;
}

function sheetOf(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  return (
    wb.getWorksheet(name) ??
    fail({
      row: 0,
      field: 'sheet',
      sheet: name,
      code: 'missing_sheet',
      message: `sheet '${name}' is missing: this is not a Jaiza template, or a sheet was removed`,
    })
  );
}

/** Number text as typed: 0.1 + 0.2 reads "0.3", not "0.30000000000000004". */
function numberText(n: number): string {
  return String(Number(n.toPrecision(15)));
}

/** A cell as text, formulas by their cached result; null when blank. */
function cellText(cell: ExcelJS.Cell): string | null {
  const text = valueText(cell.value, cell);
  return text === null || text.trim() === '' ? null : text.trim();
}

function valueText(v: ExcelJS.CellValue, cell: ExcelJS.Cell): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('formula' in v || 'sharedFormula' in v) {
    // A formula never calculated (the file was not saved by a spreadsheet) is passed on as written, to be reported.
    return v.result === undefined ? `=${cell.formula}` : valueText(v.result, cell);
  }
  if ('error' in v) return v.error;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return typeof v.text === 'string' ? v.text : valueText(v.text, cell);
  return null;
}

/** Yes/No cells hold the words of the dropdown (or a typed TRUE/FALSE, ہاں/نہیں); the pipeline is given 1 and 0. */
function yesNoText(text: string): string {
  const parsed = parseValueText('yes_no', text);
  return parsed.ok && parsed.value !== null ? String(parsed.value) : text;
}

function readMeta(sheet: ExcelJS.Worksheet): TemplateMeta {
  const problem = (row: number, field: string, message: string): never =>
    fail({ row, field, sheet: META_SHEET, code: 'template_metadata', message: `${message}; download a fresh template` });
  const entries = new Map<string, { row: number; values: string[] }>();
  const rows: TemplateRowMapping[] = [];
  let inMapping = false;
  sheet.eachRow((row, n) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
    if (!inMapping) {
      const [key = '', ...rest] = values;
      if (key === ROW_MAP_HEADER[0]) inMapping = true;
      else if (key !== '') entries.set(key, { row: n, values: rest });
      return;
    }
    const [sheetRow = '', indicator, measure, unitType] = values;
    if (!/^\d+$/.test(sheetRow) || !indicator) problem(n, 'row', `row ${n} does not map a sheet row to an indicator`);
    if (!MEASURES.includes(measure as Measure)) problem(n, 'measure', `row ${n} has the unknown measure "${measure}"`);
    if (!UNIT_TYPES.includes(unitType as UnitType)) problem(n, 'unit_type', `row ${n} has the unknown unit type "${unitType}"`);
    rows.push({ row: Number(sheetRow), indicator: indicator!, measure: measure as Measure, unitType: unitType as UnitType });
  });
  const value = (key: string): string => {
    const entry = entries.get(key);
    if (!entry || entry.values[0] === undefined || entry.values[0] === '') return problem(0, key, `'${key}' is missing`);
    return entry.values[0];
  };
  const version = value('format_version');
  if (version !== TEMPLATE_FORMAT_VERSION) {
    problem(entries.get('format_version')!.row, 'format_version', `template format ${version} is not supported (this Jaiza reads ${TEMPLATE_FORMAT_VERSION})`);
  }
  const headerRow = Number(value('header_row'));
  if (!Number.isInteger(headerRow) || headerRow < 1) problem(entries.get('header_row')!.row, 'header_row', 'header_row is not a row number');
  const columns = (entries.get('columns')?.values ?? []).filter((c) => c !== '');
  if (columns.length < LEADING_COLUMNS.length + 1) problem(entries.get('columns')?.row ?? 0, 'columns', 'the column list is incomplete');
  if (!inMapping) problem(0, 'row', 'the row map is missing');
  return { orgUnit: value('org_unit'), period: value('period'), headerRow, columns, rows };
}

/** The disaggregation key of each input column from Total on: '' for Total, then `category=option`. */
function disaggregationKeys(meta: TemplateMeta): string[] {
  return ['', ...meta.columns.slice(TOTAL_COLUMN, -1)];
}

function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function checkHeader(sheet: ExcelJS.Worksheet, meta: TemplateMeta): void {
  const errors: RowError[] = [];
  const header = sheet.getRow(meta.headerRow);
  const at = { row: meta.headerRow, sheet: DATA_SHEET };
  meta.columns.forEach((expected, i) => {
    const actual = cellText(header.getCell(i + 1)) ?? '';
    if (actual !== expected) {
      errors.push({
        ...at,
        field: expected,
        code: 'header_changed',
        message: `column ${columnLetter(i + 1)} must be headed "${expected}" but reads "${actual}"; do not change the header`,
      });
    }
  });
  for (let col = meta.columns.length + 1; col <= Math.max(header.cellCount, sheet.columnCount); col++) {
    const extra = cellText(header.getCell(col));
    if (extra !== null) {
      errors.push({
        ...at,
        field: extra,
        code: 'extra_column',
        message: `column ${columnLetter(col)} "${extra}" was added; the template takes no extra columns`,
      });
    }
  }
  if (errors.length) throw new InputError(errors);
}

/** Reads the filled cells of every mapped row, checking each row still holds the indicator and measure it was built with. */
function readRows(sheet: ExcelJS.Worksheet, meta: TemplateMeta): FilledRow[] {
  const errors: RowError[] = [];
  const commentColumn = meta.columns.length;
  const keys = disaggregationKeys(meta);
  const filled: FilledRow[] = [];
  for (const mapping of meta.rows) {
    const row = sheet.getRow(mapping.row);
    const code = cellText(row.getCell(CODE_COLUMN));
    const measure = cellText(row.getCell(MEASURE_COLUMN));
    if (code !== mapping.indicator || measure !== mapping.measure) {
      errors.push({
        row: mapping.row,
        sheet: DATA_SHEET,
        field: code !== mapping.indicator ? 'Indicator code' : 'Measure',
        code: 'row_changed',
        message: `row ${mapping.row} must hold ${mapping.indicator} (${mapping.measure}) but holds ${code ?? 'nothing'} (${measure ?? 'no measure'}); rows were moved or codes edited`,
      });
      continue;
    }
    const cells = new Map<string, string>();
    for (let col = TOTAL_COLUMN; col < commentColumn; col++) {
      const text = cellText(row.getCell(col));
      if (text !== null) cells.set(keys[col - TOTAL_COLUMN]!, mapping.unitType === 'yes_no' ? yesNoText(text) : text);
    }
    filled.push({ mapping, cells, comment: cellText(row.getCell(commentColumn)) });
  }

  // Values typed outside the template's rows would be lost without a word; refuse them instead.
  const mapped = new Set(meta.rows.map((m) => m.row));
  sheet.eachRow((row, n) => {
    if (n <= meta.headerRow + 1 || mapped.has(n)) return;
    for (let col = TOTAL_COLUMN; col <= Math.max(row.cellCount, commentColumn); col++) {
      if (cellText(row.getCell(col)) === null) continue;
      errors.push({
        row: n,
        sheet: DATA_SHEET,
        field: meta.columns[col - 1] ?? columnLetter(col),
        code: 'not_a_template_row',
        message: `row ${n} is not an indicator row of the template, so its values cannot be read; enter them on the indicator's own row`,
      });
      break;
    }
  });
  if (errors.length) throw new InputError(errors);
  return filled;
}

function joinComments(...comments: (string | null | undefined)[]): string | undefined {
  const distinct = [...new Set(comments.filter((c): c is string => !!c))];
  return distinct.length ? distinct.join('; ') : undefined;
}

/** One SourceRow per filled cell; a percentage's numerator and denominator rows pair up per disaggregation. */
function* sourceRows(meta: TemplateMeta, filled: FilledRow[]): Generator<SourceRow> {
  const base = { sheet: DATA_SHEET, orgUnit: meta.orgUnit, period: meta.period };
  const denominators = new Map(
    filled.filter((f) => f.mapping.measure === 'denominator').map((f) => [f.mapping.indicator, f]),
  );
  const columnOrder = disaggregationKeys(meta);
  const paired = new Set<FilledRow>();
  for (const f of filled) {
    const { indicator, measure } = f.mapping;
    if (measure === 'value') {
      for (const [disaggregation, value] of f.cells) {
        yield { ...base, row: f.mapping.row, indicator, disaggregation, value, comment: joinComments(f.comment) };
      }
      continue;
    }
    if (paired.has(f)) continue;
    const numeratorRow = measure === 'numerator' ? f : undefined;
    const denominatorRow = measure === 'denominator' ? f : denominators.get(indicator);
    if (denominatorRow) paired.add(denominatorRow);
    const keys = new Set([...(numeratorRow?.cells.keys() ?? []), ...(denominatorRow?.cells.keys() ?? [])]);
    for (const disaggregation of columnOrder.filter((k) => keys.has(k))) {
      const numerator = numeratorRow?.cells.get(disaggregation);
      const denominator = denominatorRow?.cells.get(disaggregation);
      yield {
        ...base,
        row: (numerator !== undefined ? numeratorRow : denominatorRow)!.mapping.row,
        indicator,
        disaggregation,
        numerator,
        denominator,
        comment: joinComments(numeratorRow?.comment, denominatorRow?.comment),
      };
    }
  }
}

export async function* readTemplate(buf: Buffer): SourceRows {
  const wb = await loadWorkbook(buf);
  const sheet = sheetOf(wb, DATA_SHEET);
  const meta = readMeta(sheetOf(wb, META_SHEET));
  checkHeader(sheet, meta);
  yield* sourceRows(meta, readRows(sheet, meta));
}
