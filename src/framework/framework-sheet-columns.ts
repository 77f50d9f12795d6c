/**
 * The results framework as tables: the sheets and columns an M&E officer edits, and the one conversion
 * between those tables and FrameworkDef. The XLSX and CSV formats both go through here, so they cannot drift apart.
 */
import {
  AGGREGATIONS,
  PHASES,
  POLARITIES,
  REPORTING_LEVELS,
  UNIT_TYPES,
  isRatio,
  unitRange,
  type DisaggregationCategoryDef,
  type FrameworkDef,
  type IndicatorDef,
  type ObjectiveDef,
  type PillarDef,
  type TargetDef,
} from '../domain/framework.ts';
import { PERIOD_TYPES, PeriodError, parsePeriod } from '../domain/period.ts';
import { InputError, type RowError } from '../domain/row-error.ts';

/** The disaggregation catalogue travels with the frameworks; its type lives with the other framework types. */
export type { DisaggregationCategoryDef };

/** What a framework spreadsheet holds. */
export interface FrameworkSheetContent {
  frameworks: FrameworkDef[];
  catalogue: DisaggregationCategoryDef[];
}

export type SheetKey = 'frameworks' | 'pillars' | 'objectives' | 'indicators' | 'targets' | 'disaggregations';

export interface SheetColumn {
  name: string;
  /** Column width in characters, for XLSX. */
  width: number;
  /** The allowed values of an enum column (a dropdown in XLSX). */
  values?: readonly string[];
  /** Urdu text: right-aligned, right to left. */
  urdu?: boolean;
  /** Long free text: wrapped. */
  long?: boolean;
  /** A column added after workbooks were already in use: a workbook without it still reads, as if it were empty. */
  optional?: boolean;
}

export interface FrameworkSheet {
  key: SheetKey;
  /** The XLSX sheet name. */
  sheetName: string;
  /** The CSV file name. */
  fileName: string;
  /** How to edit it, for the README sheet. */
  about: string;
  columns: readonly SheetColumn[];
}

const codeColumn = (name: string): SheetColumn => ({ name, width: 14 });
const englishName = (name = 'name_en'): SheetColumn => ({ name, width: 40 });
const urduName = (name = 'name_ur'): SheetColumn => ({ name, width: 40, urdu: true });
const longText = (name: string, urdu = false): SheetColumn => ({ name, width: 60, long: true, urdu });
const choice = (name: string, values: readonly string[]): SheetColumn => ({ name, width: 16, values });
const numeric = (name: string): SheetColumn => ({ name, width: 14 });

/** How a yes/no column is written. */
const YES_NO = ['yes', 'no'] as const;

