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
  const fw: FrameworkDef = {
    code: 'BENCH', nameEn: 'Benchmark', nameUr: 'بینچ مارک', description: '', version: '1', targets: [],
    pillars: [{ code: 'B', nameEn: 'B', nameUr: 'ب', description: '', objectives: [{ code: 'B.1', nameEn: 'B', nameUr: 'ب', indicators: codes.map(def) }] }],
  };
  await db.transaction(async (tx) => {
    await upsertOrgUnits(tx, units, changes);
    await upsertCatalogue(tx, [{ code: 'sex', nameEn: 'Sex', nameUr: 'جنس', options: [{ code: 'F', nameEn: 'Female', nameUr: 'خواتین' }, { code: 'M', nameEn: 'Male', nameUr: 'مرد' }] }]);
    await upsertInstitutions(tx, []);
    await saveFrameworks(tx, [fw]);
  });
  const districts = units.filter((u) => u.level === 'district' && u.validTo === null && u.validFrom === null).map((u) => u.code);
  return { indicators: codes, districts };
}
