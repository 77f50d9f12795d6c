/** The results framework as a folder of CSV files, one per sheet of the XLSX workbook but the README, and back. */
import { CsvError, parse, type InfoRecord } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FrameworkDef } from '../domain/framework.ts';
import type { RowError } from '../domain/row-error.ts';
import {
  FRAMEWORK_SHEETS,
  frameworkFromSheetTables,
  frameworkSheetRows,
  type DisaggregationCategoryDef,
  type FrameworkSheetContent,
  type SheetKey,
  type SheetTable,
} from './framework-sheet-columns.ts';

/** File name (e.g. indicators.csv) → CSV text, UTF-8 with a byte-order mark so Excel shows Urdu correctly. */
export function writeFrameworkCsv(
  frameworks: FrameworkDef[],
  catalogue: DisaggregationCategoryDef[],
): Map<string, string> {
  const rows = frameworkSheetRows(frameworks, catalogue);
  const files = new Map<string, string>();
  for (const sheet of FRAMEWORK_SHEETS) {
    const header = sheet.columns.map((c) => c.name);
    const records = [header, ...rows[sheet.key].map((r) => r.map((c) => (c === null ? '' : String(c))))];
    // CRLF as Excel writes it; a line break inside a value must then be quoted explicitly.
    files.set(sheet.fileName, stringify(records, { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ }));
  }
  return files;
}

/** Reads the files written by writeFrameworkCsv, keyed by file name (a path is fine); throws InputError. */
export function readFrameworkCsv(files: Map<string, string | Buffer>): FrameworkSheetContent {
  const byName = new Map<string, string | Buffer>();
  for (const [name, content] of files) byName.set(name.split(/[\\/]/).pop()!.trim().toLowerCase(), content);
  const tables: Partial<Record<SheetKey, SheetTable>> = {};
  const errors: RowError[] = [];
  for (const sheet of FRAMEWORK_SHEETS) {
    const content = byName.get(sheet.fileName);
    if (content === undefined) continue;
    const table = csvTable(sheet.fileName, content, errors);
    if (table) tables[sheet.key] = table;
  }
  return frameworkFromSheetTables('file', tables, errors);
}

function csvTable(file: string, content: string | Buffer, errors: RowError[]): SheetTable | null {
  let bytes: Buffer;
  if (typeof content === 'string') {
    bytes = Buffer.from(content, 'utf8');
  } else {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      const message = 'the file is not UTF-8 text; save it as "CSV UTF-8"';
      errors.push({ sheet: file, row: 0, field: '', code: 'not_utf8', message });
      return null;
    }
    bytes = content;
  }
  let records: { record: string[]; info: InfoRecord }[];
  try {
    // The typings do not know that info: true wraps each record with its position.
    const options = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true };
    records = parse(bytes, options) as unknown as typeof records;
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    // csv-parse only knows where the file ended; the user needs the line where the open quote is.
    const unclosed = e.code === 'CSV_QUOTE_NOT_CLOSED';
    const reported = typeof e.lines === 'number' ? e.lines : 0;
    const row = unclosed ? new LineCounter(bytes).lineAt(unclosedQuote(bytes)) : reported;
    const message = unclosed ? 'a quote opened on this line is never closed' : e.message;
    errors.push({ sheet: file, row, field: '', code: 'csv_syntax', message });
    return null;
  }
  const lines = new LineCounter(bytes);
  let end = 0;
  const numbered = records.map(({ record, info }) => {
    const row = lines.lineAt(end);
    end = info.bytes;
    return { row, cells: record };
  });
  const [header, ...rows] = numbered;
  return { headerRow: header?.row ?? 1, header: header?.cells ?? [], rows };
}

/**
 * Line numbers from byte offsets. csv-parse reports the line a record ends on, and counts CRLF inside quotes
 * twice, so a record's first line is found from where the previous record ended instead.
 */
class LineCounter {
  private line = 1;
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}

  /** The line of the first record to start at or after the offset (offsets must not decrease). */
  lineAt(from: number): number {
    let start = from;
    while (start < this.bytes.length && (this.bytes[start] === 0x0d || this.bytes[start] === 0x0a)) start++;
    for (; this.offset < start; this.offset++) {
      const b = this.bytes[this.offset];
      if (b === 0x0a || (b === 0x0d && this.bytes[this.offset + 1] !== 0x0a)) this.line++;
    }
    return this.line;
  }
}

/** The offset of the quote still open at the end of the file (a doubled "" toggles twice and cancels out). */
function unclosedQuote(bytes: Buffer): number {
  let open = -1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x22) open = open < 0 ? i : -1;
  return Math.max(open, 0);
}
