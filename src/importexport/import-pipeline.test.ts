import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../db/connect.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { loadTestFramework } from '../../test/fixture-framework.ts';
import { importRows, type ImportOptions } from './import-pipeline.ts';
import { parseJaizaCsv, writeJaizaCsv } from './jaiza-csv.ts';
import { parseJaizaJson } from './jaiza-json.ts';
import { exportValues } from './export-values.ts';
import { InputError } from '../domain/row-error.ts';
import { dataValueHistory } from '../datavalues/data-value-queries.ts';

let conn: Connection;
const HEADER = 'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment';

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
});
afterAll(() => conn.close());
beforeEach(async () => {
  await conn.db.exec('DELETE FROM data_value; DELETE FROM data_value_history; DELETE FROM import_job;');
});

const csv = (...lines: string[]) => Readable.from([Buffer.from([HEADER, ...lines].join('\n'))]);
const opts = (o: Partial<ImportOptions> = {}): ImportOptions => ({ user: 'officer@pb', format: 'csv', ...o });
const importCsv = (text: string | Buffer, o: Partial<ImportOptions> = {}) =>
  importRows(conn.db, parseJaizaCsv(Readable.from([typeof text === 'string' ? Buffer.from(text) : text])), opts(o));
const count = async (table: string) => (await conn.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

const GOOD = [
  'T-COUNT,PK-PB-LHR,2025Q4,,120,,,first report',
  'T-COUNT,PK-PB-LHR,2025Q4,sex=F,40,,,',
  'T-PCT,PK-PB-LHR,2025Q4,,,45,60,',
  'T-YN,PK-PB,2025Q4,,Yes,,,',
  'T-MS,PK-PB,2025July,,3,,,',
];

describe('importing Jaiza CSV', () => {
  it('stores each value with who stored it', async () => {
    const s = await importRows(conn.db, parseJaizaCsv(csv(...GOOD)), opts());
    expect(s).toMatchObject({ status: 'success', rowsRead: 5, errorCount: 0, counts: { imported: 5, updated: 0, unchanged: 0, ignored: 0, deleted: 0 } });
    const pct = await conn.db.query<{ value: number; numerator: number; denominator: number; stored_by: string }>(
      `SELECT value, numerator, denominator, stored_by FROM data_value d JOIN indicator i ON i.id = d.indicator_id WHERE i.code = 'T-PCT'`,
    );
    expect(pct.rows[0]).toEqual({ value: 75, numerator: 45, denominator: 60, stored_by: 'officer@pb' });
  });

  it('is idempotent: the same file again changes nothing', async () => {
    await importRows(conn.db, parseJaizaCsv(csv(...GOOD)), opts());
    const again = await importRows(conn.db, parseJaizaCsv(csv(...GOOD)), opts());
    expect(again.counts).toEqual({ imported: 0, updated: 0, unchanged: 5, ignored: 0, deleted: 0 });
    expect(await count('data_value_history')).toBe(0);
  });

  it('keeps the whole timeline of a value: stored, changed, deleted, stored again', async () => {
    await importRows(conn.db, parseJaizaCsv(csv(...GOOD)), opts());
    const s = await importRows(conn.db, parseJaizaCsv(csv('T-COUNT,PK-PB-LHR,2025Q4,,130,,,corrected')), opts({ user: 'reviewer@pb' }));
    expect(s.counts).toMatchObject({ updated: 1 });
    await importRows(conn.db, parseJaizaCsv(csv('T-COUNT,PK-PB-LHR,2025Q4,,,,,')), opts({ user: 'admin', strategy: 'delete' }));
    await importRows(conn.db, parseJaizaCsv(csv('T-COUNT,PK-PB-LHR,2025Q4,,140,,,resubmitted')), opts({ user: 'officer@pb' }));
    const events = await dataValueHistory(conn.db, { indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q4', disaggregation: '' });
    expect(events.map((e) => [e.action, e.oldValue, e.newValue, e.newComment, e.changedBy])).toEqual([
      ['create', null, 120, 'first report', 'officer@pb'],
      ['update', 120, 130, 'corrected', 'reviewer@pb'],
      ['delete', 130, null, null, 'admin'],
      ['create', null, 140, 'resubmitted', 'officer@pb'],
    ]);
  });

  it('writes nothing on a dry run but reports what would happen', async () => {
    const s = await importRows(conn.db, parseJaizaCsv(csv(...GOOD)), opts({ dryRun: true }));
    expect(s).toMatchObject({ dryRun: true, status: 'success', counts: { imported: 5 } });
    expect(await count('data_value')).toBe(0);
    expect(await count('data_value_history')).toBe(0);
    expect(await count('import_job')).toBe(0);
  });

  it('deletes values with the delete strategy, keeping the history', async () => {
    await importRows(conn.db, parseJaizaCsv(csv(...GOOD)), opts());
    const s = await importRows(conn.db, parseJaizaCsv(csv('T-COUNT,PK-PB-LHR,2025Q4,sex=F,,,,', 'T-COUNT,PK-PB-KSR,2025Q4,,,,,')), opts({ strategy: 'delete' }));
    expect(s.counts).toMatchObject({ deleted: 1, ignored: 1 });
    expect(await count('data_value')).toBe(4);
    const h = await conn.db.query(`SELECT old_value, new_value FROM data_value_history WHERE action = 'delete'`);
    expect(h.rows).toEqual([{ old_value: 40, new_value: null }]);
  });

  it('rolls a value under a retired boundary up only for the periods it existed', async () => {
    const ok = await importCsv([HEADER, 'T-COUNT,PK-PB-OLD,2025Q2,,10,,,'].join('\n'));
    expect(ok.status).toBe('success');
    const late = await importCsv([HEADER, 'T-COUNT,PK-PB-OLD,2025Q3,,10,,,', 'T-COUNT,PK-PB-NEW,2025Q2,,10,,,'].join('\n'));
    expect(late.errors).toEqual([
      expect.objectContaining({ row: 2, field: 'org_unit', code: 'not_valid_in_period' }),
      expect.objectContaining({ row: 3, field: 'org_unit', code: 'not_valid_in_period' }),
    ]);
    expect(late.errors[0]!.message).toContain('PK-PB-OLD did not exist during 2025Q3');
  });

  it('merges a numerator and a denominator sent as separate partial rows', async () => {
    const rows = async function* () {
      yield { row: 1, indicator: 'T-PCT', orgUnit: 'PK-PB-KSR', period: '2025Q4', disaggregation: '', numerator: '30' };
      yield { row: 2, indicator: 'T-PCT', orgUnit: 'PK-PB-KSR', period: '2025Q4', disaggregation: '', denominator: '40' };
    };
    const s = await importRows(conn.db, rows(), opts({ format: 'dhis2' }));
    expect(s.counts.imported).toBe(1);
    const v = await conn.db.query('SELECT value, numerator, denominator FROM data_value');
    expect(v.rows).toEqual([{ value: 75, numerator: 30, denominator: 40 }]);
  });

  it('imports the same values from JSON', async () => {
    const json = JSON.stringify([
      { indicator: 'T-COUNT', org_unit: 'PK-PB-LHR', period: '2025Q4', disaggregation: '', value: 120, comment: 'x' },
      { indicator: 'T-PCT', org_unit: 'PK-PB-LHR', period: '2025Q4', numerator: 45, denominator: 60 },
    ]);
    const s = await importRows(conn.db, parseJaizaJson(Readable.from([Buffer.from(json)])), opts({ format: 'json' }));
    expect(s.counts.imported).toBe(2);
  });

  it('exports what it imports: CSV out, CSV in, nothing changes', async () => {
    await importRows(conn.db, parseJaizaCsv(csv(...GOOD)), opts());
    const chunks: Buffer[] = [];
    const { Writable } = await import('node:stream');
    const sink = new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } });
    const n = await writeJaizaCsv(exportValues(conn.db, { orgUnit: 'PK-PB' }), sink);
    expect(n).toBe(5);
    const again = await importCsv(Buffer.concat(chunks));
    expect(again.counts).toEqual({ imported: 0, updated: 0, unchanged: 5, ignored: 0, deleted: 0 });
  });
});