/** In sheet order; the CSV folder holds the same tables, one file each. */
export const FRAMEWORK_SHEETS: readonly FrameworkSheet[] = [
  {
    key: 'frameworks',
    sheetName: 'Frameworks',
    fileName: 'frameworks.csv',
    about:
      'One row per results framework. Its code is how every other sheet refers to it. ' +
      'version is free text, e.g. 2024.1.',
    columns: [codeColumn('code'), englishName(), urduName(), longText('description'), { name: 'version', width: 10 }],
  },
  {
    key: 'pillars',
    sheetName: 'Pillars',
    fileName: 'pillars.csv',
    about:
      'One row per pillar; framework is a code from Frameworks. Pillar codes are unique within their framework. ' +
      'The order of the rows is the order in which pillars are shown.',
    columns: [codeColumn('framework'), codeColumn('code'), englishName(), urduName(), longText('description')],
  },
  {
    key: 'objectives',
    sheetName: 'Objectives',
    fileName: 'objectives.csv',
    about:
      'One row per objective, placed under a pillar by its framework and pillar codes. Objective codes are unique ' +
      'within their pillar. The order of the rows is the order in which objectives are shown.',
    columns: [codeColumn('framework'), codeColumn('pillar'), codeColumn('code'), englishName(), urduName()],
  },
  {
    key: 'indicators',
    sheetName: 'Indicators',
    fileName: 'indicators.csv',
    about:
      'One row per indicator, placed by its framework, pillar and objective codes. Indicator codes are unique across ' +
      'all frameworks. institutions: institution codes separated by ";", the lead institution first. ' +
      'disaggregations: category codes from the Disaggregations sheet separated by ";". ' +
      'baseline_value and baseline_period go together; periods are written 2025Q3, 202509, 2025S2, 2025 or 2025July ' +
      '(fiscal year July 2025 to June 2026). A percentage must use ratio for both aggregations: percentages ' +
      'aggregate as Σnumerator/Σdenominator, never as an average; ratio is only for percentages. ' +
      'Leave min_value and max_value empty when the unit type sets the range. ' +
      'public: yes puts the indicator on the transparency portal and in open data (accepted values only, after ' +
      'small-cell suppression); no or empty keeps it internal.',
    columns: [
      codeColumn('framework'),
      codeColumn('pillar'),
      codeColumn('objective'),
      codeColumn('code'),
      englishName(),
      urduName(),
      longText('definition_en'),
      longText('definition_ur', true),
      choice('unit_type', UNIT_TYPES),
      choice('aggregation_org', AGGREGATIONS),
      choice('aggregation_time', AGGREGATIONS),
      choice('polarity', POLARITIES),
      choice('frequency', PERIOD_TYPES),
      choice('lowest_level', REPORTING_LEVELS),
      choice('phase', PHASES),
      longText('means_of_verification'),
      { name: 'institutions', width: 30 },
      { name: 'disaggregations', width: 20 },
      numeric('baseline_value'),
      { name: 'baseline_period', width: 14 },
      numeric('min_value'),
      numeric('max_value'),
      { name: 'public', width: 8, values: YES_NO, optional: true },
    ],
  },
  {
    key: 'targets',
    sheetName: 'Targets',
    fileName: 'targets.csv',
    about:
      'One row per target: an indicator of the framework, an org unit code, and either a period (the target for ' +
      'that period) or a phase (the end-of-phase target), never both. value is a number in the unit of the indicator.',
    columns: [
      codeColumn('framework'),
      codeColumn('indicator'),
      codeColumn('org_unit'),
      { name: 'period', width: 12 },
      choice('phase', PHASES),
      numeric('value'),
    ],
  },
  {
    key: 'disaggregations',
    sheetName: 'Disaggregations',
    fileName: 'disaggregations.csv',
    about:
      'The disaggregation catalogue shared by all frameworks: one row per option, with its category repeated on ' +
      'every row. A category without options has one row with the option columns empty. Category codes use ' +
      'lowercase letters, digits and _ (e.g. sex, age); option codes use letters, digits and + . _ - (e.g. F, 15-19).',
    columns: [
      codeColumn('category'),
      englishName('category_name_en'),
      urduName('category_name_ur'),
      codeColumn('option'),
      englishName('option_name_en'),
      urduName('option_name_ur'),
    ],
  },
];

export function frameworkSheet(key: SheetKey): FrameworkSheet {
  const sheet = FRAMEWORK_SHEETS.find((s) => s.key === key);
  if (!sheet) throw new Error(`no framework sheet ${key}`);
  return sheet;
}

// ---------------------------------------------------------------------------------------------------------------
// FrameworkDef → tables

/** A cell to write: text, a number, or empty. */
export type SheetCell = string | number | null;

/** The data rows of every sheet (without the header row), cells in column order. */
export function frameworkSheetRows(
  frameworks: FrameworkDef[],
  catalogue: DisaggregationCategoryDef[],
): Record<SheetKey, SheetCell[][]> {
  const records: Record<SheetKey, Record<string, SheetCell>[]> = {
    frameworks: [],
    pillars: [],
    objectives: [],
    indicators: [],
    targets: [],
    disaggregations: [],
  };
  for (const f of frameworks) {
    records.frameworks.push({ ...names(f), description: f.description, version: f.version });
    for (const p of f.pillars) {
      records.pillars.push({ framework: f.code, ...names(p), description: p.description });
      for (const o of p.objectives) {
        records.objectives.push({ framework: f.code, pillar: p.code, ...names(o) });
        for (const i of o.indicators) {
          records.indicators.push({ framework: f.code, pillar: p.code, objective: o.code, ...indicatorRecord(i) });
        }
      }
    }
    for (const t of f.targets) {
      records.targets.push({
        framework: f.code,
        indicator: t.indicator,
        org_unit: t.orgUnit,
        period: t.period,
        phase: t.phase,
        value: t.value,
      });
    }
  }
  for (const c of catalogue) {
    const category = { category: c.code, category_name_en: c.nameEn, category_name_ur: c.nameUr };
    if (c.options.length === 0) records.disaggregations.push(category);
    for (const o of c.options) {
      records.disaggregations.push({ ...category, option: o.code, option_name_en: o.nameEn, option_name_ur: o.nameUr });
    }
  }
  const out = {} as Record<SheetKey, SheetCell[][]>;
  for (const sheet of FRAMEWORK_SHEETS) {
    out[sheet.key] = records[sheet.key].map((r) => sheet.columns.map((c) => blankToNull(r[c.name])));
  }
  return out;
}

