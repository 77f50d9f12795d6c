/** A small Jaiza catalogue for the DHIS2 tests: three indicators, a few org units, sex and age. */
import type { Queryable } from '../../db/database.ts';

export async function insertTestCatalogue(db: Queryable): Promise<void> {
  await db.exec(`
    INSERT INTO framework (code, name_en) VALUES ('NPVE', 'National Prevention of Violent Extremism Policy 2024');
    INSERT INTO pillar (framework_id, code, name_en) SELECT id, 'RCH', 'Reach Out' FROM framework;
    INSERT INTO pillar (framework_id, code, name_en) SELECT id, 'RSK', 'Reduce Risk' FROM framework;
    INSERT INTO pillar (framework_id, code, name_en) SELECT id, 'RNF', 'Reinforce' FROM framework;
    INSERT INTO objective (pillar_id, code, name_en) SELECT id, code || '.1', 'Objective ' || code FROM pillar;

    INSERT INTO indicator (objective_id, code, name_en, unit_type, aggregation_org, aggregation_time, polarity, frequency, lowest_level, phase)
    SELECT o.id, v.code, v.name, v.unit, v.agg, v.agg, 'higher', v.freq, v.lvl, 'short'
      FROM (VALUES
        ('RCH.1', 'RCH-06', 'Participants in dialogues', 'count', 'sum', 'quarterly', 'district'),
        ('RSK.1', 'RSK-04', 'Referrals with a support plan within 30 days', 'percentage', 'ratio', 'quarterly', 'province'),
        ('RNF.1', 'RNF-01', 'Provincial CoE-CVE legal basis enacted', 'yes_no', 'last', 'year', 'province')
      ) AS v(objective, code, name, unit, agg, freq, lvl)
      JOIN objective o ON o.code = v.objective;

    INSERT INTO disaggregation_category (code, name_en) VALUES ('sex', 'Sex'), ('age', 'Age group');
    INSERT INTO disaggregation_option (category_id, code, name_en, sort)
    SELECT c.id, v.code, v.name, v.sort
      FROM (VALUES ('sex', 'F', 'Female', 1), ('sex', 'M', 'Male', 2), ('sex', 'X', 'Transgender', 3),
                   ('age', '15-19', '15-19', 1), ('age', '20-24', '20-24', 2)) AS v(category, code, name, sort)
      JOIN disaggregation_category c ON c.code = v.category;
    INSERT INTO indicator_disaggregation (indicator_id, category_id)
    SELECT i.id, c.id FROM indicator i, disaggregation_category c
     WHERE (i.code, c.code) IN (('RCH-06', 'sex'), ('RCH-06', 'age'), ('RSK-04', 'sex'));

    INSERT INTO org_unit (code, name_en, level) VALUES ('PK', 'Pakistan', 'country');
    INSERT INTO org_unit (code, name_en, level, parent_id, aliases)
    SELECT v.code, v.name, v.level, p.id, v.aliases::text[]
      FROM (VALUES ('PK-PB', 'Punjab', 'province', 'PK', '{}'),
                   ('PK-KP', 'Khyber Pakhtunkhwa', 'province', 'PK', '{KPK,NWFP}')) AS v(code, name, level, parent, aliases)
      JOIN org_unit p ON p.code = v.parent;
    INSERT INTO org_unit (code, name_en, level, parent_id, aliases)
    SELECT 'PK-PB-LHR-DIV', 'Lahore Division', 'division', id, '{Lahore}' FROM org_unit WHERE code = 'PK-PB';
    INSERT INTO org_unit (code, name_en, level, parent_id, aliases)
    SELECT v.code, v.name, 'district', p.id, v.aliases::text[]
      FROM (VALUES ('PK-PB-LHR', 'Lahore', 'PK-PB-LHR-DIV', '{}'),
                   ('PK-KP-DIK', 'Dera Ismail Khan', 'PK-KP', '{D.I. Khan}')) AS v(code, name, parent, aliases)
      JOIN org_unit p ON p.code = v.parent;
  `);
}
