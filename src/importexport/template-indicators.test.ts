import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../db/connect.ts';
import { InputError } from '../domain/row-error.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { seedTemplateFramework, seedTemplateValues } from '../../test/fixtures/template/seed-framework.ts';
import { loadTemplateIndicators } from './template-indicators.ts';

let conn: Connection;

beforeAll(async () => {
  conn = await createTestDatabase();
  await seedTemplateFramework(conn.db);
  await seedTemplateValues(conn.db);
});
afterAll(async () => {
  await conn.close();
});

const codes = async (request: Parameters<typeof loadTemplateIndicators>[1]) =>
  (await loadTemplateIndicators(conn.db, request)).indicators.map((i) => i.code);

async function inputErrorOf(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return (e as InputError).errors;
}

describe('loadTemplateIndicators', () => {
  it('lists exactly the province-level indicators of the period frequency for a province, in framework order', async () => {
    expect(await codes({ orgUnit: 'PK-PB', period: '2025Q4' })).toEqual([
      'NAP-01',
      'RCH-01',
      'RCH-02',
      'RNF-01',
      'RNF-02',
      'RNF-03',
    ]);
  });

  it('lists the district indicators for a district, federal ones for the country, nothing for a division', async () => {
    expect(await codes({ orgUnit: 'PK-PB-LHR', period: '2025Q4' })).toEqual(['RCH-04']);
    expect(await codes({ orgUnit: 'PK', period: '2025Q4' })).toEqual(['RNF-05']);
    expect(await codes({ orgUnit: 'PK-PB-LHR-DIV', period: '2025Q4' })).toEqual([]);
  });

  it('lists monthly indicators for a monthly period only', async () => {
    expect(await codes({ orgUnit: 'PK-PB', period: '202511' })).toEqual(['RCH-03']);
  });

  it('filters by institution and by framework', async () => {
    expect(await codes({ orgUnit: 'PK-PB', period: '2025Q4', institution: 'PB-POL' })).toEqual(['NAP-01', 'RNF-01']);
    expect(await codes({ orgUnit: 'PK-PB', period: '2025Q4', framework: 'NPVE-2024' })).toEqual([
      'RCH-01',
      'RCH-02',
      'RNF-01',
      'RNF-02',
      'RNF-03',
    ]);
    expect(await codes({ orgUnit: 'PK-PB', period: '2025Q4', institution: 'PB-POL', framework: 'NPVE-2024' })).toEqual([
      'RNF-01',
    ]);
  });

  it('carries grouping, range, disaggregation options and stored values', async () => {
    const spec = await loadTemplateIndicators(conn.db, { orgUnit: 'PK-PB', period: '2025Q4', institution: 'PB-HD' });
    expect(spec.orgUnit).toEqual({ code: 'PK-PB', nameEn: 'Punjab', nameUr: 'پنجاب', level: 'province' });
    expect(spec.period.code).toBe('2025Q4');
    expect(spec.institution?.nameEn).toBe('Home Department Punjab');
    const rch01 = spec.indicators.find((i) => i.code === 'RCH-01')!;
    expect(rch01.pillar).toEqual({ code: 'RCH', nameEn: 'Reach Out', nameUr: 'رابطہ' });
    expect(rch01.objective.code).toBe('RCH.1');
    expect(rch01.framework).toBe('NPVE-2024');
    expect(rch01.unitType).toBe('count');
    expect(rch01.maxValue).toBe(100000);
    expect(rch01.minValue).toBeNull();
    expect(rch01.disaggregations.map((c) => [c.code, c.options.map((o) => o.code)])).toEqual([
      ['sex', ['F', 'M']],
      ['age', ['15-19', '20-24']],
    ]);
    expect(rch01.values).toEqual([
      { disaggregation: '', value: 120, numerator: null, denominator: null, comment: 'from attendance registers' },
      { disaggregation: 'sex=F', value: 50, numerator: null, denominator: null, comment: null },
    ]);
    expect(spec.indicators.find((i) => i.code === 'RCH-02')!.values).toEqual([
      { disaggregation: '', value: null, numerator: 30, denominator: 40, comment: null },
    ]);
    expect(spec.indicators.find((i) => i.code === 'RNF-02')!.values).toEqual([]);
  });

  it('names the field of an unknown or retired org unit, a bad period, an unknown institution or framework', async () => {
    expect(await inputErrorOf(loadTemplateIndicators(conn.db, { orgUnit: 'PK-XX', period: '2025Q4' }))).toMatchObject([
      { row: 0, field: 'org_unit', code: 'unknown_org_unit', message: 'no org unit has the code "PK-XX"' },
    ]);
    expect(await inputErrorOf(loadTemplateIndicators(conn.db, { orgUnit: 'PK-PB', period: '2025Q5' }))).toMatchObject([
      { row: 0, field: 'period', code: 'invalid_period', message: '"2025Q5" is not a valid period: 5 is outside 1–4' },
    ]);
    expect(await inputErrorOf(loadTemplateIndicators(conn.db, { orgUnit: 'PK-PB-OLD', period: '2025Q4' }))).toEqual([
      {
        row: 0,
        field: 'org_unit',
        code: 'not_valid_in_period',
        message: 'PK-PB-OLD did not exist during 2025Q4 (valid always to 2022-07-01)',
      },
    ]);
    expect(await codes({ orgUnit: 'PK-PB-OLD', period: '2022Q2' })).toEqual(['RCH-04']);
    expect(
      await inputErrorOf(loadTemplateIndicators(conn.db, { orgUnit: 'PK-PB', period: '2025Q4', institution: 'NOPE' })),
    ).toMatchObject([{ field: 'institution', code: 'unknown_institution' }]);
    expect(
      await inputErrorOf(loadTemplateIndicators(conn.db, { orgUnit: 'PK-PB', period: '2025Q4', framework: 'NOPE' })),
    ).toMatchObject([{ field: 'framework', code: 'unknown_framework' }]);
  });
});