function names(n: { code: string; nameEn: string; nameUr: string }): Record<string, SheetCell> {
  return { code: n.code, name_en: n.nameEn, name_ur: n.nameUr };
}

function indicatorRecord(i: IndicatorDef): Record<string, SheetCell> {
  return {
    ...names(i),
    definition_en: i.definitionEn,
    definition_ur: i.definitionUr,
    unit_type: i.unitType,
    aggregation_org: i.aggregationOrg,
    aggregation_time: i.aggregationTime,
    polarity: i.polarity,
    frequency: i.frequency,
    lowest_level: i.lowestLevel,
    phase: i.phase,
    means_of_verification: i.meansOfVerification,
    institutions: i.institutions.join(';'),
    disaggregations: i.disaggregations.join(';'),
    baseline_value: i.baselineValue,
    baseline_period: i.baselinePeriod,
    min_value: i.minValue,
    max_value: i.maxValue,
    public: i.public ? 'yes' : 'no',
  };
}

/** An empty text is an empty cell, the same as null. */
function blankToNull(v: SheetCell | undefined): SheetCell {
  return v === undefined || v === '' ? null : v;
}

// ---------------------------------------------------------------------------------------------------------------
// tables → FrameworkDef

/** A cell as read: its text, or why it cannot be read (e.g. a formula that evaluated to #REF!). */
export type ReadCell = string | { unreadable: string };

export interface SheetTable {
  /** The row number of the header row (1 unless a CSV file starts with blank lines). */
  headerRow: number;
  header: ReadCell[];
  /** Rows after the header, each with its spreadsheet row or CSV line number. */
  rows: { row: number; cells: ReadCell[] }[];
}

/** Sheets in an XLSX workbook, files in a CSV folder: how error messages name a table. */
export type TableSource = 'sheet' | 'file';

/**
 * Converts the tables to frameworks and the catalogue, checking every cell and every reference.
 * Throws one InputError with every problem found. earlierErrors are problems the caller already found
 * (a file that is not UTF-8, a CSV syntax error); they are reported together with the rest, and a table
 * they name is not reported missing again.
 */
export function frameworkFromSheetTables(
  source: TableSource,
  tables: Partial<Record<SheetKey, SheetTable>>,
  earlierErrors: RowError[] = [],
): FrameworkSheetContent {
  const log = new ErrorLog(source, earlierErrors);
  const columns = new Map<SheetKey, Map<string, number>>();
  for (const sheet of FRAMEWORK_SHEETS) {
    const label = log.label(sheet);
    const table = tables[sheet.key];
    if (!table) {
      if (!earlierErrors.some((e) => e.sheet === label)) {
        log.add(label, 0, '', 'missing_sheet', `${source} '${label}' is missing`);
      }
      continue;
    }
    const found = headerColumns(sheet, table, log);
    if (found) columns.set(sheet.key, found);
  }
  // Rows are only checked against a complete set of headers; otherwise every row would repeat the header problem.
  if (log.errors.length > 0) throw log.toInputError();

  const rowsOf = (key: SheetKey) => dataRows(frameworkSheet(key), tables[key]!, columns.get(key)!, log);
  const catalogue = readCatalogue(rowsOf('disaggregations'));
  const frameworks = readFrameworks(rowsOf('frameworks'));
  readPillars(rowsOf('pillars'), frameworks);
  readObjectives(rowsOf('objectives'), frameworks);
  readIndicators(rowsOf('indicators'), frameworks, catalogue);
  readTargets(rowsOf('targets'), frameworks);
  if (log.errors.length > 0) throw log.toInputError();
  return { frameworks: [...frameworks.values()].map((f) => f.def), catalogue: [...catalogue.values()] };
}

