/**
 * Reads a DHIS2 metadata export and records which DHIS2 data elements, org units and category option combos
 * stand for which Jaiza indicators, org units and disaggregations, so their data value sets can be imported.
 */
import { z } from 'zod';
import type { Database, Queryable } from '../../db/database.ts';
import { formatDisaggregation } from '../../domain/disaggregation.ts';
import { InputError, type RowError } from '../../domain/row-error.ts';
import { DEFAULT_UIDS } from './dhis2-uid.ts';
import { DHIS2_SYSTEM, indicatorPartRef, parseIndicatorPart, type ExternalObject } from './dhis2-mapping.ts';

const ref = z.object({ id: z.string().min(1) });
const identity = { id: z.string().min(1), code: z.string().nullish(), name: z.string().nullish() };

const metadataSchema = z.object({
  dataElements: z
    .array(
      z.object({
        ...identity,
        shortName: z.string().nullish(),
        valueType: z.string().nullish(),
        aggregationType: z.string().nullish(),
        categoryCombo: ref.nullish(),
      }),
    )
    .default([]),
  organisationUnits: z.array(z.object({ ...identity, level: z.number().int().nullish(), parent: ref.nullish() })).default([]),
  categoryCombos: z
    .array(z.object({ ...identity, categories: z.array(ref).default([]), categoryOptionCombos: z.array(ref).nullish() }))
    .default([]),
  categories: z.array(z.object({ ...identity, categoryOptions: z.array(ref).default([]) })).default([]),
  categoryOptions: z.array(z.object(identity)).default([]),
  categoryOptionCombos: z
    .array(z.object({ ...identity, categoryCombo: ref.nullish(), categoryOptions: z.array(ref).default([]) }))
    .default([]),
});
type Metadata = z.infer<typeof metadataSchema>;
type Identity = { id: string; code?: string | null; name?: string | null };

const OBJECT_ARRAYS = Object.keys(metadataSchema.shape);

export type Dhis2MetadataObjectType = 'dataElement' | 'organisationUnit' | 'categoryOptionCombo';

export interface Dhis2Unmatched {
  objectType: Dhis2MetadataObjectType;
  id: string;
  code: string | null;
  name: string | null;
  reason: string;
}

export interface Dhis2MetadataSummary {
  mapped: { dataElements: number; organisationUnits: number; categoryOptionCombos: number };
  unmatched: Dhis2Unmatched[];
}

/** Maps what it can, reports the rest with a reason; a dry run reports the same and writes nothing. */
export async function importDhis2Metadata(db: Queryable, json: unknown, opts: { dryRun: boolean }): Promise<Dhis2MetadataSummary> {
  const metadata = parseMetadata(json);
  const catalogue = await loadCatalogue(db);
  const unmatched: Dhis2Unmatched[] = [];
  const miss = (objectType: Dhis2MetadataObjectType, o: Identity, reason: string) =>
    unmatched.push({ objectType, id: o.id, code: o.code ?? null, name: o.name ?? null, reason });

  const dataElements = mapDataElements(metadata, catalogue, (o, r) => miss('dataElement', o, r));
  const orgUnits = mapOrgUnits(metadata, catalogue, (o, r) => miss('organisationUnit', o, r));
  const combos = mapCategoryOptionCombos(metadata, catalogue, (o, r) => miss('categoryOptionCombo', o, r));

  if (!opts.dryRun) await saveMappings(db, metadata, dedupe([...dataElements, ...orgUnits, ...combos]));
  return {
    mapped: { dataElements: dataElements.length, organisationUnits: orgUnits.length, categoryOptionCombos: combos.length },
    unmatched,
  };
}

function parseMetadata(json: unknown): Metadata {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError([{ row: 0, field: 'file', code: 'not_dhis2_metadata', message: 'a DHIS2 metadata export is a JSON object' }]);
  }
  if (!OBJECT_ARRAYS.some((k) => k in json)) {
    throw new InputError([
      { row: 0, field: 'file', code: 'not_dhis2_metadata', message: `a DHIS2 metadata export has at least one of ${OBJECT_ARRAYS.join(', ')}` },
    ]);
  }
  const parsed = metadataSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const errors: RowError[] = parsed.error.issues.map((issue) => {
    const [array, index, ...rest] = issue.path;
    const where = typeof index === 'number' ? `${String(array)}[${index}]${rest.map((p) => `.${String(p)}`).join('')}` : issue.path.join('.');
    return { row: 0, field: where || 'file', code: 'invalid_metadata', message: issue.message };
  });
  throw new InputError(errors);
}

interface Catalogue {
  indicators: Map<string, { code: string; unitType: string }>;
  orgUnitsByCode: Map<string, string>;
  /** Lower-cased name or alias → org unit codes bearing it. */
  orgUnitsByName: Map<string, Set<string>>;
  categoriesByCode: Map<string, JaizaCategory>;
  categoriesByName: Map<string, JaizaCategory>;
}

interface JaizaCategory {
  code: string;
  optionsByCode: Map<string, string>;
  optionsByName: Map<string, string>;
}

const lower = (s: string) => s.trim().toLowerCase();

