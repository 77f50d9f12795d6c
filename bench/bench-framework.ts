/** A national-scale synthetic framework for benchmarks: many district-level quarterly counts split by sex. */
import type { Database } from '../src/db/database.ts';
import type { FrameworkDef, IndicatorDef } from '../src/domain/framework.ts';
import { saveFrameworks, upsertCatalogue, upsertInstitutions } from '../src/framework/framework-store.ts';
import { upsertOrgUnits } from '../src/orgunits/org-unit-store.ts';
import { seedOrgUnits } from '../src/seed/seed.ts';

export async function loadBenchFramework(db: Database, indicators: number): Promise<{ indicators: string[]; districts: string[] }> {
  const { units, changes } = seedOrgUnits();
  const codes = Array.from({ length: indicators }, (_, i) => `B-${String(i + 1).padStart(4, '0')}`);
  const def = (code: string): IndicatorDef => ({
    code, nameEn: `Benchmark indicator ${code}`, nameUr: 'اشاریہ', definitionEn: '', definitionUr: '', unitType: 'count',
    aggregationOrg: 'sum', aggregationTime: 'sum', polarity: 'higher', frequency: 'quarterly', lowestLevel: 'district', phase: 'medium',
    meansOfVerification: '', institutions: [], disaggregations: ['sex'], baselineValue: null, baselinePeriod: null, minValue: null, maxValue: null,
  });
  const provinces = units.filter((u) => u.level === 'province').map((u) => u.code);
  // Five pillars, as in the NPVE; every indicator has a target for each province, so a scorecard has work to do.
  const pillars = Array.from({ length: 5 }, (_, p) => {
    const own = codes.filter((_c, i) => i % 5 === p);
    return { code: `B${p + 1}`, nameEn: `Pillar ${p + 1}`, nameUr: 'ستون', description: '', objectives: [{ code: `B${p + 1}.1`, nameEn: 'Objective', nameUr: 'مقصد', indicators: own.map(def) }] };
  });
  const targets = codes.flatMap((indicator, i) => provinces.map((orgUnit, k) => ({
    indicator, orgUnit, period: '2030Q2', phase: null, value: 2000 + ((i * 37 + k * 11) % 40) * 250,
  })));
  const fw: FrameworkDef = { code: 'BENCH', nameEn: 'Benchmark', nameUr: 'بینچ مارک', description: '', version: '1', targets, pillars };
  await db.transaction(async (tx) => {
    await upsertOrgUnits(tx, units, changes);
    await upsertCatalogue(tx, [{ code: 'sex', nameEn: 'Sex', nameUr: 'جنس', options: [{ code: 'F', nameEn: 'Female', nameUr: 'خواتین' }, { code: 'M', nameEn: 'Male', nameUr: 'مرد' }] }]);
    await upsertInstitutions(tx, []);
    await saveFrameworks(tx, [fw]);
  });
  const districts = units.filter((u) => u.level === 'district' && u.validTo === null && u.validFrom === null).map((u) => u.code);
  return { indicators: codes, districts };
}