class ErrorLog {
  readonly errors: RowError[];
  constructor(
    readonly source: TableSource,
    earlier: RowError[],
  ) {
    this.errors = [...earlier];
  }

  label(sheet: FrameworkSheet): string {
    return this.source === 'sheet' ? sheet.sheetName : sheet.fileName;
  }

  add(sheet: string, row: number, field: string, code: string, message: string): void {
    this.errors.push({ sheet, row, field, code, message });
  }

  /** Errors in sheet order, then row order, however they were found. */
  toInputError(): InputError {
    const order = (e: RowError) => FRAMEWORK_SHEETS.findIndex((s) => this.label(s) === e.sheet);
    return new InputError([...this.errors].sort((a, b) => order(a) - order(b) || a.row - b.row));
  }
}

/** Maps column name → cell index, or null when the header is unusable (the problems are logged). */
function headerColumns(sheet: FrameworkSheet, table: SheetTable, log: ErrorLog): Map<string, number> | null {
  const label = log.label(sheet);
  const expected = sheet.columns.map((c) => c.name);
  const found = new Map<string, number>();
  const before = log.errors.length;
  table.header.forEach((cell, index) => {
    const name = typeof cell === 'string' ? cell.trim().toLowerCase() : '';
    if (name === '') return;
    if (!expected.includes(name)) {
      log.add(label, table.headerRow, name, 'unknown_column', `column '${name}' is not one of: ${expected.join(', ')}`);
    } else if (found.has(name)) {
      log.add(label, table.headerRow, name, 'duplicate_column', `column '${name}' appears twice`);
    } else {
      found.set(name, index);
    }
  });
  for (const { name, optional } of sheet.columns) {
    if (!found.has(name) && !optional) {
      log.add(
        label,
        table.headerRow,
        name,
        'missing_column',
        `${log.source} '${label}' has no column '${name}'; the header row must hold: ${expected.join(', ')}`,
      );
    }
  }
  return log.errors.length === before ? found : null;
}

/** The non-blank data rows of a table, as readers. */
function dataRows(sheet: FrameworkSheet, table: SheetTable, columns: Map<string, number>, log: ErrorLog): RowReader[] {
  const used = new Set(columns.values());
  const optional = new Set(sheet.columns.filter((c) => c.optional).map((c) => c.name));
  const readers: RowReader[] = [];
  for (const { row, cells } of table.rows) {
    if (cells.every((c) => typeof c === 'string' && c.trim() === '')) continue;
    cells.forEach((cell, index) => {
      if (!used.has(index) && !(typeof cell === 'string' && cell.trim() === '')) {
        log.add(
          log.label(sheet),
          row,
          `column ${index + 1}`,
          'cell_without_column',
          'this cell has no column name in the header row; move it or remove it',
        );
      }
    });
    readers.push(new RowReader(log.label(sheet), row, cells, columns, optional, log));
  }
  return readers;
}

/** Codes of frameworks, pillars, objectives, indicators, org units and institutions. */
const CODE = /^[^\s;]+$/;
/** The patterns the database enforces on disaggregation codes (they also appear in `sex=F;age=15-19` keys). */
const CATEGORY_CODE = /^[a-z][a-z0-9_]*$/;
const OPTION_CODE = /^[A-Za-z0-9+._-]+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** Reads typed values from one row. Each problem is logged with row and column, and a harmless fallback returned. */
class RowReader {
  constructor(
    readonly sheet: string,
    readonly row: number,
    private readonly cells: ReadCell[],
    private readonly columns: Map<string, number>,
    private readonly optional: ReadonlySet<string>,
    private readonly log: ErrorLog,
  ) {}

  private readonly failed = new Set<string>();

  fail(field: string, code: string, message: string): void {
    this.failed.add(field);
    this.log.add(this.sheet, this.row, field, code, message);
  }

  /** True when none of the fields has a problem, so rules combining them can be checked. */
  ok(...fields: string[]): boolean {
    return fields.every((f) => !this.failed.has(f));
  }