describe('bad input names the row, the field and the reason, and writes nothing', () => {
  const cases: [string, string, { row: number; field: string; code: string; message?: RegExp }][] = [
    ['unknown indicator', 'REV-99,PK-PB-LHR,2025Q4,,1,,,', { row: 2, field: 'indicator', code: 'unknown_indicator', message: /unknown indicator "REV-99"/ }],
    ['unknown org unit', 'T-COUNT,PK-XX-YYY,2025Q4,,1,,,', { row: 2, field: 'org_unit', code: 'unknown_org_unit', message: /PK-XX-YYY/ }],
    ['bad period', 'T-COUNT,PK-PB-LHR,2025Q5,,1,,,', { row: 2, field: 'period', code: 'invalid_period', message: /"2025Q5" is not a valid period/ }],
    ['wrong frequency', 'T-COUNT,PK-PB-LHR,202511,,1,,,', { row: 2, field: 'period', code: 'wrong_frequency' }],
    ['wrong level', 'T-COUNT,PK-PB,2025Q4,,1,,,', { row: 2, field: 'org_unit', code: 'wrong_level' }],
    ['text in a numeric cell', 'T-COUNT,PK-PB-LHR,2025Q4,,12a,,,', { row: 2, field: 'value', code: 'not_a_number', message: /"12a" is not a number/ }],
    ['negative count', 'T-COUNT,PK-PB-LHR,2025Q4,,-3,,,', { row: 2, field: 'value', code: 'negative_count', message: /the count -3 is negative/ }],
    ['fractional count', 'T-COUNT,PK-PB-LHR,2025Q4,,2.5,,,', { row: 2, field: 'value', code: 'non_integer_count' }],
    ['milestone out of scale', 'T-MS,PK-PB,2025July,,7,,,', { row: 2, field: 'value', code: 'milestone_out_of_range' }],
    ['above the indicator maximum', 'T-PKR,PK-PB,2025Q4,,2000000000,,,', { row: 2, field: 'value', code: 'above_max' }],
    ['not yes or no', 'T-YN,PK-PB,2025Q4,,maybe,,,', { row: 2, field: 'value', code: 'not_a_number', message: /not yes or no/ }],
    ['numerator > denominator', 'T-PCT,PK-PB-LHR,2025Q4,,,70,60,', { row: 2, field: 'numerator', code: 'numerator_exceeds_denominator' }],
    ['percentage given as a value', 'T-PCT,PK-PB-LHR,2025Q4,,75,,,', { row: 2, field: 'value', code: 'ratio_needs_parts' }],
    ['unknown disaggregation option', 'T-COUNT,PK-PB-LHR,2025Q4,sex=Q,1,,,', { row: 2, field: 'disaggregation', code: 'unknown_option' }],
    ['disaggregation the indicator lacks', 'T-PCT,PK-PB-LHR,2025Q4,age=15-19,,1,2,', { row: 2, field: 'disaggregation', code: 'unknown_category' }],
    ['malformed disaggregation', 'T-COUNT,PK-PB-LHR,2025Q4,sex:F,1,,,', { row: 2, field: 'disaggregation', code: 'invalid_disaggregation' }],
    ['truncated line', 'T-COUNT,PK-PB-LHR,2025Q4', { row: 2, field: 'row', code: 'malformed_csv', message: /truncated/ }],
    ['unclosed quote', 'T-COUNT,PK-PB-LHR,2025Q4,,1,,,"cut', { row: 2, field: 'row', code: 'malformed_csv' }],
  ];

  it.each(cases)('%s', async (_name, line, expected) => {
    const s = await importCsv([HEADER, 'T-COUNT,PK-PB-KSR,2025Q4,,5,,,', line].join('\n').replace(/^/, ''));
    expect(s.status).toBe('error');
    const e = s.errors.find((x) => x.code === expected.code);
    expect(e, JSON.stringify(s.errors)).toBeDefined();
    expect(e).toMatchObject({ row: expected.row + 1, field: expected.field });
    if (expected.message) expect(e!.message).toMatch(expected.message);
    expect(await count('data_value')).toBe(0);
  });

  it('duplicate rows name both lines', async () => {
    const s = await importCsv([HEADER, 'T-COUNT,PK-PB-LHR,2025Q4,,5,,,', 'T-COUNT,PK-PB-LHR,2025Q4,,6,,,'].join('\n'));
    expect(s.errors).toEqual([expect.objectContaining({ row: 3, field: 'row', code: 'duplicate', message: expect.stringContaining('duplicate of row 2') })]);
    expect(await count('data_value')).toBe(0);
  });

  it('a validation rule violation names the row and the rule', async () => {
    const s = await importCsv([HEADER, 'T-COUNT,PK-PB-LHR,2025Q4,,100,,,', 'T-COUNT,PK-PB-LHR,2025Q4,sex=F,120,,,'].join('\n'));
    expect(s.status).toBe('error');
    expect(s.errors[0]).toMatchObject({ row: 2, field: 'value', code: 'rule:VR-F' });
    expect(s.errors[0]!.message).toContain('Women trained cannot exceed people trained');
    expect(await count('data_value')).toBe(0);
  });

  it('a rule is checked against stored values too', async () => {
    await importCsv([HEADER, 'T-COUNT,PK-PB-LHR,2025Q4,,100,,,'].join('\n'));
    const s = await importCsv([HEADER, 'T-COUNT,PK-PB-LHR,2025Q4,sex=F,101,,,'].join('\n'));
    expect(s.errors[0]).toMatchObject({ row: 2, code: 'rule:VR-F' });
  });

  it.each([
    ['a wrong header', 'indicator,orgunit,period,value\nT-COUNT,PK-PB-LHR,2025Q4,1', /missing columns? .*org_unit/],
    ['a 0-byte file', '', /the file is empty/],
  ])('%s is refused as a whole', async (_n, text, message) => {
    const s = await importCsv(text);
    expect(s.status).toBe('error');
    expect(s.errors[0]!.message).toMatch(message);
    expect(await count('data_value')).toBe(0);
  });

  it('a binary file renamed .csv is refused', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.alloc(200, 7)]);
    const s = await importCsv(zip);
    expect(s.errors[0]).toMatchObject({ row: 0, field: 'file', code: 'not_text' });
  });

  it('with skip-invalid, applies the good rows and lists the bad ones', async () => {
    const s = await importCsv([HEADER, 'T-COUNT,PK-PB-LHR,2025Q4,,5,,,', 'T-COUNT,PK-PB-LHR,2025Q3,,abc,,,', 'T-PCT,PK-PB-KSR,2025Q4,,,9,3,'].join('\n'), { skipInvalid: true });
    expect(s.status).toBe('warning');
    expect(s.counts).toMatchObject({ imported: 1, ignored: 2 });
    expect(s.errors.map((e) => e.row)).toEqual([3, 4]);
    expect(await count('data_value')).toBe(1);
  });

  it('a JSON file that is not an array is refused', async () => {
    await expect(async () => {
      for await (const _ of parseJaizaJson(Readable.from([Buffer.from('{"indicator": "T-COUNT"}')]))) void _;
    }).rejects.toThrow(InputError);
  });
});
