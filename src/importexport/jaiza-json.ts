/** Jaiza JSON: a top-level array of objects with the same fields as the CSV columns. Streamed element by element. */
import { pipeline, type Readable, type Writable } from 'node:stream';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { InputError, type RowError } from '../domain/row-error.ts';
import { JAIZA_CSV_COLUMNS } from './jaiza-csv.ts';
import type { SourceRows } from './source-row.ts';
import { textInput } from './text-input.ts';
import type { ExportValue } from './export-values.ts';

type Field = (typeof JAIZA_CSV_COLUMNS)[number];

function fieldText(v: unknown, row: number, field: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  throw new InputError([{ row, field, code: 'wrong_type', message: `${field} must be a number or text, not ${Array.isArray(v) ? 'a list' : 'an object'}` }]);
}

export async function* parseJaizaJson(input: Readable): SourceRows {
  const items = StreamArray.withParser();
  pipeline(textInput(input, 'a JSON file'), items, () => {});
  try {
    for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
      const row = item.key + 1;
      const v = item.value;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        throw new InputError([{ row, field: 'record', code: 'not_object', message: 'each data value must be a JSON object' }]);
      }
      const obj = v as Record<string, unknown>;
      const unknown = Object.keys(obj).filter((k) => !(JAIZA_CSV_COLUMNS as readonly string[]).includes(k));
      if (unknown.length) {
        throw new InputError([{ row, field: unknown[0]!, code: 'unknown_field', message: `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; allowed: ${JAIZA_CSV_COLUMNS.join(', ')}` }]);
      }
      const get = (f: Field) => fieldText(obj[f], row, f);
      yield {
        row,
        indicator: get('indicator').trim(),
        orgUnit: get('org_unit').trim(),
        period: get('period').trim(),
        disaggregation: get('disaggregation').trim(),
        value: get('value'),
        numerator: get('numerator'),
        denominator: get('denominator'),
        comment: get('comment'),
      };
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (/should be an array/.test((e as Error).message)) {
      throw new InputError([{ row: 0, field: 'file', code: 'not_array', message: 'the JSON file must be an array of data values: [{"indicator": …, "org_unit": …, "period": …}, …]' }]);
    }
    const err: RowError = { row: 0, field: 'file', code: 'malformed_json', message: `the file is not valid JSON: ${(e as Error).message}` };
    throw new InputError([err]);
  }
}

/** Writes values as a JSON array, one object per line; leaves `out` open. */
export async function writeJaizaJson(values: AsyncIterable<ExportValue>, out: Writable): Promise<number> {
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  let n = 0;
  await write('[');
  for await (const v of values) {
    const ratio = v.unitType === 'percentage';
    const obj: Record<string, unknown> = {
      indicator: v.indicator,
      org_unit: v.orgUnit,
      period: v.period,
      disaggregation: v.disaggregation,
      value: ratio ? null : v.value,
      numerator: ratio ? v.numerator : null,
      denominator: ratio ? v.denominator : null,
      comment: v.comment,
    };
    await write(`${n === 0 ? '\n' : ',\n'}${JSON.stringify(obj)}`);
    n++;
  }
  await write('\n]\n');
  return n;
}