  /** How a message names another table of the same source: "on the Pillars sheet", "in pillars.csv". */
  where(key: SheetKey): string {
    const sheet = frameworkSheet(key);
    return this.log.source === 'sheet' ? `on the ${sheet.sheetName} sheet` : `in ${sheet.fileName}`;
  }

  /** The trimmed text, or undefined when the cell is unreadable (reported once). */
  private raw(field: string): string | undefined {
    const index = this.columns.get(field);
    if (index === undefined && this.optional.has(field)) return '';
    if (index === undefined) throw new Error(`${this.sheet} has no column ${field}`);
    const cell = this.cells[index] ?? '';
    if (typeof cell === 'string') return cell.trim();
    if (!this.failed.has(field)) this.fail(field, 'unreadable_cell', cell.unreadable);
    return undefined;
  }

  text(field: string): string {
    return this.raw(field) ?? '';
  }

  required(field: string): string {
    const value = this.raw(field);
    if (value === '') this.fail(field, 'required', `${field} is required`);
    return value ?? '';
  }

  code(field: string, pattern = CODE, rule = "may not contain spaces or ';'"): string {
    const value = this.required(field);
    if (value !== '' && !pattern.test(value)) this.fail(field, 'invalid_code', `${field} "${value}" ${rule}`);
    return value;
  }

  optionalCode(field: string, pattern: RegExp, rule: string): string {
    return this.text(field) === '' ? '' : this.code(field, pattern, rule);
  }

  choice<T extends string>(field: string, values: readonly T[]): T {
    if (this.raw(field) === '') this.fail(field, 'required', `${field} is required: one of ${values.join(', ')}`);
    return this.optionalChoice(field, values) ?? values[0]!;
  }

  optionalChoice<T extends string>(field: string, values: readonly T[]): T | null {
    const value = this.raw(field);
    if (!value) return null;
    const match = values.find((v) => v === value.toLowerCase());
    if (!match) this.fail(field, 'not_allowed', `${field} "${value}" is not one of ${values.join(', ')}`);
    return match ?? null;
  }

  number(field: string): number | null {
    const value = this.raw(field);
    if (!value) return null;
    const n = NUMBER.test(value) || GROUPED_NUMBER.test(value) ? Number(value.replaceAll(',', '')) : NaN;
    if (Number.isFinite(n)) return n;
    const hint = value.endsWith('%')
      ? `; write a percentage as a plain number (${value.slice(0, -1)}, not ${value})`
      : '';
    this.fail(field, 'not_a_number', `${field} "${value}" is not a number${hint}`);
    return null;
  }

  requiredNumber(field: string): number {
    if (this.raw(field) === '') this.fail(field, 'required', `${field} is required`);
    return this.number(field) ?? 0;
  }

  period(field: string): string | null {
    const value = this.raw(field);
    if (!value) return null;
    try {
      return parsePeriod(value).code;
    } catch (e) {
      if (!(e instanceof PeriodError)) throw e;
      this.fail(field, 'invalid_period', e.message);
      return null;
    }
  }

  /** A `;`-separated list of codes, each at most once. */
  codeList(field: string): string[] {
    const items = this.text(field)
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    items.forEach((item, i) => {
      if (!CODE.test(item)) this.fail(field, 'invalid_code', `${field}: "${item}" may not contain spaces`);
      else if (items.indexOf(item) !== i) this.fail(field, 'duplicate_code', `${field}: "${item}" is listed twice`);
    });
    return items;
  }
}

interface FrameworkEntry {
  def: FrameworkDef;
  pillars: Map<string, { def: PillarDef; objectives: Map<string, ObjectiveDef> }>;
  indicators: Map<string, IndicatorDef>;
}

