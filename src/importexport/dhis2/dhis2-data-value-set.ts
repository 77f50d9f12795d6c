/**
 * Streaming readers for DHIS2 data value sets (JSON and CSV): one SourceRow per data value, never the whole
 * file in memory, so a province's full export can be imported.
 */
import { pipeline, Transform } from 'node:stream';
import { parse, CsvError, type Info } from 'csv-parse';
import Parser from 'stream-json/Parser.js';
import { tryParsePeriod } from '../../domain/period.ts';
import { InputError } from '../../domain/row-error.ts';
import type { SourceRow, SourceRows } from '../source-row.ts';
import { dhis2ValueReader, type Dhis2DataValue } from './dhis2-data-value.ts';
import type { Dhis2IdSchemes } from './dhis2-id-scheme.ts';
import type { Dhis2Mapping } from './dhis2-mapping.ts';
import { textInput } from '../text-input.ts';

function fileError(code: string, message: string): InputError {
  return new InputError([{ row: 0, field: 'file', code, message }]);
}

// ---- JSON ----

/** Top-level fields a data value set may give once for all its values. */
const TOP_LEVEL_DEFAULTS = ['period', 'orgUnit', 'attributeOptionCombo'] as const;
type TopLevelDefault = (typeof TOP_LEVEL_DEFAULTS)[number];

interface Token {
  name: string;
  value?: string | null;
}

type Primitive = string | boolean | null;

function primitive(t: Token): Primitive | undefined {
  switch (t.name) {
    case 'stringValue':
    case 'numberValue': // kept as its text, so 0.1 stays "0.1"
      return t.value ?? '';
    case 'nullValue':
      return null;
    case 'trueValue':
      return true;
    case 'falseValue':
      return false;
    default:
      return undefined;
  }
}

/**
 * Walks stream-json's tokens: the root object's scalar fields are defaults, each object in its
 * dataValues array is one value. Nested objects anywhere else are skipped.
 */
class DataValueSetTokens {
  private depth = 0;
  private topKey: string | null = null;
  private inValues = false;
  private valuesSeen = false;
  private current: Record<string, Primitive> = {};
  private currentKey: string | null = null;
  private index = 0;
  private readonly defaults: Partial<Record<TopLevelDefault, string>> = {};
  /** Defaults that values already needed before the file gave them. */
  private readonly neededEarly = new Set<TopLevelDefault>();

  constructor(private readonly emit: (value: Dhis2DataValue, row: number) => void) {}

  accept(t: Token): void {
    const start = t.name === 'startObject' || t.name === 'startArray';
    const end = t.name === 'endObject' || t.name === 'endArray';
    if (this.depth === 0) {
      if (t.name !== 'startObject') {
        throw fileError('not_data_value_set', 'a DHIS2 data value set is a JSON object with a dataValues array');
      }
      this.depth = 1;
    } else if (this.depth === 1) {
      this.acceptTopLevel(t, start);
    } else if (this.inValues && this.depth === 2) {
      if (t.name === 'startObject') {
        this.current = {};
        this.currentKey = null;
        this.depth = 3;
      } else if (t.name === 'endArray') {
        this.inValues = false;
        this.depth = 1;
      } else {
        const row = this.index + 1;
        throw new InputError([{ row, field: 'dataValues', code: 'not_an_object', message: `dataValues[${this.index}] is not an object` }]);
      }
    } else if (this.inValues && this.depth === 3 && !start) {
      if (t.name === 'keyValue') this.currentKey = t.value ?? '';
      else if (t.name === 'endObject') this.finishValue();
      else if (this.currentKey !== null) this.current[this.currentKey] = primitive(t) ?? null;
    } else if (start) this.depth++;
    else if (end) this.depth--;
  }

  private acceptTopLevel(t: Token, start: boolean): void {
    if (t.name === 'keyValue') {
      this.topKey = t.value ?? '';
      return;
    }
    if (t.name === 'endObject') {
      this.depth = 0;
      return;
    }
    const key = this.topKey;
    this.topKey = null;
    if (key === 'dataValues') {
      if (t.name !== 'startArray') throw fileError('no_data_values', 'dataValues is not an array');
      this.inValues = true;
      this.valuesSeen = true;
      this.depth = 2;
    } else if (start) {
      this.depth++;
    } else {
      const name = TOP_LEVEL_DEFAULTS.find((k) => k === key);
      const value = primitive(t);
      if (name && typeof value === 'string') this.setDefault(name, value);
    }
  }

  private setDefault(key: TopLevelDefault, value: string): void {
    if (this.neededEarly.has(key)) {
      throw fileError(
        'default_after_values',
        `the top-level ${key} comes after dataValues that need it; put it before dataValues, as DHIS2 writes it`,
      );
    }
    this.defaults[key] = value;
  }

  private finishValue(): void {
    const v = this.current;
    const text = (k: string): string | undefined => {
      const x = v[k];
      return x === undefined || x === null ? undefined : String(x);
    };
    const withDefault = (k: TopLevelDefault): string | undefined => {
      const own = text(k);
      if (own !== undefined) return own;
      if (this.defaults[k] === undefined) this.neededEarly.add(k);
      return this.defaults[k];
    };
    this.depth = 2;
    this.index++;
    this.emit(
      {
        dataElement: text('dataElement'),
        period: withDefault('period'),
        orgUnit: withDefault('orgUnit'),
        categoryOptionCombo: text('categoryOptionCombo'),
        attributeOptionCombo: withDefault('attributeOptionCombo'),
        value: 'value' in v ? (v.value === null ? null : String(v.value)) : undefined,
        storedBy: text('storedBy'),
        comment: 'comment' in v ? (v.comment === null ? null : String(v.comment)) : undefined,
        deleted: v.deleted === true || String(v.deleted).toLowerCase() === 'true',
      },
      this.index,
    );
  }

