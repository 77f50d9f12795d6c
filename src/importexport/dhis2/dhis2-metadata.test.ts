import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../db/connect.ts';
import { InputError } from '../../domain/row-error.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { importDhis2Metadata } from './dhis2-metadata.ts';
import { insertTestCatalogue } from '../../../test/fixtures/dhis2/test-catalogue.ts';

const metadata = JSON.parse(readFileSync(new URL('../../../test/fixtures/dhis2/metadata.json', import.meta.url), 'utf8'));

let conn: Connection;
beforeAll(async () => {
  conn = await createTestDatabase();
  await insertTestCatalogue(conn.db);
});
afterAll(async () => {
  await conn.close();
});
beforeEach(async () => {
  await conn.db.exec('DELETE FROM external_id');
});

async function mappings() {
  const res = await conn.db.query<{ object_type: string; external_id: string; code: string | null; name: string | null; local_ref: string }>(
    `SELECT object_type, external_id, code, name, local_ref FROM external_id WHERE system = 'dhis2' ORDER BY object_type, local_ref, external_id`,
  );
  return res.rows;
}

describe('importDhis2Metadata', () => {
  it('maps data elements by indicator code, org units by code, name or alias, and combos to disaggregation keys', async () => {
    const summary = await importDhis2Metadata(conn.db, metadata, { dryRun: false });
    expect(summary.mapped).toEqual({ dataElements: 4, organisationUnits: 5, categoryOptionCombos: 5 });

    const rows = await mappings();
    const ref = (type: string, uid: string) => rows.find((r) => r.object_type === type && r.external_id === uid)?.local_ref;
    expect(ref('indicator', 'fbfJHSPpUQD')).toBe('RCH-06');
    expect(ref('indicator', 'vI2csg55S9C')).toBe('RNF-01'); // code "rnf-01": case does not matter
    expect(ref('indicator_part', 'qrur9Dvnyt5')).toBe('RSK-04.numerator');
    expect(ref('indicator_part', 'x3Do5e7g4Qo')).toBe('RSK-04.denominator');
    expect(ref('org_unit', 'ImspTQPwCqd')).toBe('PK'); // code
    expect(ref('org_unit', 'O6uvpzGd5pu')).toBe('PK-PB'); // name "Punjab"
    expect(ref('org_unit', 'fdc6uOvgoji')).toBe('PK-KP'); // alias "KPK"
    expect(ref('org_unit', 'jUb8gELQApl')).toBe('PK-PB-LHR'); // code, though the name differs
    expect(ref('org_unit', 'kJq2mPyFEHo')).toBe('PK-KP-DIK'); // alias "D.I. Khan"
    expect(ref('disaggregation', 'HllvX50cXC0')).toBe('');
    expect(ref('disaggregation', 'Prlt0C1RF0s')).toBe('sex=F'); // option code
    expect(ref('disaggregation', 'V6L425pT3A0')).toBe('sex=M'); // option name, it has no code
    expect(ref('disaggregation', 'qa0VqgYlgtN')).toBe('sex=X'); // code TG unknown, name Transgender matches
    expect(ref('disaggregation', 'S34ULMcHMca')).toBe('age=15-19'); // code AGE_15-19 with its category's prefix

    // The DHIS2 uid, code and name are all kept, so any idScheme can be used later.
    expect(rows.find((r) => r.external_id === 'jUb8gELQApl')).toMatchObject({ code: 'PK-PB-LHR', name: 'Lahore District' });
  });

  it('reports each object it could not match, with the reason', async () => {
    const summary = await importDhis2Metadata(conn.db, metadata, { dryRun: false });
    const byId = new Map(summary.unmatched.map((u) => [u.id, u]));
    expect(summary.unmatched).toHaveLength(8);
    expect(byId.get('s46m5MS0hxu')).toMatchObject({ objectType: 'dataElement', code: 'DE_BCG_DOSES', name: 'BCG doses given' });
    expect(byId.get('s46m5MS0hxu')!.reason).toContain('no indicator has the code "DE_BCG_DOSES"');
    expect(byId.get('eY5ehpbEsB7')!.reason).toContain('no code');
    expect(byId.get('hfdmMSPBgLG')!.reason).toContain('RCH-06 is a count indicator, not a percentage');
    expect(byId.get('at6UHUQatSo')).toMatchObject({ objectType: 'organisationUnit', name: 'Lahore' });
    expect(byId.get('at6UHUQatSo')!.reason).toContain('several org units (PK-PB-LHR, PK-PB-LHR-DIV)');
    expect(byId.get('DiszpKrYNg8')!.reason).toContain('no org unit has the code "OU_559" or the name "Ngelehun CHC"');
    expect(byId.get('hjU3jw5fT6p')).toMatchObject({ objectType: 'categoryOptionCombo', name: 'Unknown' });
    expect(byId.get('hjU3jw5fT6p')!.reason).toContain('is not an option of "sex"');
    expect(byId.get('wHBMVthqIX4')!.reason).toContain('"AGE_LT15" (Under 15) is not an option of "age"');
    expect(byId.get('uX9yDetTdOp')!.reason).toContain(`category "FUNDING" (Funding source) is not in Jaiza's disaggregation catalogue`);
    expect((await mappings()).map((r) => r.external_id)).not.toContain('DiszpKrYNg8');
  });

  it('writes nothing on a dry run, but reports the same', async () => {
    const dry = await importDhis2Metadata(conn.db, metadata, { dryRun: true });
    expect(await mappings()).toEqual([]);
    const real = await importDhis2Metadata(conn.db, metadata, { dryRun: false });
    expect(dry).toEqual(real);
    expect(await mappings()).toHaveLength(14);
  });

  it('replaces an object’s earlier mapping when it is imported again with another code', async () => {
    await importDhis2Metadata(conn.db, metadata, { dryRun: false });
    const renamed = {
      dataElements: [{ id: 'fbfJHSPpUQD', code: 'RSK-04.NUMERATOR', name: 'Referrals with a plan', categoryCombo: { id: 'cX5k9anHEHd' } }],
    };
    await importDhis2Metadata(conn.db, renamed, { dryRun: false });
    const rows = (await mappings()).filter((r) => r.external_id === 'fbfJHSPpUQD');
    expect(rows).toEqual([{ object_type: 'indicator_part', external_id: 'fbfJHSPpUQD', code: 'RSK-04.NUMERATOR', name: 'Referrals with a plan', local_ref: 'RSK-04.numerator' }]);
  });

  it('rejects a malformed export, naming the object type, index and field', async () => {
    const bad = { dataElements: [{ id: 'fbfJHSPpUQD', code: 'RCH-06', name: 'ok' }, { id: 'qrur9Dvnyt5', code: 42, name: 'bad code' }] };
    const err = await importDhis2Metadata(conn.db, bad, { dryRun: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).errors[0]).toMatchObject({ row: 0, field: 'dataElements[1].code', code: 'invalid_metadata' });

    const missingId = { organisationUnits: [{ code: 'PK', name: 'Pakistan' }] };
    const err2 = (await importDhis2Metadata(conn.db, missingId, { dryRun: false }).catch((e: unknown) => e)) as InputError;
    expect(err2.errors[0]!.field).toBe('organisationUnits[0].id');

    const notMetadata = (await importDhis2Metadata(conn.db, { dataValues: [] }, { dryRun: false }).catch((e: unknown) => e)) as InputError;
    expect(notMetadata.message).toContain('dataElements');
    expect(await mappings()).toEqual([]);
  });
});
