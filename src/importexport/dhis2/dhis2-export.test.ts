import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../db/connect.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { SourceRow, SourceRows } from '../source-row.ts';
import { parseDhis2DataValueSetCsv, parseDhis2DataValueSetJson } from './dhis2-data-value-set.ts';
import { writeDhis2DataValueSetCsv, writeDhis2DataValueSetJson, writeDhis2Metadata } from './dhis2-export.ts';
import type { ExportValue } from '../export-values.ts';
import type { Dhis2IdSchemes } from './dhis2-id-scheme.ts';
import { Dhis2Mapping, loadDhis2Mapping } from './dhis2-mapping.ts';
import { importDhis2Metadata } from './dhis2-metadata.ts';
import { insertTestCatalogue } from '../../../test/fixtures/dhis2/test-catalogue.ts';
import { DHIS2_UID, dhis2Uid } from './dhis2-uid.ts';

let conn: Connection;
beforeAll(async () => {
  conn = await createTestDatabase();
  await insertTestCatalogue(conn.db);
});
afterAll(async () => {
  await conn.close();
});

const storedAt = new Date('2025-10-05T11:02:00.000Z');
const base = { comment: null, storedBy: 'coe.punjab', storedAt, value: null, numerator: null, denominator: null, synthetic: false };
const values: ExportValue[] = [
  { ...base, indicator: 'RCH-06', orgUnit: 'PK-PB-LHR', period: '2025Q3', disaggregation: 'age=15-19;sex=F', value: 12, unitType: 'count' },
  // A subtotal has no DHIS2 combo; it goes out as its Jaiza key.
  { ...base, indicator: 'RCH-06', orgUnit: 'PK-PB-LHR', period: '2025Q3', disaggregation: 'sex=F', value: 30, unitType: 'count' },
  { ...base, indicator: 'RSK-04', orgUnit: 'PK-PB', period: '2025Q3', disaggregation: 'sex=F', value: 80, numerator: 12, denominator: 15, unitType: 'percentage' },
  { ...base, indicator: 'RNF-01', orgUnit: 'PK-KP', period: '2025', disaggregation: '', value: 1, comment: 'Act notified, "gazette"\n2024', unitType: 'yes_no' },
];

async function* each<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

async function exported(write: typeof writeDhis2DataValueSetJson, m: Dhis2Mapping, schemes: Dhis2IdSchemes) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const count = await write(each(values), m, schemes, out);
  return { count, text: Buffer.concat(chunks).toString('utf8') };
}

async function collect(rows: SourceRows): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** What the pipeline does with partial rows: the numerator and denominator of one cell come together. */
function merged(rows: SourceRow[]) {
  const cells = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const key = [r.indicator, r.orgUnit, r.period, r.disaggregation].join('|');
    const cell = cells.get(key) ?? { indicator: r.indicator, orgUnit: r.orgUnit, period: r.period, disaggregation: r.disaggregation };
    for (const f of ['value', 'numerator', 'denominator', 'comment', 'storedBy'] as const) if (r[f] != null) cell[f] = r[f];
    cells.set(key, cell);
  }
  return [...cells.values()];
}

const jaizaCells = [
  { indicator: 'RCH-06', orgUnit: 'PK-PB-LHR', period: '2025Q3', disaggregation: 'age=15-19;sex=F', value: '12', storedBy: 'coe.punjab' },
  { indicator: 'RCH-06', orgUnit: 'PK-PB-LHR', period: '2025Q3', disaggregation: 'sex=F', value: '30', storedBy: 'coe.punjab' },
  { indicator: 'RSK-04', orgUnit: 'PK-PB', period: '2025Q3', disaggregation: 'sex=F', numerator: '12', denominator: '15', storedBy: 'coe.punjab' },
  { indicator: 'RNF-01', orgUnit: 'PK-KP', period: '2025', disaggregation: '', value: '1', comment: 'Act notified, "gazette"\n2024', storedBy: 'coe.punjab' },
];

