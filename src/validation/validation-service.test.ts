import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import type { Connection } from '../db/connect.ts';
import type { Queryable } from '../db/database.ts';
import { parsePeriod, periodRange, shiftPeriod } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';
import { findOutliers, runValidation } from './validation-service.ts';

type ValueInput = [indicator: string, orgUnit: string, period: string, disagg: string, value: number | null, numerator?: number, denominator?: number];

const CURRENT = parsePeriod('2025Q3');
/** The quarter n steps before 2025Q3. */
const back = (n: number) => shiftPeriod(CURRENT, -n).code;

/** A series of values for one cell at the quarters 1, 2, 3, … before 2025Q3. */
function history(indicator: string, orgUnit: string, disagg: string, values: number[], firstStepBack = 1): ValueInput[] {
  return values.map((v, k) => [indicator, orgUnit, back(firstStepBack + k), disagg, v]);
}

async function putValues(db: Queryable, values: ValueInput[]): Promise<void> {
  const column = <T,>(k: number) => values.map((v) => (v[k] ?? null) as T | null);
  await db.query(
    `INSERT INTO data_value (indicator_id, org_unit_id, period_id, disagg, value, numerator, denominator, stored_by)
     SELECT i.id, o.id, p.id, v.disagg, v.value, v.numerator, v.denominator, 'test'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[])
            AS v(indicator, org_unit, period, disagg, value, numerator, denominator)
       JOIN indicator i ON i.code = v.indicator
       JOIN org_unit o ON o.code = v.org_unit
       JOIN period p ON p.code = v.period`,
    [column(0), column(1), column(2), column(3), column(4), column(5), column(6)],
  );
}

/**
 * Framework NPVE → REV → one objective → REV-04 (count by sex), REV-05 (percentage), RIN-02 (count);
 * Pakistan → Punjab (Lahore, Faisalabad, Rawalpindi) and Sindh (Karachi); quarters 2020Q1–2025Q3.
 */
