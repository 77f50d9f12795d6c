import type { Queryable } from '../db/database.ts';
import { syncRollupRules } from '../rollups/rollup-maintenance.ts';
import type {
  DisaggregationCategoryDef,
  FrameworkDef,
  IndicatorDef,
  InstitutionDef,
  ObjectiveDef,
  PillarDef,
  TargetDef,
} from '../domain/framework.ts';
import { InputError, type RowError } from '../domain/row-error.ts';

export async function upsertCatalogue(tx: Queryable, catalogue: DisaggregationCategoryDef[]): Promise<void> {
  for (const c of catalogue) {
    const cat = await tx.query<{ id: number }>(
      `INSERT INTO disaggregation_category (code, name_en, name_ur) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur RETURNING id`,
      [c.code, c.nameEn, c.nameUr],
    );
    const id = cat.rows[0]!.id;
    await tx.query(
      `INSERT INTO disaggregation_option (category_id, code, name_en, name_ur, sort)
       SELECT $1, code, name_en, name_ur, sort FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS t(code, name_en, name_ur, sort)
       ON CONFLICT (category_id, code) DO UPDATE SET name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur, sort = EXCLUDED.sort`,
      [id, c.options.map((o) => o.code), c.options.map((o) => o.nameEn), c.options.map((o) => o.nameUr), c.options.map((_, i) => i)],
    );
  }
}

export async function upsertInstitutions(tx: Queryable, institutions: InstitutionDef[]): Promise<void> {
  const errors: RowError[] = [];
  for (const [i, inst] of institutions.entries()) {
    const res = await tx.query(
      `INSERT INTO institution (code, name_en, name_ur, kind, org_unit_id)
       SELECT $1, $2, $3, $4, id FROM org_unit WHERE code = $5
       ON CONFLICT (code) DO UPDATE SET name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur, kind = EXCLUDED.kind,
         org_unit_id = EXCLUDED.org_unit_id`,
      [inst.code, inst.nameEn, inst.nameUr, inst.kind, inst.orgUnit],
    );
    if (res.rowCount === 0) {
      errors.push({ row: i + 1, field: 'orgUnit', code: 'unknown_org_unit', message: `institution ${inst.code}: unknown org unit "${inst.orgUnit}"` });
    }
  }
  for (const inst of institutions.filter((x) => x.parent)) {
    await tx.query('UPDATE institution SET parent_id = (SELECT id FROM institution WHERE code = $2) WHERE code = $1', [inst.code, inst.parent]);
  }
  if (errors.length) throw new InputError(errors);
}

/**
 * Stores frameworks by code: pillars, objectives and indicators are inserted or updated in place
 * (ids, and so the data values that reference them, survive an edit); ones no longer in the
 * framework are removed only when they carry no data.
 */
export async function saveFrameworks(tx: Queryable, frameworks: FrameworkDef[]): Promise<void> {
  const errors: RowError[] = [];
  const institutionIds = await codeMap(tx, 'SELECT code, id FROM institution');
  const categoryIds = await codeMap(tx, 'SELECT code, id FROM disaggregation_category');
  const orgUnitIds = await codeMap(tx, 'SELECT code, id FROM org_unit');

  for (const fw of frameworks) {
    const fwId = await upsertReturningId(
      tx,
      `INSERT INTO framework (code, name_en, name_ur, description, version) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO UPDATE SET name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur,
         description = EXCLUDED.description, version = EXCLUDED.version RETURNING id`,
      [fw.code, fw.nameEn, fw.nameUr, fw.description, fw.version],
    );
    const keptPillars: number[] = [];
    for (const [pi, p] of fw.pillars.entries()) {
      const pillarId = await savePillar(tx, fwId, p, pi);
      keptPillars.push(pillarId);
      const keptObjectives: number[] = [];
      for (const [oi, o] of p.objectives.entries()) {
        const objectiveId = await saveObjective(tx, pillarId, o, oi);
        keptObjectives.push(objectiveId);
        for (const [ii, ind] of o.indicators.entries()) {
          const indicatorId = await saveIndicator(tx, objectiveId, ind, ii);
          await linkIndicator(tx, indicatorId, ind, institutionIds, categoryIds, errors);
        }
      }
      await tx.query(
        `DELETE FROM indicator i WHERE i.objective_id = ANY($1::int[]) AND NOT (i.code = ANY($2::text[]))
           AND NOT EXISTS (SELECT 1 FROM data_value d WHERE d.indicator_id = i.id)`,
        [keptObjectives, p.objectives.flatMap((o) => o.indicators.map((i) => i.code))],
      );
      await tx.query(
        `DELETE FROM objective o WHERE o.pillar_id = $1 AND NOT (o.id = ANY($2::int[]))
           AND NOT EXISTS (SELECT 1 FROM indicator i WHERE i.objective_id = o.id)`,
        [pillarId, keptObjectives],
      );
    }
    await tx.query(
      `DELETE FROM pillar p WHERE p.framework_id = $1 AND NOT (p.id = ANY($2::int[]))
         AND NOT EXISTS (SELECT 1 FROM objective o WHERE o.pillar_id = p.id)`,
      [fwId, keptPillars],
    );
    await saveTargets(tx, fw, orgUnitIds, errors);
  }
  if (errors.length) throw new InputError(errors);
  await syncRollupRules(tx);
}