function readCatalogue(rows: RowReader[]): Map<string, DisaggregationCategoryDef> {
  const catalogue = new Map<string, DisaggregationCategoryDef>();
  const categoryRule = 'must be lowercase letters, digits and _, starting with a letter (e.g. sex, age_group)';
  const optionRule = 'may only hold letters, digits and + . _ - (e.g. F, 15-19, 30+)';
  const optionRows = new Map<string, number>();
  for (const r of rows) {
    const code = r.code('category', CATEGORY_CODE, categoryRule);
    if (code === '') continue;
    let category = catalogue.get(code);
    if (!category) {
      category = { code, nameEn: r.required('category_name_en'), nameUr: r.text('category_name_ur'), options: [] };
      catalogue.set(code, category);
    } else {
      // The category repeats on every option row; a differing name would be lost, so it is an error.
      const names = [
        ['category_name_en', category.nameEn],
        ['category_name_ur', category.nameUr],
      ] as const;
      for (const [field, name] of names) {
        const here = r.text(field);
        if (here !== '' && here !== name) {
          r.fail(field, 'inconsistent_name', `category "${code}" is named "${name}" on an earlier row, here "${here}"`);
        }
      }
    }
    const option = r.optionalCode('option', OPTION_CODE, optionRule);
    if (option === '') continue;
    const key = `${code}=${option}`;
    const first = optionRows.get(key);
    if (first !== undefined) {
      r.fail('option', 'duplicate_code', `option "${option}" of category "${code}" is already on row ${first}`);
      continue;
    }
    optionRows.set(key, r.row);
    category.options.push({ code: option, nameEn: r.required('option_name_en'), nameUr: r.text('option_name_ur') });
  }
  return catalogue;
}

function readFrameworks(rows: RowReader[]): Map<string, FrameworkEntry> {
  const frameworks = new Map<string, FrameworkEntry>();
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const code = r.code('code');
    const def: FrameworkDef = {
      code,
      nameEn: r.required('name_en'),
      nameUr: r.text('name_ur'),
      description: r.text('description'),
      version: r.text('version'),
      pillars: [],
      targets: [],
    };
    if (code === '') continue;
    if (firstRow.has(code)) {
      r.fail('code', 'duplicate_code', `framework code "${code}" is already used on row ${firstRow.get(code)}`);
      continue;
    }
    firstRow.set(code, r.row);
    frameworks.set(code, { def, pillars: new Map(), indicators: new Map() });
  }
  return frameworks;
}

/** The framework a row names in its framework column, or undefined (reported) when there is none. */
function frameworkOf(r: RowReader, frameworks: Map<string, FrameworkEntry>): FrameworkEntry | undefined {
  const code = r.required('framework');
  const framework = frameworks.get(code);
  if (!framework && code !== '') {
    r.fail('framework', 'unknown_framework', `framework "${code}" is not ${r.where('frameworks')}`);
  }
  return framework;
}

function readPillars(rows: RowReader[], frameworks: Map<string, FrameworkEntry>): void {
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const framework = frameworkOf(r, frameworks);
    const code = r.code('code');
    const pillar: PillarDef = {
      code,
      nameEn: r.required('name_en'),
      nameUr: r.text('name_ur'),
      description: r.text('description'),
      objectives: [],
    };
    if (!framework || code === '') continue;
    const key = `${framework.def.code}/${code}`;
    if (firstRow.has(key)) {
      r.fail(
        'code',
        'duplicate_code',
        `pillar "${code}" of framework "${framework.def.code}" is already on row ${firstRow.get(key)}`,
      );
      continue;
    }
    firstRow.set(key, r.row);
    framework.def.pillars.push(pillar);
    framework.pillars.set(code, { def: pillar, objectives: new Map() });
  }
}

function pillarOf(r: RowReader, frameworks: Map<string, FrameworkEntry>) {
  const framework = frameworkOf(r, frameworks);
  const code = r.required('pillar');
  if (!framework || code === '') return undefined;
  const pillar = framework.pillars.get(code);
  if (!pillar) {
    r.fail(
      'pillar',
      'unknown_pillar',
      `pillar "${code}" is not a pillar of framework "${framework.def.code}" ${r.where('pillars')}`,
    );
    return undefined;
  }
  return { framework, pillar };
}

function readObjectives(rows: RowReader[], frameworks: Map<string, FrameworkEntry>): void {
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const parent = pillarOf(r, frameworks);
    const code = r.code('code');
    const objective: ObjectiveDef = { code, nameEn: r.required('name_en'), nameUr: r.text('name_ur'), indicators: [] };
    if (!parent || code === '') continue;
    const key = `${parent.framework.def.code}/${parent.pillar.def.code}/${code}`;
    if (firstRow.has(key)) {
      r.fail(
        'code',
        'duplicate_code',
        `objective "${code}" of pillar "${parent.pillar.def.code}" is already on row ${firstRow.get(key)}`,
      );
      continue;
    }
    firstRow.set(key, r.row);
    parent.pillar.def.objectives.push(objective);
    parent.pillar.objectives.set(code, objective);
  }
}