  finish(): void {
    if (!this.valuesSeen) throw fileError('no_data_values', 'the file has no dataValues array, so it is not a DHIS2 data value set');
  }
}

function rowsFromTokens(toRow: (value: Dhis2DataValue, row: number) => SourceRow): Transform {
  const guard = (step: () => void, done: (e?: Error) => void) => {
    try {
      step();
      done();
    } catch (e) {
      done(e as Error);
    }
  };
  const rows = new Transform({
    objectMode: true,
    transform: (token: Token, _encoding, done) => guard(() => tokens.accept(token), done),
    flush: (done) => guard(() => tokens.finish(), done),
  });
  const tokens = new DataValueSetTokens((value, row) => rows.push(toRow(value, row)));
  return rows;
}

/** DHIS2 dataValueSet JSON → SourceRows; the row is the value's index in dataValues + 1. */
export async function* parseDhis2DataValueSetJson(
  input: NodeJS.ReadableStream,
  mapping: Dhis2Mapping,
  schemes: Dhis2IdSchemes,
): SourceRows {
  const toRow = dhis2ValueReader(mapping, schemes);
  const json = new Parser({ packValues: true, streamValues: false });
  let syntaxError: unknown;
  json.on('error', (e) => (syntaxError = e));
  const rows = rowsFromTokens(toRow);
  pipeline(textInput(input, 'a DHIS2 JSON data value set'), json, rows, () => {});
  try {
    for await (const row of rows) yield row as SourceRow;
  } catch (e) {
    // The parser also receives the errors of the other stages when the pipeline tears down; only its own are about JSON.
    if (e instanceof InputError || e !== syntaxError) throw e;
    throw fileError('not_json', `the file is not valid JSON: ${(e as Error).message}`);
  }
}

// ---- CSV ----

/** DHIS2's CSV column order: what the writer emits, and what the reader assumes when a file has no header row. */
export const CSV_COLUMNS = [
  'dataelement',
  'period',
  'orgunit',
  'categoryoptioncombo',
  'attributeoptioncombo',
  'value',
  'storedby',
  'lastupdated',
  'comment',
  'followup',
  'deleted',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Older DHIS2 versions' names, and columns DHIS2 writes that Jaiza has no use for. */
const CSV_ALIASES: Record<string, CsvColumn> = { catoptcombo: 'categoryoptioncombo', attroptcombo: 'attributeoptioncombo' };
const CSV_IGNORED = new Set(['created']);
const CSV_REQUIRED: CsvColumn[] = ['dataelement', 'period', 'orgunit', 'value'];

type ColumnIndex = Partial<Record<CsvColumn, number>>;

/**
 * DHIS2 writes the header row but does not require it: a first line whose period cell is a period is data.
 * Returns null for a headerless file.
 */
function readHeader(record: string[], line: number): ColumnIndex | null {
  if (tryParsePeriod(record[1] ?? '') !== null) return null;
  const index: ColumnIndex = {};
  const unknown: string[] = [];
  record.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    const column = CSV_ALIASES[name] ?? CSV_COLUMNS.find((c) => c === name);
    if (column) index[column] = i;
    else if (!CSV_IGNORED.has(name)) unknown.push(cell);
  });
  const missing = CSV_REQUIRED.filter((c) => index[c] === undefined);
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown ${unknown.map((u) => `"${u}"`).join(', ')}` : '',
    ].filter(Boolean);
    throw new InputError([
      {
        row: line,
        field: 'header',
        code: 'wrong_header',
        message: `this is not a DHIS2 data value CSV header (${CSV_COLUMNS.join(',')}): ${problems.join('; ')}`,
      },
    ]);
  }
  return index;
}

const POSITIONAL: ColumnIndex = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, i]));

function csvValue(record: string[], columns: ColumnIndex): Dhis2DataValue {
  const cell = (c: CsvColumn) => {
    const i = columns[c];
    return i === undefined ? undefined : record[i];
  };
  return {
    dataElement: cell('dataelement'),
    period: cell('period'),
    orgUnit: cell('orgunit'),
    categoryOptionCombo: cell('categoryoptioncombo'),
    attributeOptionCombo: cell('attributeoptioncombo'),
    value: cell('value'),
    storedBy: cell('storedby'),
    comment: cell('comment'),
    deleted: cell('deleted')?.trim().toLowerCase() === 'true',
  };
}

/** csv-parse reports the line a record ends on; a quoted multi-line cell would otherwise shift the number. */
function firstLine(record: string[], info: Info): number {
  let breaks = 0;
  for (const cell of record) for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) breaks++;
  return info.lines - breaks;
}

/** DHIS2 dataValueSet CSV (header row optional) → SourceRows; the row is the CSV line. */
export async function* parseDhis2DataValueSetCsv(
  input: NodeJS.ReadableStream,
  mapping: Dhis2Mapping,
  schemes: Dhis2IdSchemes,
): SourceRows {
  const toRow = dhis2ValueReader(mapping, schemes);
  const csv = parse({ relax_column_count: true, skip_empty_lines: true, info: true });
  pipeline(textInput(input, 'a DHIS2 CSV data value set'), csv, () => {});
  let columns: ColumnIndex | undefined;
  try {
    for await (const { record, info } of csv as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = firstLine(record, info);
      if (columns === undefined) {
        const header = readHeader(record, line);
        columns = header ?? POSITIONAL;
        if (header) continue;
      }
      yield toRow(csvValue(record, columns), line);
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? 0;
      throw new InputError([{ row: line, field: 'file', code: 'invalid_csv', message: e.message }]);
    }
    throw e;
  }
  if (columns === undefined) throw fileError('empty_file', 'the file is empty');
}