async function loadCatalogue(db: Queryable): Promise<Catalogue> {
  const indicators = await db.query<{ code: string; unit_type: string }>('SELECT code, unit_type FROM indicator');
  const orgUnits = await db.query<{ code: string; name_en: string; aliases: string[] }>('SELECT code, name_en, aliases FROM org_unit');
  const options = await db.query<{ category: string; category_name: string; code: string | null; name_en: string | null }>(
    `SELECT c.code AS category, c.name_en AS category_name, o.code, o.name_en
       FROM disaggregation_category c LEFT JOIN disaggregation_option o ON o.category_id = c.id
      ORDER BY c.code, o.sort, o.code`,
  );
  const cat: Catalogue = {
    indicators: new Map(indicators.rows.map((r) => [lower(r.code), { code: r.code, unitType: r.unit_type }])),
    orgUnitsByCode: new Map(orgUnits.rows.map((r) => [lower(r.code), r.code])),
    orgUnitsByName: new Map(),
    categoriesByCode: new Map(),
    categoriesByName: new Map(),
  };
  for (const ou of orgUnits.rows) {
    for (const name of [ou.name_en, ...ou.aliases]) {
      const codes = cat.orgUnitsByName.get(lower(name)) ?? new Set<string>();
      codes.add(ou.code);
      cat.orgUnitsByName.set(lower(name), codes);
    }
  }
  for (const r of options.rows) {
    let c = cat.categoriesByCode.get(r.category);
    if (!c) {
      c = { code: r.category, optionsByCode: new Map(), optionsByName: new Map() };
      cat.categoriesByCode.set(r.category, c);
      cat.categoriesByName.set(lower(r.category_name), c);
    }
    if (r.code !== null) {
      c.optionsByCode.set(lower(r.code), r.code);
      if (r.name_en) c.optionsByName.set(lower(r.name_en), r.code);
    }
  }
  return cat;
}

type Miss = (o: Identity, reason: string) => void;

function external(objectType: ExternalObject['objectType'], o: Identity, localRef: string): ExternalObject {
  return { objectType, uid: o.id, code: o.code ?? null, name: o.name ?? null, localRef };
}

/** By indicator code; `CODE.NUMERATOR` / `CODE.DENOMINATOR` carry the parts of a percentage indicator. */
function mapDataElements(metadata: Metadata, catalogue: Catalogue, miss: Miss): ExternalObject[] {
  const out: ExternalObject[] = [];
  for (const de of metadata.dataElements) {
    const code = de.code?.trim();
    if (!code) {
      miss(de, 'it has no code; data elements are matched to indicators by code');
      continue;
    }
    const indicator = catalogue.indicators.get(lower(code));
    if (indicator) {
      out.push(external('indicator', de, indicator.code));
      continue;
    }
    const part = parseIndicatorPart(code);
    const base = part && catalogue.indicators.get(lower(part.indicator));
    if (!part || !base) miss(de, `no indicator has the code "${part && !base ? part.indicator : code}"`);
    else if (base.unitType !== 'percentage') miss(de, `${base.code} is a ${base.unitType} indicator, not a percentage: it has no ${part.part}`);
    else out.push(external('indicator_part', de, indicatorPartRef(base.code, part.part)));
  }
  return out;
}

/** By code, else by name or alias; a name several org units share matches none of them. */
function mapOrgUnits(metadata: Metadata, catalogue: Catalogue, miss: Miss): ExternalObject[] {
  const out: ExternalObject[] = [];
  for (const ou of metadata.organisationUnits) {
    const byCode = ou.code ? catalogue.orgUnitsByCode.get(lower(ou.code)) : undefined;
    if (byCode) {
      out.push(external('org_unit', ou, byCode));
      continue;
    }
    const byName = ou.name ? [...(catalogue.orgUnitsByName.get(lower(ou.name)) ?? [])] : [];
    if (byName.length === 1) out.push(external('org_unit', ou, byName[0]!));
    else if (byName.length > 1) miss(ou, `the name "${ou.name}" fits several org units (${byName.sort().join(', ')}); give it one of their codes`);
    else miss(ou, `no org unit has the code "${ou.code ?? ''}" or the name "${ou.name ?? ''}"`);
  }
  return out;
}

/** Each combo becomes the disaggregation key of its options: category code → option code. */
function mapCategoryOptionCombos(metadata: Metadata, catalogue: Catalogue, miss: Miss): ExternalObject[] {
  const combos = new Map(metadata.categoryCombos.map((c) => [c.id, c]));
  const categories = new Map(metadata.categories.map((c) => [c.id, c]));
  const options = new Map(metadata.categoryOptions.map((o) => [o.id, o]));
  const comboOfCoc = new Map<string, string>();
  for (const combo of metadata.categoryCombos) for (const coc of combo.categoryOptionCombos ?? []) comboOfCoc.set(coc.id, combo.id);
  const categoriesOfOption = new Map<string, string[]>();
  for (const c of metadata.categories) {
    for (const o of c.categoryOptions) categoriesOfOption.set(o.id, [...(categoriesOfOption.get(o.id) ?? []), c.id]);
  }

  const out: ExternalObject[] = [];
  for (const coc of metadata.categoryOptionCombos) {
    const comboId = coc.categoryCombo?.id ?? comboOfCoc.get(coc.id);
    const combo = comboId === undefined ? undefined : combos.get(comboId);
    if (isDefault(coc) || (combo && isDefault(combo))) {
      out.push(external('disaggregation', coc, ''));
      continue;
    }
    const key = disaggregationOf(coc, combo, { categories, options, categoriesOfOption }, catalogue);
    if (typeof key === 'string') out.push(external('disaggregation', coc, key));
    else miss(coc, key.reason);
  }
  return out;
}

