/**
 * Jaiza's framework, org units and disaggregation catalogue as a DHIS2 metadata import, with uids derived
 * from Jaiza's codes: importing it into DHIS2 and then back into Jaiza maps every object onto itself.
 */
import type { Queryable } from '../../db/database.ts';
import { formatDisaggregation } from '../../domain/disaggregation.ts';
import type { UnitType } from '../../domain/framework.ts';
import { DEFAULT_UIDS, dhis2Uid } from './dhis2-uid.ts';

/** DHIS2's length limits for names and short names. */
const NAME_MAX = 230;
const SHORT_NAME_MAX = 50;

const VALUE_TYPE: Record<UnitType, string> = {
  count: 'INTEGER_ZERO_OR_POSITIVE',
  percentage: 'PERCENTAGE',
  currency: 'NUMBER',
  yes_no: 'BOOLEAN',
  milestone: 'INTEGER_ZERO_OR_POSITIVE',
  index: 'NUMBER',
};

const ORG_UNIT_OPENING_DATE = '1970-01-01';

interface Ref {
  id: string;
}

export interface Dhis2MetadataExport {
  dataElements: {
    id: string;
    code: string;
    name: string;
    shortName: string;
    description: string;
    domainType: 'AGGREGATE';
    valueType: string;
    aggregationType: string;
    zeroIsSignificant: boolean;
    categoryCombo: Ref;
  }[];
  organisationUnits: { id: string; code: string; name: string; shortName: string; level: number; openingDate: string; closedDate?: string; parent?: Ref }[];
  categoryOptions: { id: string; code: string; name: string; shortName: string }[];
  categories: { id: string; code: string; name: string; shortName: string; dataDimensionType: 'DISAGGREGATION'; categoryOptions: Ref[] }[];
  categoryCombos: { id: string; code: string; name: string; dataDimensionType: 'DISAGGREGATION'; categories: Ref[] }[];
  categoryOptionCombos: { id: string; code?: string; name: string; categoryCombo: Ref; categoryOptions: Ref[] }[];
}

function truncate(text: string, max: number, suffix = ''): string {
  return text.length + suffix.length <= max ? text + suffix : text.slice(0, max - suffix.length - 1) + '…' + suffix;
}

/** DHIS2's built-in "default" category model, which every instance has with these uids. */
const DEFAULTS: { [K in Exclude<keyof Dhis2MetadataExport, 'dataElements' | 'organisationUnits'>]: Dhis2MetadataExport[K][number] } = {
  categoryOptions: { id: DEFAULT_UIDS.categoryOption, code: 'default', name: 'default', shortName: 'default' },
  categories: {
    id: DEFAULT_UIDS.category,
    code: 'default',
    name: 'default',
    shortName: 'default',
    dataDimensionType: 'DISAGGREGATION',
    categoryOptions: [{ id: DEFAULT_UIDS.categoryOption }],
  },
  categoryCombos: {
    id: DEFAULT_UIDS.categoryCombo,
    code: 'default',
    name: 'default',
    dataDimensionType: 'DISAGGREGATION',
    categories: [{ id: DEFAULT_UIDS.category }],
  },
  categoryOptionCombos: {
    id: DEFAULT_UIDS.categoryOptionCombo,
    code: 'default',
    name: 'default',
    categoryCombo: { id: DEFAULT_UIDS.categoryCombo },
    categoryOptions: [{ id: DEFAULT_UIDS.categoryOption }],
  },
};

interface Option {
  category: string;
  code: string;
  name: string;
  uid: string;
}