async function createFixture(db: Queryable): Promise<void> {
  await db.exec(`
    INSERT INTO framework (code, name_en) VALUES ('NPVE', 'NPVE 2024');
    INSERT INTO pillar (framework_id, code, name_en) SELECT id, 'REV', 'Revisit' FROM framework WHERE code = 'NPVE';
    INSERT INTO objective (pillar_id, code, name_en) SELECT id, 'REV-O1', 'Curricula revisited' FROM pillar WHERE code = 'REV';
    INSERT INTO indicator (objective_id, code, name_en, unit_type, aggregation_org, aggregation_time, polarity, frequency, lowest_level, phase)
      SELECT o.id, v.code, v.name, v.unit, v.agg, v.agg, 'higher', 'quarterly', 'district', 'short'
        FROM objective o,
             (VALUES ('REV-04', 'Teachers trained', 'count', 'sum'),
                     ('REV-05', 'Trained teachers passing assessment', 'percentage', 'ratio'),
                     ('RIN-02', 'Individuals enrolled', 'count', 'last')) AS v(code, name, unit, agg)
       WHERE o.code = 'REV-O1';
    INSERT INTO org_unit (code, name_en, level) VALUES ('PK', 'Pakistan', 'country');
    INSERT INTO org_unit (code, name_en, level, parent_id)
      SELECT v.code, v.name, 'province', p.id FROM org_unit p, (VALUES ('PB', 'Punjab'), ('SD', 'Sindh')) AS v(code, name)
       WHERE p.code = 'PK';
    INSERT INTO org_unit (code, name_en, level, parent_id)
      SELECT v.code, v.name, 'district', p.id
        FROM (VALUES ('LHR', 'Lahore', 'PB'), ('FSD', 'Faisalabad', 'PB'), ('RWP', 'Rawalpindi', 'PB'), ('KHI', 'Karachi', 'SD'))
             AS v(code, name, parent)
        JOIN org_unit p ON p.code = v.parent;
    INSERT INTO org_unit_closure (ancestor_id, descendant_id, depth)
      WITH RECURSIVE up (ancestor_id, descendant_id, depth) AS (
        SELECT id, id, 0 FROM org_unit
        UNION ALL
        SELECT o.parent_id, up.descendant_id, up.depth + 1 FROM up JOIN org_unit o ON o.id = up.ancestor_id
         WHERE o.parent_id IS NOT NULL
      )
      SELECT ancestor_id, descendant_id, depth FROM up;
  `);
  const periods = periodRange(parsePeriod('2020Q1'), CURRENT);
  await db.query(
    `INSERT INTO period (code, type, start_date, end_date)
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[])`,
    [periods.map((p) => p.code), periods.map((p) => p.type), periods.map((p) => p.start), periods.map((p) => p.end)],
  );
  await db.query(
    `INSERT INTO validation_rule (code, name_en, left_expr, operator, right_expr, severity)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      ['R1', 'R2', 'R3'],
      ['Women trained within all trained', 'No more than triple last quarter', 'Assessed equals trained'],
      ['#{REV-04[sex=F]}', '#{REV-04}', '#{REV-05.denominator}'],
      ['<=', '<=', '=='],
      ['#{REV-04}', '#{REV-04@-1} * 3', '#{REV-04}'],
      ['error', 'warning', 'warning'],
    ],
  );

  await putValues(db, [
    // Rules at 2025Q3: Lahore breaks R1 and R2, Faisalabad breaks R3, Karachi lacks the data for all three.
    ['REV-04', 'LHR', '2025Q3', '', 100],
    ['REV-04', 'LHR', '2025Q3', 'sex=F', 120],
    ['REV-04', 'LHR', '2025Q2', '', 20],
    ['REV-05', 'LHR', '2025Q3', '', 50, 50, 100],
    ['REV-04', 'FSD', '2025Q3', '', 50],
    ['REV-04', 'FSD', '2025Q3', 'sex=F', 30],
    ['REV-04', 'FSD', '2025Q2', '', 40],
    ['REV-05', 'FSD', '2025Q3', '', 50, 20, 40],
    ['REV-04', 'KHI', '2025Q3', '', 70],
    // Rawalpindi reported only last quarter: nothing to check this quarter.
    ['REV-04', 'RWP', '2025Q2', '', 10],

    // Outliers at 2025Q3 for RIN-02.
    ['RIN-02', 'LHR', '2025Q3', '', 115],
    ...history('RIN-02', 'LHR', '', [10, 12, 11, 13, 9, 12]),
    // Beyond the 12-quarter window: would drag the median to 5000 if it were used.
    ...history('RIN-02', 'LHR', '', [5000, 5000, 5000, 5000, 5000, 5000, 5000], 13),
    ['RIN-02', 'LHR', '2025Q3', 'sex=F', 6],
    ...history('RIN-02', 'LHR', 'sex=F', [5, 6, 5, 7, 6, 5]),
    ['RIN-02', 'FSD', '2025Q3', '', 12],
    ...history('RIN-02', 'FSD', '', [10, 12, 11, 13, 9, 12]),
    ['RIN-02', 'FSD', '2025Q3', 'sex=F', 0],
    ...history('RIN-02', 'FSD', 'sex=F', [5, 6, 5, 7, 6, 5]),
    ['RIN-02', 'KHI', '2025Q3', '', 500],
    ...history('RIN-02', 'KHI', '', [10, 11, 12]),
  ]);
}

let conn: Connection;

beforeAll(async () => {
  conn = await createTestDatabase();
  await createFixture(conn.db);
});

afterAll(async () => {
  await conn.close();
});

describe('runValidation', () => {
  it('reports each violated rule with the org unit and both values, and nothing for passing or data-less checks', async () => {
    const report = await runValidation(conn.db, { period: '2025Q3' });
    expect(report).toEqual({
      period: '2025Q3',
      rulesChecked: 3,
      unitsChecked: 3,
      violations: [
        {
          rule: 'R1',
          ruleName: 'Women trained within all trained',
          severity: 'error',
          orgUnit: 'LHR',
          orgUnitName: 'Lahore',
          period: '2025Q3',
          left: 120,
          right: 100,
          message: 'REV-04[sex=F] = 120 must be ≤ REV-04 = 100',
        },
        {
          rule: 'R2',
          ruleName: 'No more than triple last quarter',
          severity: 'warning',
          orgUnit: 'LHR',
          orgUnitName: 'Lahore',
          period: '2025Q3',
          left: 100,
          right: 60,
          message: 'REV-04 = 100 must be ≤ REV-04@-1 * 3 = 60',
        },
        {
          rule: 'R3',
          ruleName: 'Assessed equals trained',
          severity: 'warning',
          orgUnit: 'FSD',
          orgUnitName: 'Faisalabad',
          period: '2025Q3',
          left: 40,
          right: 50,
          message: 'REV-05.denominator = 40 must equal REV-04 = 50',
        },
      ],
    });
  });

  it('skips rules whose values are missing rather than reporting them', async () => {
    const report = await runValidation(conn.db, { period: '2025Q3', orgUnit: 'SD' });
    expect(report.unitsChecked).toBe(1);
    expect(report.violations).toEqual([]);
  });

  it('scoped to a province checks its districts only', async () => {
    const punjab = await runValidation(conn.db, { period: '2025Q3', orgUnit: 'PB' });
    expect(punjab.unitsChecked).toBe(2);
    expect(new Set(punjab.violations.map((v) => v.orgUnit))).toEqual(new Set(['LHR', 'FSD']));
    const lahore = await runValidation(conn.db, { period: '2025Q3', orgUnit: 'LHR' });
    expect(lahore.unitsChecked).toBe(1);
    expect(lahore.violations.map((v) => v.rule)).toEqual(['R1', 'R2']);
  });

  it('checks only the named rules', async () => {
    const report = await runValidation(conn.db, { period: '2025Q3', rules: ['R3'] });
    expect(report.rulesChecked).toBe(1);
    expect(report.violations.map((v) => `${v.rule}@${v.orgUnit}`)).toEqual(['R3@FSD']);
  });

  it('finds nothing to check in a period without data', async () => {
    const report = await runValidation(conn.db, { period: '2021Q1' });
    expect(report).toEqual({ period: '2021Q1', rulesChecked: 3, unitsChecked: 0, violations: [] });
  });

  it('refuses an unknown period, org unit or rule, naming the field', async () => {
    await expect(runValidation(conn.db, { period: '2025Q5' })).rejects.toMatchObject({
      errors: [{ field: 'period', code: 'invalid_period' }],
    });
    await expect(runValidation(conn.db, { period: '2025Q3', orgUnit: 'ISB' })).rejects.toMatchObject({
      errors: [{ field: 'orgUnit', code: 'unknown_org_unit', message: 'unknown org unit "ISB"' }],
    });
    await expect(runValidation(conn.db, { period: '2025Q3', rules: ['R1', 'R9'] })).rejects.toThrow(InputError);
    await expect(runValidation(conn.db, { period: '2025Q3', rules: ['R1', 'R9'] })).rejects.toMatchObject({
      errors: [{ field: 'rules', code: 'unknown_rule', message: 'unknown validation rule "R9"' }],
    });
  });
});

describe('findOutliers', () => {
  const lahoreJump = {
    indicator: 'RIN-02',
    orgUnit: 'LHR',
    period: '2025Q3',
    disaggregation: '',
    value: 115,
    median: 11.5,
  };

  it('flags values far from their own 12-quarter history, largest |score| first', async () => {
    const outliers = await findOutliers(conn.db, { period: '2025Q3' });
    expect(outliers).toHaveLength(2);
    // History 10 12 11 13 9 12: median 11.5, MAD 1.0 → 0.6745 × (115 − 11.5) / 1.0
    expect(outliers[0]).toMatchObject(lahoreJump);
    expect(outliers[0]!.score).toBeCloseTo(69.81075, 8);
    // History 5 6 5 7 6 5: median 5.5, MAD 0.5 → 0.6745 × (0 − 5.5) / 0.5
    expect(outliers[1]).toMatchObject({ orgUnit: 'FSD', disaggregation: 'sex=F', value: 0, median: 5.5 });
    expect(outliers[1]!.score).toBeCloseTo(-7.4195, 8);
  });

  it('does not flag normal values, nor values with fewer than 4 earlier values', async () => {
    const outliers = await findOutliers(conn.db, { period: '2025Q3' });
    const flagged = outliers.map((o) => `${o.orgUnit}[${o.disaggregation}]`);
    expect(flagged).not.toContain('FSD[]');
    expect(flagged).not.toContain('LHR[sex=F]');
    expect(flagged).not.toContain('KHI[]');
  });

  it('takes a threshold, an org unit scope and an indicator list', async () => {
    expect(await findOutliers(conn.db, { period: '2025Q3', threshold: 10 })).toEqual([
      expect.objectContaining(lahoreJump),
    ]);
    expect(await findOutliers(conn.db, { period: '2025Q3', threshold: 0.5 })).toHaveLength(3);
    expect((await findOutliers(conn.db, { period: '2025Q3', orgUnit: 'FSD' })).map((o) => o.orgUnit)).toEqual(['FSD']);
    expect(await findOutliers(conn.db, { period: '2025Q3', orgUnit: 'SD' })).toEqual([]);
    expect(await findOutliers(conn.db, { period: '2025Q3', indicators: ['REV-04'] })).toEqual([]);
  });

  it('refuses an unknown indicator or a threshold that is not positive', async () => {
    await expect(findOutliers(conn.db, { period: '2025Q3', indicators: ['NOPE'] })).rejects.toMatchObject({
      errors: [{ field: 'indicators', code: 'unknown_indicator' }],
    });
    await expect(findOutliers(conn.db, { period: '2025Q3', threshold: 0 })).rejects.toMatchObject({
      errors: [{ field: 'threshold', code: 'invalid_threshold' }],
    });
  });
});