function readIndicators(
  rows: RowReader[],
  frameworks: Map<string, FrameworkEntry>,
  catalogue: Map<string, DisaggregationCategoryDef>,
): void {
  // Indicator codes are unique across frameworks: data values and targets name an indicator by its code alone.
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const parent = pillarOf(r, frameworks);
    const objectiveCode = r.required('objective');
    const objective = parent?.pillar.objectives.get(objectiveCode);
    if (parent && objectiveCode !== '' && !objective) {
      r.fail(
        'objective',
        'unknown_objective',
        `objective "${objectiveCode}" is not an objective of pillar "${parent.pillar.def.code}" in framework "${parent.framework.def.code}" ${r.where('objectives')}`,
      );
    }
    const indicator = readIndicator(r, catalogue);
    if (indicator.code === '') continue;
    if (firstRow.has(indicator.code)) {
      r.fail(
        'code',
        'duplicate_code',
        `indicator code "${indicator.code}" is already used on row ${firstRow.get(indicator.code)}; indicator codes are unique across all frameworks`,
      );
      continue;
    }
    firstRow.set(indicator.code, r.row);
    if (!parent || !objective) continue;
    objective.indicators.push(indicator);
    parent.framework.indicators.set(indicator.code, indicator);
  }
}

function readIndicator(r: RowReader, catalogue: Map<string, DisaggregationCategoryDef>): IndicatorDef {
  const indicator: IndicatorDef = {
    code: r.code('code'),
    nameEn: r.required('name_en'),
    nameUr: r.text('name_ur'),
    definitionEn: r.text('definition_en'),
    definitionUr: r.text('definition_ur'),
    unitType: r.choice('unit_type', UNIT_TYPES),
    aggregationOrg: r.choice('aggregation_org', AGGREGATIONS),
    aggregationTime: r.choice('aggregation_time', AGGREGATIONS),
    polarity: r.choice('polarity', POLARITIES),
    frequency: r.choice('frequency', PERIOD_TYPES),
    lowestLevel: r.choice('lowest_level', REPORTING_LEVELS),
    phase: r.choice('phase', PHASES),
    meansOfVerification: r.text('means_of_verification'),
    institutions: r.codeList('institutions'),
    disaggregations: r.codeList('disaggregations'),
    baselineValue: r.number('baseline_value'),
    baselinePeriod: r.period('baseline_period'),
    minValue: r.number('min_value'),
    maxValue: r.number('max_value'),
    public: r.optionalChoice('public', YES_NO) === 'yes',
  };
  for (const category of indicator.disaggregations) {
    if (!catalogue.has(category)) {
      r.fail(
        'disaggregations',
        'unknown_disaggregation',
        `disaggregation category "${category}" is not ${r.where('disaggregations')}`,
      );
    }
  }
  if (r.ok('unit_type', 'aggregation_org', 'aggregation_time')) checkAggregation(r, indicator);
  if (r.ok('unit_type', 'min_value', 'max_value', 'baseline_value')) checkRange(r, indicator);
  if ((r.text('baseline_value') === '') !== (r.text('baseline_period') === '')) {
    const missing = r.text('baseline_value') === '' ? 'baseline_value' : 'baseline_period';
    r.fail(missing, 'incomplete_baseline', 'a baseline needs both baseline_value and baseline_period');
  }
  return indicator;
}

function checkAggregation(r: RowReader, i: IndicatorDef): void {
  for (const field of ['aggregation_org', 'aggregation_time'] as const) {
    const aggregation = field === 'aggregation_org' ? i.aggregationOrg : i.aggregationTime;
    if (isRatio(i.unitType) && aggregation !== 'ratio') {
      r.fail(
        field,
        'percentage_not_ratio',
        `a percentage must aggregate as ratio, not ${aggregation}: percentages aggregate as Σnumerator/Σdenominator, never as an average or a sum of percentages`,
      );
    } else if (!isRatio(i.unitType) && aggregation === 'ratio') {
      r.fail(
        field,
        'ratio_not_percentage',
        `ratio needs a numerator and a denominator, which only percentages carry; a ${i.unitType} aggregates as sum or last`,
      );
    }
  }
}

