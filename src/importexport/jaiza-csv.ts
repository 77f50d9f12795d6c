/** Jaiza's long CSV: one data value per line, codes for everything, a blank disaggregation = total. */
import { pipeline, type Readable, type Writable } from 'node:stream';
import { once } from 'node:events';
import { parse, CsvError } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { InputError } from '../domain/row-error.ts';
import type { SourceRow, SourceRows } from './source-row.ts';
import { textInput } from './text-input.ts';
import type { ExportValue } from './export-values.ts';

export const JAIZA_CSV_COLUMNS = ['indicator', 'org_unit', 'period', 'disaggregation', 'value', 'numerator', 'denominator', 'comment'] as const;

export async function* parseJaizaCsv(input: Readable): SourceRows {
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: false, info: true });
  // pipeline carries a refusal of the input (empty, binary) through to the loop below.
  pipeline(textInput(input, 'a CSV file'), parser, () => {});
  let columns: number[] | null = null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = headerIndexes(record);
        continue;
      }
      const get = (k: number) => record[columns![k]!] ?? '';
      const row: SourceRow = {
        row: info.lines,
        indicator: get(0).trim(),
        orgUnit: get(1).trim(),
        period: get(2).trim(),
        disaggregation: get(3).trim(),
        value: get(4),
        numerator: get(5),
        denominator: get(6),
        comment: get(7),
      };
      yield row;
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? 0;
      throw new InputError([{ row: line, field: 'row', code: 'malformed_csv', message: csvMessage(e) }]);
    }
    throw e;
  }
}

function csvMessage(e: CsvError): string {
  switch (e.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return `the line has a different number of fields than the header (${JAIZA_CSV_COLUMNS.length} expected): it may be truncated or have an unquoted comma`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed: the file may be truncated';
    default:
      return `the line is not valid CSV: ${e.message}`;
  }
}

function headerIndexes(header: string[]): number[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = JAIZA_CSV_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(JAIZA_CSV_COLUMNS as readonly string[]).includes(n));
  if (missing.length || unknown.length) {
    const parts = [
      missing.length ? `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
      unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}` : '',
    ].filter(Boolean);
    throw new InputError([{
      row: 1,
      field: 'header',
      code: 'wrong_header',
      message: `wrong header: ${parts.join('; ')}. Expected: ${JAIZA_CSV_COLUMNS.join(',')}`,
    }]);
  }
  return JAIZA_CSV_COLUMNS.map((c) => names.indexOf(c));
}

/** Writes values as Jaiza CSV (synthetic demo values say so in their comment); leaves `out` open. */
export async function writeJaizaCsv(values: AsyncIterable<ExportValue>, out: Writable): Promise<number> {
  const csv = stringify({ header: true, columns: [...JAIZA_CSV_COLUMNS], bom: true });
  csv.pipe(out, { end: false });
  const ended = once(csv, 'end');
  let n = 0;
  for await (const v of values) {
    const ok = csv.write([
      v.indicator, v.orgUnit, v.period, v.disaggregation,
      v.unitType === 'percentage' ? '' : numberText(v.value),
      v.unitType === 'percentage' ? numberText(v.numerator) : '',
      v.unitType === 'percentage' ? numberText(v.denominator) : '',
      v.comment ?? '',
    ]);
    n++;
    if (!ok) await once(csv, 'drain');
  }
  csv.end();
  await ended;
  return n;
}

export function numberText(x: number | null): string {
  return x === null || x === undefined ? '' : String(x);
}