function isDefault(o: Identity): boolean {
  return lower(o.name ?? '') === 'default' || o.id === DEFAULT_UIDS.categoryOptionCombo || o.id === DEFAULT_UIDS.categoryCombo;
}

function disaggregationOf(
  coc: Metadata['categoryOptionCombos'][number],
  combo: Metadata['categoryCombos'][number] | undefined,
  file: {
    categories: Map<string, Metadata['categories'][number]>;
    options: Map<string, Metadata['categoryOptions'][number]>;
    categoriesOfOption: Map<string, string[]>;
  },
  catalogue: Catalogue,
): string | { reason: string } {
  if (coc.categoryOptions.length === 0) return { reason: 'it lists no category options' };
  const inCombo = combo ? new Set(combo.categories.map((c) => c.id)) : undefined;
  const parts = new Map<string, string>();
  for (const { id } of coc.categoryOptions) {
    const option = file.options.get(id);
    if (!option) return { reason: `its category option "${id}" is not in the file` };
    const categoryId = (file.categoriesOfOption.get(id) ?? []).find((c) => !inCombo || inCombo.has(c));
    const category = categoryId === undefined ? undefined : file.categories.get(categoryId);
    if (!category) return { reason: `its category option ${describe(option)} belongs to no category of its combo in the file` };
    const jaiza =
      (category.code ? catalogue.categoriesByCode.get(lower(category.code)) : undefined) ??
      (category.name ? catalogue.categoriesByName.get(lower(category.name)) : undefined);
    if (!jaiza) return { reason: `category ${describe(category)} is not in Jaiza's disaggregation catalogue` };
    const optionCode = matchOption(jaiza, category.code ?? jaiza.code, option);
    if (!optionCode) {
      const known = [...jaiza.optionsByCode.values()].join(', ');
      return { reason: `category option ${describe(option)} is not an option of "${jaiza.code}" (options: ${known})` };
    }
    if (parts.has(jaiza.code)) return { reason: `it has two options of category "${jaiza.code}"` };
    parts.set(jaiza.code, optionCode);
  }
  return formatDisaggregation(parts);
}

/** By code (bare, or prefixed with the category code as Jaiza's own export writes it), else by name. */
function matchOption(category: JaizaCategory, dhis2CategoryCode: string, option: Identity): string | undefined {
  if (option.code) {
    const code = lower(option.code);
    const direct = category.optionsByCode.get(code);
    if (direct) return direct;
    for (const prefix of new Set([lower(dhis2CategoryCode), category.code])) {
      if (code.startsWith(`${prefix}_`)) {
        const found = category.optionsByCode.get(code.slice(prefix.length + 1));
        if (found) return found;
      }
    }
  }
  return option.name ? category.optionsByName.get(lower(option.name)) : undefined;
}

function describe(o: Identity): string {
  return `"${o.code ?? o.id}"${o.name ? ` (${o.name})` : ''}`;
}

/** A file that lists an object twice keeps its last entry, as one row per object is all external_id holds. */
function dedupe(objects: ExternalObject[]): ExternalObject[] {
  return [...new Map(objects.map((o) => [`${o.objectType}:${o.uid}`, o])).values()];
}

/** Replaces the mappings of every object the file names, so a re-import follows renamed codes. */
async function saveMappings(db: Queryable, metadata: Metadata, objects: ExternalObject[]): Promise<void> {
  const named = [
    ...metadata.dataElements.map((o) => o.id),
    ...metadata.organisationUnits.map((o) => o.id),
    ...metadata.categoryOptionCombos.map((o) => o.id),
  ];
  const write = async (tx: Queryable) => {
    await tx.query(
      `DELETE FROM external_id WHERE system = $1 AND external_id = ANY($2::text[])
          AND object_type IN ('indicator', 'indicator_part', 'org_unit', 'disaggregation')`,
      [DHIS2_SYSTEM, named],
    );
    await tx.query(
      `INSERT INTO external_id (system, object_type, external_id, code, name, local_ref)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [
        DHIS2_SYSTEM,
        objects.map((o) => o.objectType),
        objects.map((o) => o.uid),
        objects.map((o) => o.code),
        objects.map((o) => o.name),
        objects.map((o) => o.localRef),
      ],
    );
  };
  if (isDatabase(db)) await db.transaction(write);
  else await write(db);
}

/** A caller that already holds a transaction passes its Queryable; a Database gets one of its own. */
function isDatabase(db: Queryable): db is Database {
  return typeof (db as Partial<Database>).transaction === 'function';
}