export async function writeDhis2Metadata(db: Queryable): Promise<Dhis2MetadataExport> {
  const catalogue = await db.query<{ category: string; category_name: string; code: string | null; name_en: string | null }>(
    `SELECT c.code AS category, c.name_en AS category_name, o.code, o.name_en
       FROM disaggregation_category c LEFT JOIN disaggregation_option o ON o.category_id = c.id
      ORDER BY c.code, o.sort, o.code`,
  );
  const categoryNames = new Map<string, string>();
  const optionsOf = new Map<string, Option[]>();
  for (const r of catalogue.rows) {
    categoryNames.set(r.category, r.category_name);
    const options = optionsOf.get(r.category) ?? [];
    if (r.code !== null) options.push({ category: r.category, code: r.code, name: r.name_en ?? r.code, uid: dhis2Uid(`categoryOption:${r.category}:${r.code}`) });
    optionsOf.set(r.category, options);
  }

  // DHIS2 wants option names unique across categories: "Yes" of two categories gets the category's name.
  const nameCount = new Map<string, number>();
  for (const options of optionsOf.values()) for (const o of options) nameCount.set(o.name.toLowerCase(), (nameCount.get(o.name.toLowerCase()) ?? 0) + 1);
  const optionName = (o: Option) => ((nameCount.get(o.name.toLowerCase()) ?? 0) > 1 ? `${o.name} (${categoryNames.get(o.category)})` : o.name);

  const categoryOptions: Dhis2MetadataExport['categoryOptions'] = [{ ...DEFAULTS.categoryOptions }];
  const categories: Dhis2MetadataExport['categories'] = [{ ...DEFAULTS.categories }];
  for (const [code, options] of optionsOf) {
    for (const o of options) {
      const name = truncate(optionName(o), NAME_MAX);
      // Codes are unique per object type in DHIS2, so an option's code carries its category's.
      categoryOptions.push({ id: o.uid, code: `${code}_${o.code}`, name, shortName: truncate(name, SHORT_NAME_MAX) });
    }
    const name = categoryNames.get(code) ?? code;
    categories.push({
      id: dhis2Uid(`category:${code}`),
      code,
      name: truncate(name, NAME_MAX),
      shortName: truncate(name, SHORT_NAME_MAX),
      dataDimensionType: 'DISAGGREGATION',
      categoryOptions: options.map((o) => ({ id: o.uid })),
    });
  }

  const indicators = await db.query<{
    code: string;
    name_en: string;
    definition_en: string;
    unit_type: UnitType;
    aggregation_time: string;
    categories: string[];
  }>(
    `SELECT i.code, i.name_en, i.definition_en, i.unit_type, i.aggregation_time,
            coalesce(array_agg(c.code ORDER BY c.code) FILTER (WHERE c.code IS NOT NULL), '{}') AS categories
       FROM indicator i
       LEFT JOIN indicator_disaggregation d ON d.indicator_id = i.id
       LEFT JOIN disaggregation_category c ON c.id = d.category_id
      GROUP BY i.id ORDER BY i.code`,
  );

  const categoryCombos: Dhis2MetadataExport['categoryCombos'] = [{ ...DEFAULTS.categoryCombos }];
  const categoryOptionCombos: Dhis2MetadataExport['categoryOptionCombos'] = [{ ...DEFAULTS.categoryOptionCombos }];
  const comboIds = new Map<string, string>();
  const comboFor = (codes: string[]): string => {
    if (codes.length === 0) return DEFAULT_UIDS.categoryCombo;
    const key = codes.join(',');
    const known = comboIds.get(key);
    if (known) return known;
    const id = dhis2Uid(`categoryCombo:${key}`);
    comboIds.set(key, id);
    categoryCombos.push({
      id,
      code: codes.join('_'),
      name: truncate(codes.map((c) => categoryNames.get(c) ?? c).join(' and '), NAME_MAX),
      dataDimensionType: 'DISAGGREGATION',
      categories: codes.map((c) => ({ id: dhis2Uid(`category:${c}`) })),
    });
    for (const options of product(codes.map((c) => optionsOf.get(c) ?? []))) {
      const disaggregation = formatDisaggregation(new Map(options.map((o) => [o.category, o.code])));
      categoryOptionCombos.push({
        id: dhis2Uid(`categoryOptionCombo:${disaggregation}`),
        name: truncate(options.map(optionName).join(', '), NAME_MAX),
        categoryCombo: { id },
        categoryOptions: options.map((o) => ({ id: o.uid })),
      });
    }
    return id;
  };

  const dataElements: Dhis2MetadataExport['dataElements'] = [];
  for (const i of indicators.rows) {
    const categoryCombo = { id: comboFor(i.categories) };
    const element = (code: string, suffix: string, valueType: string, aggregationType: string) => ({
      id: dhis2Uid(`dataElement:${code}`),
      code,
      name: truncate(`${i.code} ${i.name_en}`, NAME_MAX, suffix),
      shortName: truncate(`${i.code} ${i.name_en}`, SHORT_NAME_MAX, suffix),
      description: i.definition_en,
      domainType: 'AGGREGATE' as const,
      valueType,
      aggregationType,
      zeroIsSignificant: true,
      categoryCombo,
    });
    const overTime = i.aggregation_time === 'last' ? 'LAST' : 'SUM';
    if (i.unit_type === 'percentage') {
      // DHIS2 cannot sum percentages; its parts are what aggregate, and the percentage itself is averaged.
      dataElements.push(element(i.code, '', VALUE_TYPE.percentage, 'AVERAGE'));
      dataElements.push(element(`${i.code}.NUMERATOR`, ' (numerator)', 'NUMBER', overTime));
      dataElements.push(element(`${i.code}.DENOMINATOR`, ' (denominator)', 'NUMBER', overTime));
    } else {
      dataElements.push(element(i.code, '', VALUE_TYPE[i.unit_type], overTime));
    }
  }

  const orgUnits = await db.query<{
    code: string;
    name_en: string;
    parent: string | null;
    valid_from: string | null;
    valid_to: string | null;
  }>(
    `SELECT o.code, o.name_en, p.code AS parent,
            to_char(o.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(o.valid_to, 'YYYY-MM-DD') AS valid_to
       FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id ORDER BY o.code`,
  );
  const parentOf = new Map(orgUnits.rows.map((o) => [o.code, o.parent]));
  const levelOf = (code: string): number => {
    let level = 1;
    for (let p = parentOf.get(code); p; p = parentOf.get(p)) level++;
    return level;
  };
  // Parents first, as DHIS2 builds the hierarchy in file order.
  const organisationUnits = orgUnits.rows
    .map((o) => ({
      id: dhis2Uid(`organisationUnit:${o.code}`),
      code: o.code,
      name: truncate(o.name_en, NAME_MAX),
      shortName: truncate(o.name_en, SHORT_NAME_MAX),
      level: levelOf(o.code),
      openingDate: o.valid_from ?? ORG_UNIT_OPENING_DATE,
      ...(o.valid_to ? { closedDate: o.valid_to } : {}),
      ...(o.parent ? { parent: { id: dhis2Uid(`organisationUnit:${o.parent}`) } } : {}),
    }))
    .sort((a, b) => a.level - b.level || (a.code < b.code ? -1 : 1));

  return { dataElements, organisationUnits, categoryOptions, categories, categoryCombos, categoryOptionCombos };
}

/** Every combination taking one item from each list. */
function product<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);
}