/** The unit type's range narrowed by the indicator's own minimum and maximum. */
function allowedRange(i: IndicatorDef): { min: number | null; max: number | null; integer: boolean } {
  const unit = unitRange(i.unitType);
  const narrower = (a: number | null, b: number | null, pick: (x: number, y: number) => number) =>
    a === null ? b : b === null ? a : pick(a, b);
  return {
    min: narrower(unit.min, i.minValue, Math.max),
    max: narrower(unit.max, i.maxValue, Math.min),
    integer: unit.integer,
  };
}

function checkRange(r: RowReader, i: IndicatorDef): void {
  const unit = unitRange(i.unitType);
  if (i.minValue !== null && unit.min !== null && i.minValue < unit.min) {
    r.fail(
      'min_value',
      'out_of_range',
      `min_value ${i.minValue} is below ${unit.min}, the least a ${i.unitType} can be`,
    );
  }
  if (i.maxValue !== null && unit.max !== null && i.maxValue > unit.max) {
    r.fail(
      'max_value',
      'out_of_range',
      `max_value ${i.maxValue} is above ${unit.max}, the most a ${i.unitType} can be`,
    );
  }
  if (i.minValue !== null && i.maxValue !== null && i.minValue > i.maxValue) {
    r.fail('min_value', 'min_above_max', `min_value ${i.minValue} is above max_value ${i.maxValue}`);
  }
  if (i.baselineValue !== null && r.ok('min_value', 'max_value')) checkValue(r, 'baseline_value', i.baselineValue, i);
}

/** A baseline or target value must be one the indicator can take. */
function checkValue(r: RowReader, field: string, value: number, i: IndicatorDef): void {
  const range = allowedRange(i);
  if (range.min !== null && value < range.min) {
    r.fail(field, 'out_of_range', `${field} ${value} is below ${range.min}, the least indicator ${i.code} allows`);
  } else if (range.max !== null && value > range.max) {
    r.fail(field, 'out_of_range', `${field} ${value} is above ${range.max}, the most indicator ${i.code} allows`);
  } else if (range.integer && !Number.isInteger(value)) {
    r.fail(field, 'not_integer', `${field} ${value} must be a whole number for a ${i.unitType}`);
  }
}

function readTargets(rows: RowReader[], frameworks: Map<string, FrameworkEntry>): void {
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const framework = frameworkOf(r, frameworks);
    const indicatorCode = r.code('indicator');
    const target: TargetDef = {
      indicator: indicatorCode,
      orgUnit: r.code('org_unit'),
      period: r.period('period'),
      phase: r.optionalChoice('phase', PHASES),
      value: r.requiredNumber('value'),
    };
    const hasPeriod = r.text('period') !== '';
    const hasPhase = r.text('phase') !== '';
    if (hasPeriod && hasPhase) {
      r.fail(
        'phase',
        'period_and_phase',
        'a target has a period or a phase, not both: leave phase empty for a target for a period',
      );
    } else if (!hasPeriod && !hasPhase) {
      r.fail('period', 'period_or_phase', `a target needs a period (e.g. 2025Q3) or a phase (${PHASES.join(', ')})`);
    }
    if (!framework || indicatorCode === '') continue;
    const indicator = framework.indicators.get(indicatorCode);
    if (!indicator) {
      r.fail(
        'indicator',
        'unknown_indicator',
        `indicator "${indicatorCode}" is not an indicator of framework "${framework.def.code}" ${r.where('indicators')}`,
      );
      continue;
    }
    if (r.ok('value')) checkValue(r, 'value', target.value, indicator);
    if (!r.ok('org_unit', 'period', 'phase')) continue;
    const key = JSON.stringify([framework.def.code, indicatorCode, target.orgUnit, target.period, target.phase]);
    if (firstRow.has(key)) {
      r.fail(
        'indicator',
        'duplicate_target',
        `this target (indicator, org unit and ${target.period ? 'period' : 'phase'}) is already on row ${firstRow.get(key)}`,
      );
      continue;
    }
    firstRow.set(key, r.row);
    framework.def.targets.push(target);
  }
}
