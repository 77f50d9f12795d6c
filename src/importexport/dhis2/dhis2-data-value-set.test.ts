import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../db/connect.ts';
import { InputError } from '../../domain/row-error.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { SourceRow, SourceRows } from '../source-row.ts';
import { parseDhis2DataValueSetCsv, parseDhis2DataValueSetJson } from './dhis2-data-value-set.ts';
import { parseIdScheme } from './dhis2-id-scheme.ts';
import { loadDhis2Mapping, type Dhis2Mapping } from './dhis2-mapping.ts';
import { importDhis2Metadata } from './dhis2-metadata.ts';
import { insertTestCatalogue } from '../../../test/fixtures/dhis2/test-catalogue.ts';

const fixture = (name: string) => new URL(`../../../test/fixtures/dhis2/${name}`, import.meta.url);
const open = (name: string) => createReadStream(fixture(name));
const text = (s: string | Buffer) => Readable.from([typeof s === 'string' ? Buffer.from(s) : s]);

async function collect(rows: SourceRows): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function inputError(rows: SourceRows): Promise<InputError> {
  const e = await collect(rows).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

let conn: Connection;
let mapping: Dhis2Mapping;
let unmapped: Dhis2Mapping;
beforeAll(async () => {
  conn = await createTestDatabase();
  await insertTestCatalogue(conn.db);
  unmapped = await loadDhis2Mapping(conn.db);
  await importDhis2Metadata(conn.db, JSON.parse(readFileSync(fixture('metadata.json'), 'utf8')), { dryRun: false });
  mapping = await loadDhis2Mapping(conn.db);
});
afterAll(async () => {
  await conn.close();
});

/** What the uid fixtures (JSON and CSV) hold, in Jaiza's terms. */
const lahore = { orgUnit: 'PK-PB-LHR', period: '2025Q3' };
const expectedUidRows: Omit<SourceRow, 'row'>[] = [
  { indicator: 'RCH-06', ...lahore, disaggregation: 'sex=F', value: '42', storedBy: 'dpo.lahore' },
  { indicator: 'RCH-06', ...lahore, disaggregation: 'sex=M', value: '58', storedBy: 'dpo.lahore' },
  { indicator: 'RSK-04', orgUnit: 'PK-PB', period: '2025Q3', disaggregation: 'sex=F', numerator: '12', storedBy: 'coe.punjab' },
  { indicator: 'RSK-04', orgUnit: 'PK-PB', period: '2025Q3', disaggregation: 'sex=F', denominator: '15', storedBy: 'coe.punjab' },
  { indicator: 'RNF-01', orgUnit: 'PK-PB', period: '2025', disaggregation: '', value: 'true', storedBy: 'coe.punjab', comment: 'Punjab CoE-CVE Act notified' },
  { indicator: 'RCH-06', orgUnit: 'PK-KP-DIK', period: '2025Q3', disaggregation: 'sex=X', value: '3', storedBy: 'dpo.dik', deleted: true },
  // An unmapped data element keeps its DHIS2 uid, so the pipeline's "unknown indicator" names it.
  { indicator: 's46m5MS0hxu', ...lahore, disaggregation: '', value: '7', storedBy: 'admin' },
];

describe('parseDhis2DataValueSetJson', () => {
  it('reads a uid data value set, applying the top-level period and orgUnit to values that omit them', async () => {
    const rows = await collect(parseDhis2DataValueSetJson(open('data-value-set-uid.json'), mapping, {}));
    expect(rows).toStrictEqual(expectedUidRows.map((r, i) => ({ row: i + 1, ...r })));
  });

  it('reads codes, with a per-object scheme overriding idScheme, and uses Jaiza codes that have no mapping', async () => {
    const schemes = { idScheme: parseIdScheme('CODE'), categoryOptionComboIdScheme: parseIdScheme('uid') };
    const rows = await collect(parseDhis2DataValueSetJson(open('data-value-set-code.json'), mapping, schemes));
    expect(rows).toStrictEqual([
      { row: 1, indicator: 'RCH-06', orgUnit: 'PK-PB-LHR', period: '2025Q3', disaggregation: 'sex=M', value: '58', storedBy: 'dpo.lahore' },
      { row: 2, indicator: 'RSK-04', orgUnit: 'PK-PB', period: '2025Q3', disaggregation: 'sex=F', numerator: '12', comment: null },
      { row: 3, indicator: 'RSK-04', orgUnit: 'PK-KP', period: '2025Q3', disaggregation: 'sex=F', denominator: '0.5' },
    ]);
  });

  it('without any metadata, takes DHIS2 codes that are Jaiza codes as they are and passes the rest through', async () => {
    const rows = await collect(parseDhis2DataValueSetJson(open('data-value-set-code.json'), unmapped, { idScheme: 'code' }));
    expect(rows.map((r) => [r.indicator, r.orgUnit, r.disaggregation, r.numerator, r.denominator])).toEqual([
      ['RCH-06', 'PK-PB-LHR', 'V6L425pT3A0', undefined, undefined],
      ['RSK-04', 'OU_PUNJAB', 'Prlt0C1RF0s', '12', undefined],
      ['RSK-04', 'PK-KP', 'Prlt0C1RF0s', undefined, '0.5'],
    ]);
  });

  it('does not resolve uids as codes: the scheme decides what an id is', async () => {
    const rows = await collect(parseDhis2DataValueSetJson(open('data-value-set-uid.json'), mapping, { idScheme: 'code' }));
    expect(rows[0]).toMatchObject({ indicator: 'fbfJHSPpUQD', orgUnit: 'jUb8gELQApl', disaggregation: 'Prlt0C1RF0s' });
  });

  it('adds a mapped attribute option combo to the disaggregation', async () => {
    const json = JSON.stringify({
      period: '2025Q3',
      orgUnit: 'jUb8gELQApl',
      attributeOptionCombo: 'S34ULMcHMca',
      dataValues: [{ dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'Prlt0C1RF0s', value: '5' }],
    });
    const [row] = await collect(parseDhis2DataValueSetJson(text(json), mapping, {}));
    expect(row!.disaggregation).toBe('sex=F;age=15-19');
  });

  it('rejects a top-level default that comes after values which needed it', async () => {
    const json = '{"dataValues":[{"dataElement":"fbfJHSPpUQD","orgUnit":"jUb8gELQApl","value":"1"}],"period":"2025Q3"}';
    const e = await inputError(parseDhis2DataValueSetJson(text(json), mapping, {}));
    expect(e.errors[0]).toMatchObject({ row: 0, code: 'default_after_values' });
    expect(e.message).toContain('period');
  });

  it('gives file-level problems as InputError with row 0', async () => {
    const notJson = await inputError(parseDhis2DataValueSetJson(open('data-value-set-uid.csv'), mapping, {}));
    expect(notJson.errors[0]).toMatchObject({ row: 0, field: 'file', code: 'not_json' });
    expect(notJson.message).toContain('not valid JSON');

    const truncated = await inputError(parseDhis2DataValueSetJson(text('{"dataValues":[{"dataElement":"x"'), mapping, {}));
    expect(truncated.errors[0]!.code).toBe('not_json');

    const noValues = await inputError(parseDhis2DataValueSetJson(text('{"period":"2025Q3"}'), mapping, {}));
    expect(noValues.errors[0]).toMatchObject({ row: 0, code: 'no_data_values' });

    const array = await inputError(parseDhis2DataValueSetJson(text('[{"dataElement":"x"}]'), mapping, {}));
    expect(array.errors[0]).toMatchObject({ row: 0, code: 'not_data_value_set' });

    const zip = await inputError(parseDhis2DataValueSetJson(text(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0])), mapping, {}));
    expect(zip.errors[0]).toMatchObject({ row: 0, code: 'not_text' });
    expect(zip.message).toContain('ZIP');

    const binary = await inputError(parseDhis2DataValueSetJson(text(Buffer.from([0x7b, 0x00, 0x01, 0x02])), mapping, {}));
    expect(binary.errors[0]!.code).toBe('not_text');

    const empty = await inputError(parseDhis2DataValueSetJson(text(''), mapping, {}));
    expect(empty.errors[0]!.code).toBe('empty_file');
  });

  it('names the entry of dataValues that is not an object', async () => {
    const e = await inputError(parseDhis2DataValueSetJson(text('{"dataValues":[{"dataElement":"x"}, 42]}'), mapping, {}));
    expect(e.errors[0]).toMatchObject({ row: 2, field: 'dataValues', code: 'not_an_object' });
  });

  it('reads a UTF-8 byte-order mark and chunks split anywhere', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(fixture('data-value-set-uid.json'))]);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const rows = await collect(parseDhis2DataValueSetJson(Readable.from(chunks), mapping, {}));
    expect(rows).toHaveLength(7);
  });

  it('streams a 200,000-value file without holding it', async () => {
    const total = 200_000;
    async function* generate() {
      yield '{"dataSet":"pBOMPrpg1QX","period":"2025Q3","orgUnit":"jUb8gELQApl","dataValues":[';
      for (let start = 0; start < total; start += 1000) {
        const batch: string[] = [];
        for (let i = start; i < start + 1000; i++) {
          batch.push(`${i === 0 ? '' : ','}{"dataElement":"fbfJHSPpUQD","categoryOptionCombo":"${i % 2 ? 'Prlt0C1RF0s' : 'V6L425pT3A0'}","value":"${i}"}`);
        }
        yield batch.join('');
      }
      yield ']}';
    }
    let count = 0;
    let last: SourceRow | undefined;
    for await (const row of parseDhis2DataValueSetJson(Readable.from(generate()), mapping, {})) {
      count++;
      last = row;
    }
    expect(count).toBe(total);
    expect(last).toMatchObject({ row: total, indicator: 'RCH-06', orgUnit: 'PK-PB-LHR', disaggregation: 'sex=F', value: String(total - 1) });
  });
});