describe('writeDhis2Metadata', () => {
  it('describes the catalogue with stable DHIS2-style uids that map back onto every Jaiza object', async () => {
    const metadata = await writeDhis2Metadata(conn.db);
    expect(await writeDhis2Metadata(conn.db)).toEqual(metadata);

    const codes = metadata.dataElements.map((d) => d.code).sort();
    expect(codes).toEqual(['RCH-06', 'RNF-01', 'RSK-04', 'RSK-04.DENOMINATOR', 'RSK-04.NUMERATOR']);
    const rch = metadata.dataElements.find((d) => d.code === 'RCH-06')!;
    expect(rch.id).toBe(dhis2Uid('dataElement:RCH-06'));
    const everyId = Object.values(metadata).flatMap((list: { id: string }[]) => list.map((o) => o.id));
    for (const id of everyId) expect(id).toMatch(DHIS2_UID);
    expect(new Set(everyId).size).toBe(everyId.length);

    // RCH-06 is disaggregated by age and sex: 2 × 3 combos, plus 3 for RSK-04's sex, plus the default.
    expect(metadata.categoryOptionCombos).toHaveLength(10);
    expect(metadata.organisationUnits.map((o) => [o.code, o.level])).toEqual([
      ['PK', 1],
      ['PK-KP', 2],
      ['PK-PB', 2],
      ['PK-KP-DIK', 3],
      ['PK-PB-LHR-DIV', 3],
      ['PK-PB-LHR', 4],
    ]);

    const summary = await importDhis2Metadata(conn.db, metadata, { dryRun: true });
    expect(summary.unmatched).toEqual([]);
    expect(summary.mapped).toEqual({ dataElements: 5, organisationUnits: 6, categoryOptionCombos: 10 });
  });
});

describe('DHIS2 data value set export', () => {
  let mapping: Dhis2Mapping;
  beforeAll(async () => {
    await importDhis2Metadata(conn.db, await writeDhis2Metadata(conn.db), { dryRun: false });
    mapping = await loadDhis2Mapping(conn.db);
  });

  it('writes JSON with DHIS2 uids, a percentage as its NUMERATOR and DENOMINATOR, and reads back the same values', async () => {
    const { count, text } = await exported(writeDhis2DataValueSetJson, mapping, { idScheme: 'uid' });
    expect(count).toBe(5);
    const json = JSON.parse(text) as { dataValues: Record<string, string>[] };
    expect(json.dataValues[0]).toEqual({
      dataElement: dhis2Uid('dataElement:RCH-06'),
      period: '2025Q3',
      orgUnit: dhis2Uid('organisationUnit:PK-PB-LHR'),
      categoryOptionCombo: dhis2Uid('categoryOptionCombo:age=15-19;sex=F'),
      value: '12',
      storedBy: 'coe.punjab',
      lastUpdated: '2025-10-05T11:02:00.000Z',
    });
    expect(json.dataValues.map((v) => v.dataElement)).toContain(dhis2Uid('dataElement:RSK-04.NUMERATOR'));
    expect(json.dataValues.map((v) => v.dataElement)).not.toContain(dhis2Uid('dataElement:RSK-04'));

    const back = await collect(parseDhis2DataValueSetJson(Readable.from([text]), mapping, { idScheme: 'uid' }));
    expect(merged(back)).toEqual(jaizaCells);
  });

  it('writes DHIS2’s CSV by code and reads back the same values', async () => {
    const schemes: Dhis2IdSchemes = { idScheme: 'code' };
    const { count, text } = await exported(writeDhis2DataValueSetCsv, mapping, schemes);
    expect(count).toBe(5);
    const lines = text.split('\n');
    expect(lines[0]).toBe('dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted');
    expect(lines).toContain('RSK-04.NUMERATOR,2025Q3,PK-PB,sex=F,,12,coe.punjab,2025-10-05T11:02:00.000Z,,false,false');

    const back = await collect(parseDhis2DataValueSetCsv(Readable.from([text]), mapping, schemes));
    expect(merged(back)).toEqual(jaizaCells);
  });

  it('writes by name when asked, per object', async () => {
    const { text } = await exported(writeDhis2DataValueSetJson, mapping, { idScheme: 'uid', dataElementIdScheme: 'name', orgUnitIdScheme: 'code' });
    const first = (JSON.parse(text) as { dataValues: Record<string, string>[] }).dataValues[0]!;
    expect(first).toMatchObject({ dataElement: 'RCH-06 Participants in dialogues', orgUnit: 'PK-PB-LHR' });
  });

  it('falls back to Jaiza codes, and to a percentage’s value, where nothing is mapped', async () => {
    const bare = new Dhis2Mapping([], [], []);
    const { count, text } = await exported(writeDhis2DataValueSetJson, bare, {});
    expect(count).toBe(4);
    const json = JSON.parse(text) as { dataValues: Record<string, string>[] };
    expect(json.dataValues[2]).toMatchObject({ dataElement: 'RSK-04', orgUnit: 'PK-PB', categoryOptionCombo: 'sex=F', value: '80' });
    expect(json.dataValues[3]).not.toHaveProperty('categoryOptionCombo');
  });
});
