/**
 * Which indicators one org unit reports for one period, with everything the data-entry template shows:
 * grouping, unit type, range, disaggregation options and the values already stored.
 */
import type { Queryable } from '../db/database.ts';
import { REPORTING_LEVELS, type Named, type UnitType } from '../domain/framework.ts';
import { orgUnitValidDuring, reportingUnitLevel, type OrgUnitLevel } from '../domain/org-unit.ts';
import { PeriodError, parsePeriod, type Period } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';

export interface TemplateCategory extends Named {
  options: Named[];
}

/** A stored data value; disaggregation is the canonical key, '' = total. */
export interface TemplateValue {
  disaggregation: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
}

export interface TemplateIndicator extends Named {
  framework: string;
  pillar: Named;
  objective: Named;
  unitType: UnitType;
  minValue: number | null;
  maxValue: number | null;
  disaggregations: TemplateCategory[];
  values: TemplateValue[];
}

export interface TemplateSpec {
  orgUnit: Named & { level: OrgUnitLevel };
  period: Period;
  institution: Named | null;
  framework: Named | null;
  /** Ordered by framework, pillar, objective, indicator. */
  indicators: TemplateIndicator[];
}

export interface TemplateRequest {
  orgUnit: string;
  period: string;
  institution?: string;
  framework?: string;
}

interface NamedRow {
  id: number;
  code: string;
  name_en: string;
  name_ur: string;
}

function named(r: { code: string; name_en: string; name_ur: string }): Named {
  return { code: r.code, nameEn: r.name_en, nameUr: r.name_ur };
}

async function findByCode<T extends NamedRow>(
  db: Queryable,
  table: 'org_unit' | 'institution' | 'framework',
  field: string,
  code: string,
  extraColumns = '',
): Promise<T> {
  const found = await db.query<T>(`SELECT id, code, name_en, name_ur${extraColumns} FROM ${table} WHERE code = $1`, [
    code.trim(),
  ]);
  const row = found.rows[0];
  if (!row) {
    const what = table.replace('_', ' ');
    throw new InputError([{ row: 0, field, code: `unknown_${table}`, message: `no ${what} has the code "${code}"` }]);
  }
  return row;
}

function periodOf(code: string): Period {
  try {
    return parsePeriod(code);
  } catch (e) {
    if (e instanceof PeriodError) throw new InputError([{ row: 0, field: 'period', code: 'invalid_period', message: e.message }]);
    throw e;
  }
}