describe('parseDhis2DataValueSetCsv', () => {
  it('reads DHIS2’s CSV with its header; the row is the line the value starts on', async () => {
    const rows = await collect(parseDhis2DataValueSetCsv(open('data-value-set-uid.csv'), mapping, { idScheme: 'uid' }));
    const lines = [2, 3, 4, 5, 6, 8, 9]; // line 6 holds a comment over two lines
    expect(rows).toStrictEqual(
      expectedUidRows.map((r, i) => ({ ...r, row: lines[i], comment: i === 4 ? 'Punjab CoE-CVE Act notified,\ngazette 2024' : null })),
    );
  });

  it('reads a headerless file by name, in DHIS2’s column order', async () => {
    const rows = await collect(parseDhis2DataValueSetCsv(open('data-value-set-name.csv'), mapping, { idScheme: 'name' }));
    expect(rows).toStrictEqual([
      { row: 1, indicator: 'RCH-06', orgUnit: 'PK-PB-LHR', period: '2025Q3', disaggregation: 'sex=F', value: '42', comment: null, storedBy: 'dpo.lahore' },
      { row: 2, indicator: 'RSK-04', orgUnit: 'PK-PB', period: '2025Q3', disaggregation: 'sex=F', denominator: '15', comment: null, storedBy: 'coe.punjab' },
      { row: 3, indicator: 'RCH-06', orgUnit: 'Ngelehun CHC', period: '2025Q3', disaggregation: 'sex=M', value: '9', comment: null, storedBy: 'admin' },
    ]);
  });

  it('matches header names in any case and order, including older DHIS2 names', async () => {
    const csv = 'Value,OrgUnit,Period,DataElement,CatOptCombo\n7,jUb8gELQApl,2025Q3,fbfJHSPpUQD,Prlt0C1RF0s\n';
    const rows = await collect(parseDhis2DataValueSetCsv(text(csv), mapping, {}));
    expect(rows).toStrictEqual([{ row: 2, indicator: 'RCH-06', orgUnit: 'PK-PB-LHR', period: '2025Q3', disaggregation: 'sex=F', value: '7' }]);
  });

  it('rejects a header that is not DHIS2’s, naming what is missing and unknown', async () => {
    const csv = 'indicator,org_unit,period,disaggregation,value\nRCH-06,PK-PB-LHR,2025Q3,sex=F,4\n';
    const e = await inputError(parseDhis2DataValueSetCsv(text(csv), mapping, {}));
    expect(e.errors[0]).toMatchObject({ row: 1, field: 'header', code: 'wrong_header' });
    expect(e.message).toContain('missing dataelement, orgunit');
    expect(e.message).toContain('"indicator"');
  });

  it('rejects binary, empty and malformed files', async () => {
    const xlsx = await inputError(parseDhis2DataValueSetCsv(text(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0])), mapping, {}));
    expect(xlsx.errors[0]).toMatchObject({ row: 0, code: 'not_text' });
    const empty = await inputError(parseDhis2DataValueSetCsv(text(''), mapping, {}));
    expect(empty.errors[0]).toMatchObject({ row: 0, code: 'empty_file' });
    const quote = await inputError(parseDhis2DataValueSetCsv(text('fbfJHSPpUQD,2025Q3,jUb8gELQApl,,,"4\n'), mapping, {}));
    expect(quote.errors[0]!.code).toBe('invalid_csv');
  });
});
