/** A small framework and org-unit tree for tests: enough of every unit type, level and boundary change. */
import type { Database } from '../src/db/database.ts';
import type { FrameworkDef, IndicatorDef } from '../src/domain/framework.ts';
import { saveFrameworks, upsertCatalogue, upsertInstitutions } from '../src/framework/framework-store.ts';
import { upsertOrgUnits } from '../src/orgunits/org-unit-store.ts';

const base: Omit<IndicatorDef, 'code' | 'nameEn' | 'unitType' | 'aggregationOrg' | 'aggregationTime' | 'frequency' | 'lowestLevel'> = {
  nameUr: 'اشاریہ',
  definitionEn: 'A test indicator.',
  definitionUr: 'آزمائشی اشاریہ',
  polarity: 'higher',
  phase: 'medium',
  meansOfVerification: 'Registers',
  institutions: ['T-HD'],
  disaggregations: [],
  baselineValue: null,
  baselinePeriod: null,
  minValue: null,
  maxValue: null,
  public: true,
};

export const testFramework: FrameworkDef = {
  code: 'TEST',
  nameEn: 'Test framework',
  nameUr: 'آزمائشی فریم ورک',
  description: 'For tests',
  version: '1',
  pillars: [
    {
      code: 'P1',
      nameEn: 'Pillar one',
      nameUr: 'ستون اول',
      description: '',
      objectives: [
        {
          code: 'P1.1',
          nameEn: 'Objective one',
          nameUr: 'مقصد اول',
          indicators: [
            { ...base, code: 'T-COUNT', nameEn: 'People trained', unitType: 'count', aggregationOrg: 'sum', aggregationTime: 'sum', frequency: 'quarterly', lowestLevel: 'district', disaggregations: ['sex'] },
            { ...base, code: 'T-PCT', nameEn: 'Share passing', unitType: 'percentage', aggregationOrg: 'ratio', aggregationTime: 'ratio', frequency: 'quarterly', lowestLevel: 'district' },
            { ...base, code: 'T-MONTH', nameEn: 'Items published', unitType: 'count', aggregationOrg: 'sum', aggregationTime: 'sum', frequency: 'monthly', lowestLevel: 'district' },
          ],
        },
      ],
    },
    {
      code: 'P2',
      nameEn: 'Pillar two',
      nameUr: 'ستون دوم',
      description: '',
      objectives: [
        {
          code: 'P2.1',
          nameEn: 'Objective two',
          nameUr: 'مقصد دوم',
          indicators: [
            { ...base, code: 'T-YN', nameEn: 'Law enacted', unitType: 'yes_no', aggregationOrg: 'last', aggregationTime: 'last', frequency: 'quarterly', lowestLevel: 'province' },
            { ...base, code: 'T-MS', nameEn: 'Unit operational', unitType: 'milestone', aggregationOrg: 'last', aggregationTime: 'last', frequency: 'fiscal_year', lowestLevel: 'province' },
            { ...base, code: 'T-PKR', nameEn: 'Budget', unitType: 'currency', aggregationOrg: 'sum', aggregationTime: 'sum', frequency: 'quarterly', lowestLevel: 'province', maxValue: 1e9 },
          ],
        },
      ],
    },
  ],
  targets: [{ indicator: 'T-COUNT', orgUnit: 'PK-PB', period: '2025Q4', phase: null, value: 500 }],
};

export async function loadTestFramework(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await upsertOrgUnits(
      tx,
      [
        { code: 'PK', nameEn: 'Pakistan', nameUr: 'پاکستان', level: 'country', parent: null, validFrom: null, validTo: null },
        { code: 'PK-PB', nameEn: 'Punjab', nameUr: 'پنجاب', level: 'province', parent: 'PK', validFrom: null, validTo: null },
        { code: 'PK-SD', nameEn: 'Sindh', nameUr: 'سندھ', level: 'province', parent: 'PK', validFrom: null, validTo: null },
        { code: 'PK-PB-DIV', nameEn: 'Lahore Division', nameUr: 'لاہور ڈویژن', level: 'division', parent: 'PK-PB', validFrom: null, validTo: null },
        { code: 'PK-PB-LHR', nameEn: 'Lahore', nameUr: 'لاہور', level: 'district', parent: 'PK-PB-DIV', validFrom: null, validTo: null },
        { code: 'PK-PB-KSR', nameEn: 'Kasur', nameUr: 'قصور', level: 'district', parent: 'PK-PB-DIV', validFrom: null, validTo: null },
        { code: 'PK-PB-OLD', nameEn: 'Old district', nameUr: 'پرانا ضلع', level: 'district', parent: 'PK-PB-DIV', validFrom: null, validTo: '2025-07-01' },
        { code: 'PK-PB-NEW', nameEn: 'New district', nameUr: 'نیا ضلع', level: 'district', parent: 'PK-PB-DIV', validFrom: '2025-07-01', validTo: null },
        { code: 'PK-SD-KHI', nameEn: 'Karachi', nameUr: 'کراچی', level: 'district', parent: 'PK-SD', validFrom: null, validTo: null },
      ],
      [{ code: 'PK-PB-NEW', kind: 'split', effective: '2025-07-01', predecessors: ['PK-PB-OLD'] }],
    );
    await upsertCatalogue(tx, [
      { code: 'sex', nameEn: 'Sex', nameUr: 'جنس', options: [
        { code: 'F', nameEn: 'Female', nameUr: 'خواتین' },
        { code: 'M', nameEn: 'Male', nameUr: 'مرد' },
      ] },
    ]);
    await upsertInstitutions(tx, [{ code: 'T-HD', nameEn: 'Home Department', nameUr: 'محکمہ داخلہ', kind: 'department', orgUnit: 'PK-PB', parent: null }]);
    await saveFrameworks(tx, [testFramework]);
    await tx.query(
      `INSERT INTO validation_rule (code, name_en, left_expr, operator, right_expr, severity)
       VALUES ('VR-F', 'Women trained cannot exceed people trained', '#{T-COUNT[sex=F]}', '<=', '#{T-COUNT}', 'error')`,
    );
  });
}