async function codeMap(tx: Queryable, sql: string): Promise<Map<string, number>> {
  return new Map((await tx.query<{ code: string; id: number }>(sql)).rows.map((r) => [r.code, r.id]));
}

async function upsertReturningId(tx: Queryable, sql: string, params: unknown[]): Promise<number> {
  return (await tx.query<{ id: number }>(sql, params)).rows[0]!.id;
}

function savePillar(tx: Queryable, frameworkId: number, p: PillarDef, sort: number): Promise<number> {
  return upsertReturningId(
    tx,
    `INSERT INTO pillar (framework_id, code, name_en, name_ur, description, sort) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (framework_id, code) DO UPDATE SET name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur,
       description = EXCLUDED.description, sort = EXCLUDED.sort RETURNING id`,
    [frameworkId, p.code, p.nameEn, p.nameUr, p.description, sort],
  );
}

function saveObjective(tx: Queryable, pillarId: number, o: ObjectiveDef, sort: number): Promise<number> {
  return upsertReturningId(
    tx,
    `INSERT INTO objective (pillar_id, code, name_en, name_ur, sort) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (pillar_id, code) DO UPDATE SET name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur, sort = EXCLUDED.sort
     RETURNING id`,
    [pillarId, o.code, o.nameEn, o.nameUr, sort],
  );
}

function saveIndicator(tx: Queryable, objectiveId: number, i: IndicatorDef, sort: number): Promise<number> {
  return upsertReturningId(
    tx,
    `INSERT INTO indicator (objective_id, code, name_en, name_ur, definition_en, definition_ur, unit_type, aggregation_org,
       aggregation_time, polarity, frequency, lowest_level, phase, means_of_verification, baseline_value, baseline_period,
       min_value, max_value, sort, public)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT (code) DO UPDATE SET objective_id = EXCLUDED.objective_id, name_en = EXCLUDED.name_en,
       name_ur = EXCLUDED.name_ur, definition_en = EXCLUDED.definition_en, definition_ur = EXCLUDED.definition_ur,
       unit_type = EXCLUDED.unit_type, aggregation_org = EXCLUDED.aggregation_org,
       aggregation_time = EXCLUDED.aggregation_time, polarity = EXCLUDED.polarity, frequency = EXCLUDED.frequency,
       lowest_level = EXCLUDED.lowest_level, phase = EXCLUDED.phase, means_of_verification = EXCLUDED.means_of_verification,
       baseline_value = EXCLUDED.baseline_value, baseline_period = EXCLUDED.baseline_period,
       min_value = EXCLUDED.min_value, max_value = EXCLUDED.max_value, sort = EXCLUDED.sort, public = EXCLUDED.public
     RETURNING id`,
    [
      objectiveId, i.code, i.nameEn, i.nameUr, i.definitionEn, i.definitionUr, i.unitType, i.aggregationOrg,
      i.aggregationTime, i.polarity, i.frequency, i.lowestLevel, i.phase, i.meansOfVerification, i.baselineValue,
      i.baselinePeriod, i.minValue, i.maxValue, sort, i.public ?? false,
    ],
  );
}