export async function loadTemplateIndicators(db: Queryable, request: TemplateRequest): Promise<TemplateSpec> {
  const period = periodOf(request.period);
  const unit = await findByCode<NamedRow & { level: OrgUnitLevel; valid_from: string | null; valid_to: string | null }>(
    db,
    'org_unit',
    'org_unit',
    request.orgUnit,
    `, level, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to`,
  );
  // A template the import would refuse row by row is better refused now.
  if (!orgUnitValidDuring({ validFrom: unit.valid_from, validTo: unit.valid_to }, period.start, period.end)) {
    throw new InputError([
      {
        row: 0,
        field: 'org_unit',
        code: 'not_valid_in_period',
        message: `${unit.code} did not exist during ${period.code} (valid ${unit.valid_from ?? 'always'} to ${unit.valid_to ?? 'now'})`,
      },
    ]);
  }
  const institution = request.institution
    ? await findByCode(db, 'institution', 'institution', request.institution)
    : null;
  const framework = request.framework ? await findByCode(db, 'framework', 'framework', request.framework) : null;
  // Divisions match no reporting level, so they get an empty template.
  const reportedLevel = REPORTING_LEVELS.find((level) => reportingUnitLevel(level) === unit.level) ?? null;

  const indicators = (
    await db.query<
      NamedRow & {
        unit_type: UnitType;
        min_value: number | null;
        max_value: number | null;
        framework: string;
        pillar_code: string;
        pillar_en: string;
        pillar_ur: string;
        objective_code: string;
        objective_en: string;
        objective_ur: string;
      }
    >(
      `SELECT i.id, i.code, i.name_en, i.name_ur, i.unit_type, i.min_value, i.max_value, f.code AS framework,
              p.code AS pillar_code, p.name_en AS pillar_en, p.name_ur AS pillar_ur,
              o.code AS objective_code, o.name_en AS objective_en, o.name_ur AS objective_ur
         FROM indicator i
         JOIN objective o ON o.id = i.objective_id
         JOIN pillar p ON p.id = o.pillar_id
         JOIN framework f ON f.id = p.framework_id
        WHERE i.frequency = $1 AND i.lowest_level = $2
          AND ($3::int IS NULL OR EXISTS (
                SELECT 1 FROM indicator_institution ii WHERE ii.indicator_id = i.id AND ii.institution_id = $3))
          AND ($4::int IS NULL OR f.id = $4)
        ORDER BY f.code, p.sort, p.code, o.sort, o.code, i.sort, i.code`,
      [period.type, reportedLevel, institution?.id ?? null, framework?.id ?? null],
    )
  ).rows;
  const ids = indicators.map((i) => i.id);

  const categories = new Map<number, TemplateCategory[]>();
  const optionRows = (
    await db.query<{
      indicator_id: number;
      category_code: string;
      category_en: string;
      category_ur: string;
      code: string;
      name_en: string;
      name_ur: string;
    }>(
      `SELECT d.indicator_id, c.code AS category_code, c.name_en AS category_en, c.name_ur AS category_ur,
              op.code, op.name_en, op.name_ur
         FROM indicator_disaggregation d
         JOIN disaggregation_category c ON c.id = d.category_id
         JOIN disaggregation_option op ON op.category_id = c.id
        WHERE d.indicator_id = ANY($1::int[])
        ORDER BY d.indicator_id, d.sort, c.code, op.sort, op.code`,
      [ids],
    )
  ).rows;
  for (const r of optionRows) {
    const list = categories.get(r.indicator_id) ?? [];
    categories.set(r.indicator_id, list);
    let category = list.at(-1);
    if (category?.code !== r.category_code) {
      category = { code: r.category_code, nameEn: r.category_en, nameUr: r.category_ur, options: [] };
      list.push(category);
    }
    category.options.push(named(r));
  }

  const values = new Map<number, TemplateValue[]>();
  const valueRows = (
    await db.query<{
      indicator_id: number;
      disagg: string;
      value: number | null;
      numerator: number | null;
      denominator: number | null;
      comment: string | null;
    }>(
      `SELECT dv.indicator_id, dv.disagg, dv.value, dv.numerator, dv.denominator, dv.comment
         FROM data_value dv
         JOIN period pe ON pe.id = dv.period_id
        WHERE dv.org_unit_id = $1 AND pe.code = $2 AND dv.indicator_id = ANY($3::int[])
        ORDER BY dv.indicator_id, dv.disagg`,
      [unit.id, period.code, ids],
    )
  ).rows;
  for (const r of valueRows) {
    const list = values.get(r.indicator_id) ?? [];
    values.set(r.indicator_id, list);
    list.push({
      disaggregation: r.disagg,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      comment: r.comment,
    });
  }

  return {
    orgUnit: { ...named(unit), level: unit.level },
    period,
    institution: institution && named(institution),
    framework: framework && named(framework),
    indicators: indicators.map((i) => ({
      ...named(i),
      framework: i.framework,
      pillar: { code: i.pillar_code, nameEn: i.pillar_en, nameUr: i.pillar_ur },
      objective: { code: i.objective_code, nameEn: i.objective_en, nameUr: i.objective_ur },
      unitType: i.unit_type,
      minValue: i.min_value,
      maxValue: i.max_value,
      disaggregations: categories.get(i.id) ?? [],
      values: values.get(i.id) ?? [],
    })),
  };
}