async function linkIndicator(
  tx: Queryable,
  indicatorId: number,
  ind: IndicatorDef,
  institutionIds: Map<string, number>,
  categoryIds: Map<string, number>,
  errors: RowError[],
): Promise<void> {
  const inst = ind.institutions.map((c) => institutionIds.get(c));
  const cats = ind.disaggregations.map((c) => categoryIds.get(c));
  ind.institutions.forEach((c, k) => {
    if (inst[k] === undefined) errors.push({ row: 0, field: 'institutions', code: 'unknown_institution', message: `indicator ${ind.code}: unknown institution "${c}"` });
  });
  ind.disaggregations.forEach((c, k) => {
    if (cats[k] === undefined) errors.push({ row: 0, field: 'disaggregations', code: 'unknown_category', message: `indicator ${ind.code}: unknown disaggregation category "${c}"` });
  });
  await tx.query('DELETE FROM indicator_institution WHERE indicator_id = $1', [indicatorId]);
  await tx.query(
    `INSERT INTO indicator_institution (indicator_id, institution_id, sort)
     SELECT $1, id, sort FROM unnest($2::int[], $3::int[]) AS t(id, sort) WHERE id IS NOT NULL`,
    [indicatorId, inst.map((x) => x ?? null), inst.map((_, k) => k)],
  );
  await tx.query('DELETE FROM indicator_disaggregation WHERE indicator_id = $1', [indicatorId]);
  await tx.query(
    `INSERT INTO indicator_disaggregation (indicator_id, category_id, sort)
     SELECT $1, id, sort FROM unnest($2::int[], $3::int[]) AS t(id, sort) WHERE id IS NOT NULL`,
    [indicatorId, cats.map((x) => x ?? null), cats.map((_, k) => k)],
  );
}

async function saveTargets(tx: Queryable, fw: FrameworkDef, orgUnitIds: Map<string, number>, errors: RowError[]): Promise<void> {
  const indicatorIds = await codeMap(
    tx,
    `SELECT i.code, i.id FROM indicator i JOIN objective o ON o.id = i.objective_id JOIN pillar p ON p.id = o.pillar_id
       JOIN framework f ON f.id = p.framework_id WHERE f.code = '${fw.code.replace(/'/g, "''")}'`,
  );
  await tx.query('DELETE FROM target WHERE indicator_id = ANY($1::int[])', [[...indicatorIds.values()]]);
  const valid = fw.targets.filter((t: TargetDef, k) => {
    const ok = indicatorIds.has(t.indicator) && orgUnitIds.has(t.orgUnit);
    if (!indicatorIds.has(t.indicator)) errors.push({ row: k + 1, field: 'indicator', code: 'unknown_indicator', message: `target: indicator "${t.indicator}" is not in framework ${fw.code}` });
    if (!orgUnitIds.has(t.orgUnit)) errors.push({ row: k + 1, field: 'org_unit', code: 'unknown_org_unit', message: `target: unknown org unit "${t.orgUnit}"` });
    return ok;
  });
  await tx.query(
    `INSERT INTO target (indicator_id, org_unit_id, period, phase, value)
     SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::float8[])`,
    [
      valid.map((t) => indicatorIds.get(t.indicator)),
      valid.map((t) => orgUnitIds.get(t.orgUnit)),
      valid.map((t) => t.period),
      valid.map((t) => t.phase),
      valid.map((t) => t.value),
    ],
  );
}

interface IndicatorRow {
  framework: string;
  pillar: string;
  objective: string;
  code: string;
  name_en: string;
  name_ur: string;
  definition_en: string;
  definition_ur: string;
  unit_type: IndicatorDef['unitType'];
  aggregation_org: IndicatorDef['aggregationOrg'];
  aggregation_time: IndicatorDef['aggregationTime'];
  polarity: IndicatorDef['polarity'];
  frequency: IndicatorDef['frequency'];
  lowest_level: IndicatorDef['lowestLevel'];
  phase: IndicatorDef['phase'];
  means_of_verification: string;
  baseline_value: number | null;
  baseline_period: string | null;
  min_value: number | null;
  max_value: number | null;
  public: boolean;
  institutions: string[] | null;
  disaggregations: string[] | null;
}

/** Reads frameworks back as FrameworkDef, in their stored order: the inverse of saveFrameworks. */
export async function loadFrameworks(db: Queryable, codes?: string[]): Promise<FrameworkDef[]> {
  const filter = codes?.length ? 'WHERE f.code = ANY($1::text[])' : '';
  const params = codes?.length ? [codes] : [];
  const fws = (await db.query<{ id: number; code: string; name_en: string; name_ur: string; description: string; version: string }>(
    `SELECT f.* FROM framework f ${filter} ORDER BY f.id`, params)).rows;
  const pillars = (await db.query<{ framework: string; code: string; name_en: string; name_ur: string; description: string }>(
    `SELECT f.code AS framework, p.code, p.name_en, p.name_ur, p.description FROM pillar p JOIN framework f ON f.id = p.framework_id
      ${filter} ORDER BY p.sort, p.id`, params)).rows;
  const objectives = (await db.query<{ framework: string; pillar: string; code: string; name_en: string; name_ur: string }>(
    `SELECT f.code AS framework, p.code AS pillar, o.code, o.name_en, o.name_ur FROM objective o
       JOIN pillar p ON p.id = o.pillar_id JOIN framework f ON f.id = p.framework_id ${filter} ORDER BY o.sort, o.id`, params)).rows;
  const indicators = (await db.query<IndicatorRow>(
    `SELECT f.code AS framework, p.code AS pillar, o.code AS objective, i.*,
       (SELECT array_agg(s.code ORDER BY ii.sort) FROM indicator_institution ii JOIN institution s ON s.id = ii.institution_id
         WHERE ii.indicator_id = i.id) AS institutions,
       (SELECT array_agg(c.code ORDER BY idg.sort) FROM indicator_disaggregation idg JOIN disaggregation_category c ON c.id = idg.category_id
         WHERE idg.indicator_id = i.id) AS disaggregations
     FROM indicator i JOIN objective o ON o.id = i.objective_id JOIN pillar p ON p.id = o.pillar_id
       JOIN framework f ON f.id = p.framework_id ${filter} ORDER BY i.sort, i.id`, params)).rows;
  const targets = (await db.query<{ framework: string; indicator: string; org_unit: string; period: string | null; phase: TargetDef['phase']; value: number }>(
    `SELECT f.code AS framework, i.code AS indicator, ou.code AS org_unit, t.period, t.phase, t.value FROM target t
       JOIN indicator i ON i.id = t.indicator_id JOIN org_unit ou ON ou.id = t.org_unit_id JOIN objective o ON o.id = i.objective_id
       JOIN pillar p ON p.id = o.pillar_id JOIN framework f ON f.id = p.framework_id ${filter} ORDER BY t.id`, params)).rows;

  return fws.map((f) => ({
    code: f.code,
    nameEn: f.name_en,
    nameUr: f.name_ur,
    description: f.description,
    version: f.version,
    pillars: pillars.filter((p) => p.framework === f.code).map((p) => ({
      code: p.code,
      nameEn: p.name_en,
      nameUr: p.name_ur,
      description: p.description,
      objectives: objectives.filter((o) => o.framework === f.code && o.pillar === p.code).map((o) => ({
        code: o.code,
        nameEn: o.name_en,
        nameUr: o.name_ur,
        indicators: indicators
          .filter((i) => i.framework === f.code && i.pillar === p.code && i.objective === o.code)
          .map(toIndicatorDef),
      })),
    })),
    targets: targets.filter((t) => t.framework === f.code).map((t) => ({
      indicator: t.indicator,
      orgUnit: t.org_unit,
      period: t.period,
      phase: t.phase,
      value: t.value,
    })),
  }));
}

function toIndicatorDef(i: IndicatorRow): IndicatorDef {
  return {
    code: i.code,
    nameEn: i.name_en,
    nameUr: i.name_ur,
    definitionEn: i.definition_en,
    definitionUr: i.definition_ur,
    unitType: i.unit_type,
    aggregationOrg: i.aggregation_org,
    aggregationTime: i.aggregation_time,
    polarity: i.polarity,
    frequency: i.frequency,
    lowestLevel: i.lowest_level,
    phase: i.phase,
    meansOfVerification: i.means_of_verification,
    institutions: i.institutions ?? [],
    disaggregations: i.disaggregations ?? [],
    baselineValue: i.baseline_value,
    baselinePeriod: i.baseline_period,
    minValue: i.min_value,
    maxValue: i.max_value,
    public: i.public,
  };
}

export async function loadCatalogue(db: Queryable): Promise<DisaggregationCategoryDef[]> {
  const rows = (await db.query<{ cat: string; cat_en: string; cat_ur: string; code: string | null; name_en: string; name_ur: string }>(
    `SELECT c.code AS cat, c.name_en AS cat_en, c.name_ur AS cat_ur, o.code, o.name_en, o.name_ur
       FROM disaggregation_category c LEFT JOIN disaggregation_option o ON o.category_id = c.id ORDER BY c.id, o.sort, o.id`,
  )).rows;
  const out: DisaggregationCategoryDef[] = [];
  for (const r of rows) {
    let cat = out.at(-1);
    if (!cat || cat.code !== r.cat) out.push((cat = { code: r.cat, nameEn: r.cat_en, nameUr: r.cat_ur, options: [] }));
    if (r.code) cat.options.push({ code: r.code, nameEn: r.name_en, nameUr: r.name_ur });
  }
  return out;
}
