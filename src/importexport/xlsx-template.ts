/**
 * The XLSX sheet a data officer fills offline for one org unit and period: indicators as rows, disaggregation
 * options as columns, dropdowns and range checks on the input cells, everything else locked.
 * xlsx-template-reader.ts reads it back using the hidden `_jaiza` sheet written here.
 */
import ExcelJS from 'exceljs';
import { MILESTONE_LABELS, type Named, type UnitType, unitRange } from '../domain/framework.ts';
import { periodLabel } from '../domain/period.ts';
import type { TemplateIndicator, TemplateSpec } from './template-indicators.ts';

export const DATA_SHEET = 'Data entry';
export const README_SHEET = 'README';
export const META_SHEET = '_jaiza';
export const TEMPLATE_FORMAT_VERSION = '1';

/** Columns before the disaggregation options; Total is the first input column. */
export const LEADING_COLUMNS = ['Pillar', 'Objective', 'Indicator code', 'Indicator', 'Unit', 'Measure', 'Total'] as const;
export const COMMENT_COLUMN = 'Comment';
export const CODE_COLUMN = LEADING_COLUMNS.indexOf('Indicator code') + 1;
export const MEASURE_COLUMN = LEADING_COLUMNS.indexOf('Measure') + 1;
export const TOTAL_COLUMN = LEADING_COLUMNS.indexOf('Total') + 1;

export type Measure = 'value' | 'numerator' | 'denominator';

/**
 * `_jaiza` layout: one `key | value` row per entry of TemplateMeta (the `columns` row lists every header),
 * then a ROW_MAP_HEADER row, then one `sheet row | indicator | measure | unit type` row per input row.
 */
export const ROW_MAP_HEADER = ['row', 'indicator', 'measure', 'unit_type'] as const;

export interface TemplateRowMapping {
  row: number;
  indicator: string;
  measure: Measure;
  unitType: UnitType;
}

export type Lang = 'en' | 'ur';

export interface BuildTemplateOptions {
  lang?: Lang;
  /** Shown in the title block and kept in `_jaiza`; defaults to now. */
  generatedAt?: Date;
}

const FILL = {
  input: 'FFFFFFFF',
  notApplicable: 'FFBFBFBF',
  fixed: 'FFF2F2F2',
  header: 'FFD9E1F2',
  pillar: 'FFFCE4D6',
};
const THIN = { style: 'thin', color: { argb: 'FFA6A6A6' } } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

const UNIT_LABELS: Record<UnitType, string> = {
  count: 'count',
  percentage: '%',
  currency: 'PKR',
  yes_no: 'Yes/No',
  milestone: 'milestone 0–4',
  index: 'index',
};

const MILESTONE_LABELS_UR = ['شروع نہیں ہوا', 'مسودہ تیار', 'منظور شدہ', 'نوٹیفائی / قائم', 'شواہد کے ساتھ فعال'];

const TEXT = {
  en: {
    title: 'Jaiza data entry',
    orgUnit: 'Org unit',
    period: 'Period',
    institution: 'Institution',
    framework: 'Framework',
    generated: 'Generated',
    all: 'all',
    pillar: 'Pillar',
    nothing: 'No indicator is reported by this org unit for this period.',
  },
  ur: {
    title: 'جائزہ: ڈیٹا اندراج',
    orgUnit: 'انتظامی اکائی',
    period: 'مدت',
    institution: 'ادارہ',
    framework: 'فریم ورک',
    generated: 'تیار کردہ',
    all: 'تمام',
    pillar: 'ستون',
    nothing: 'یہ انتظامی اکائی اس مدت کے لیے کوئی اشاریہ رپورٹ نہیں کرتی۔',
  },
};

export const FILL_INSTRUCTION = 'Fill the white cells; do not change codes or add columns';
const FILL_INSTRUCTION_UR = 'صرف سفید خانے پُر کریں؛ کوڈ تبدیل نہ کریں اور کالم شامل نہ کریں';

const README_EN = [
  "Fill only the white cells of the 'Data entry' sheet. Grey cells are breakdowns the indicator does not have.",
  'Total is the figure for the whole org unit. Each column headed category=option (for example sex=F) is the figure for that group alone; the second header line names the group.',
  "Percentages: do not type the percentage. Enter the numerator on the 'numerator' row and the denominator on the 'denominator' row; Jaiza computes the percentage.",
  'Yes/No indicators: choose Yes or No from the dropdown.',
  'Milestone indicators: choose a stage from 0 to 4 (scale below).',
  'Leave a cell blank when you have no figure. A blank cell never deletes a value already stored.',
  'Values already stored in Jaiza are pre-filled; overwrite them to correct them.',
  "Do not change codes, move rows, add columns or rename sheets: Jaiza reads the file by its codes and by the hidden '_jaiza' sheet. The sheet is protected against accidental edits without a password (Review → Unprotect Sheet asks for none).",
  'Use the Comment column to explain a figure (source, estimate, revision).',
  'When done, upload the file to Jaiza; any problem is reported with its row and column.',
];

const README_UR = [
  "'Data entry' شیٹ میں صرف سفید خانے پُر کریں۔ سرمئی خانے وہ تقسیم ہیں جو اس اشاریے پر لاگو نہیں ہوتی۔",
  'Total پوری انتظامی اکائی کا عدد ہے۔ category=option عنوان والا ہر کالم (مثلاً sex=F) صرف اُس گروہ کا عدد ہے؛ عنوان کی دوسری سطر گروہ کا نام بتاتی ہے۔',
  'فیصد والے اشاریے: فیصد نہ لکھیں۔ numerator والی قطار میں شمار کنندہ اور denominator والی قطار میں نسب نما درج کریں؛ جائزہ فیصد خود نکالے گا۔',
  'ہاں/نہیں والے اشاریے: فہرست سے Yes یا No منتخب کریں۔',
  'سنگِ میل والے اشاریے: 0 سے 4 تک مرحلہ منتخب کریں (پیمانہ نیچے دیا گیا ہے)۔',
  'جس خانے کا عدد دستیاب نہ ہو اسے خالی چھوڑ دیں۔ خالی خانہ پہلے سے محفوظ قدر کو کبھی حذف نہیں کرتا۔',
  'جائزہ میں پہلے سے محفوظ قدریں پُر شدہ ہیں؛ درستی کے لیے ان پر نیا عدد لکھیں۔',
  "کوڈ تبدیل نہ کریں، قطاریں منتقل نہ کریں، کالم شامل نہ کریں اور شیٹوں کے نام نہ بدلیں: جائزہ فائل کو کوڈز اور پوشیدہ '_jaiza' شیٹ سے پڑھتا ہے۔ شیٹ غلطی سے تبدیلی کے خلاف بغیر پاس ورڈ کے محفوظ ہے۔",
  'کسی عدد کی وضاحت (ماخذ، تخمینہ، نظرِ ثانی) کے لیے Comment کالم استعمال کریں۔',
  'مکمل ہونے پر فائل جائزہ پر اپ لوڈ کریں؛ ہر مسئلہ اس کی قطار اور کالم کے ساتھ بتایا جائے گا۔',
];

/** A `category=option` column, with the names shown on the second header line. */
interface OptionColumn {
  key: string;
  category: Named;
  option: Named;
}

function optionColumns(indicators: TemplateIndicator[]): OptionColumn[] {
  const byCategory = new Map<string, OptionColumn[]>();
  for (const ind of indicators) {
    for (const category of ind.disaggregations) {
      if (byCategory.has(category.code)) continue;
      byCategory.set(
        category.code,
        category.options.map((option) => ({ key: `${category.code}=${option.code}`, category, option })),
      );
    }
  }
  return [...byCategory.values()].flat();
}

function measuresOf(unitType: UnitType): Measure[] {
  return unitType === 'percentage' ? ['numerator', 'denominator'] : ['value'];
}

function numberRule(integer: boolean, lo: number | null, hi: number | null): ExcelJS.DataValidation {
  const type = integer ? 'whole' : 'decimal';
  const kind = integer ? 'a whole number' : 'a number';
  const common = { type, allowBlank: true, showErrorMessage: true, errorStyle: 'stop', errorTitle: 'Invalid value' } as const;
  if (lo !== null && hi !== null) {
    return { ...common, operator: 'between', formulae: [lo, hi], error: `Enter ${kind} from ${lo} to ${hi}.` };
  }
  if (hi !== null) return { ...common, operator: 'lessThanOrEqual', formulae: [hi], error: `Enter ${kind} of at most ${hi}.` };
  // Excel's number rule needs a bound; 10^15 lies beyond any index and keeps text out.
  const min = lo ?? -1e15;
  return {
    ...common,
    operator: 'greaterThanOrEqual',
    formulae: [min],
    error: lo === null ? `Enter ${kind}.` : `Enter ${kind} of at least ${lo}.`,
  };
}

function listRule(values: string, error: string, prompt?: string): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: true,
    formulae: [`"${values}"`],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: 'Invalid value',
    error,
    ...(prompt ? { showInputMessage: true, promptTitle: 'Milestone', prompt } : {}),
  };
}

/** The validation of an input cell: the unit type's range, narrowed by the indicator's own minimum and maximum. */
function validationFor(ind: TemplateIndicator): ExcelJS.DataValidation {
  switch (ind.unitType) {
    case 'yes_no':
      return listRule('Yes,No', 'Choose Yes or No.');
    case 'milestone':
      return listRule(
        '0,1,2,3,4',
        'Choose a milestone stage from 0 to 4.',
        MILESTONE_LABELS.map((label, stage) => `${stage} ${label}`).join('; '),
      );
    case 'percentage':
      // The indicator's range bounds the percentage, not its numerator or denominator.
      return numberRule(false, 0, null);
    default: {
      const base = unitRange(ind.unitType);
      const lo = base.min === null ? ind.minValue : Math.max(base.min, ind.minValue ?? base.min);
      const hi = base.max === null ? ind.maxValue : Math.min(base.max, ind.maxValue ?? base.max);
      return numberRule(base.integer, lo, hi);
    }
  }
}

function numberFormat(unitType: UnitType): string | undefined {
  if (unitType === 'count') return '#,##0';
  if (unitType === 'currency') return '#,##0.00';
  return undefined;
}

/** The stored figure a cell shows when the template is downloaded again. */
function storedCell(ind: TemplateIndicator, measure: Measure, disaggregation: string): ExcelJS.CellValue {
  const stored = ind.values.find((v) => v.disaggregation === disaggregation);
  const figure = stored?.[measure] ?? null;
  if (figure === null) return null;
  if (ind.unitType === 'yes_no' && (figure === 0 || figure === 1)) return figure === 1 ? 'Yes' : 'No';
  return figure;
}

function storedComment(ind: TemplateIndicator): string | null {
  const total = ind.values.find((v) => v.disaggregation === '')?.comment;
  return total || ind.values.find((v) => v.comment)?.comment || null;
}

function fill(cell: ExcelJS.Cell, argb: string): void {
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

const LEADING_WIDTHS = [10, 28, 14, 50, 14, 12];

/** What every part of the workbook needs to know. */
interface Layout {
  spec: TemplateSpec;
  lang: Lang;
  text: (typeof TEXT)[Lang];
  generatedAt: string;
  name: (n: Named) => string;
}

export async function buildTemplate(spec: TemplateSpec, opts: BuildTemplateOptions = {}): Promise<Buffer> {
  const lang = opts.lang ?? 'en';
  const generatedAt = (opts.generatedAt ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const layout: Layout = {
    spec,
    lang,
    text: TEXT[lang],
    generatedAt,
    name: (n) => (lang === 'ur' && n.nameUr ? n.nameUr : n.nameEn),
  };

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jaiza';
  wb.created = new Date(generatedAt);
  const sheet = wb.addWorksheet(DATA_SHEET);
  const readme = wb.addWorksheet(README_SHEET);
  const meta = wb.addWorksheet(META_SHEET, { state: 'hidden' });

  const headerRow = writeTitleBlock(sheet, layout) + 2;
  const options = optionColumns(spec.indicators);
  const headers = [...LEADING_COLUMNS, ...options.map((o) => o.key), COMMENT_COLUMN];
  writeHeader(sheet, layout, headerRow, headers, options);
  const mapping = writeIndicatorRows(sheet, layout, headerRow + 2, options);

  sheet.views = [{ state: 'frozen', xSplit: TOTAL_COLUMN - 1, ySplit: headerRow + 1, rightToLeft: lang === 'ur' }];
  // No password: protection guards against accidental edits, not against a user who means to unprotect.
  await sheet.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatCells: true,
    formatColumns: true,
    formatRows: true,
  });

  writeReadme(readme, layout);

  meta.addRows([
    ['format_version', TEMPLATE_FORMAT_VERSION],
    ['org_unit', spec.orgUnit.code],
    ['period', spec.period.code],
    ['institution', spec.institution?.code ?? ''],
    ['framework', spec.framework?.code ?? ''],
    ['lang', lang],
    ['generated_at', generatedAt],
    ['header_row', headerRow],
    ['columns', ...headers],
    [],
    [...ROW_MAP_HEADER],
    ...mapping.map((m) => [m.row, m.indicator, m.measure, m.unitType]),
  ]);
  await meta.protect('', { selectLockedCells: true, selectUnlockedCells: true });

  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Writes the lines naming the org unit, period, institution and framework; returns how many. */
function writeTitleBlock(sheet: ExcelJS.Worksheet, { spec, lang, text, generatedAt, name }: Layout): number {
  const lines = [
    text.title,
    `${text.orgUnit}: ${spec.orgUnit.code} ${name(spec.orgUnit)}`,
    `${text.period}: ${spec.period.code} (${periodLabel(spec.period)})`,
    `${text.institution}: ${spec.institution ? `${spec.institution.code} ${name(spec.institution)}` : text.all}`,
    `${text.framework}: ${spec.framework ? `${spec.framework.code} ${name(spec.framework)}` : text.all}`,
    `${text.generated}: ${generatedAt}`,
    FILL_INSTRUCTION,
    ...(lang === 'ur' ? [FILL_INSTRUCTION_UR] : []),
  ];
  lines.forEach((line, i) => {
    const cell = sheet.getCell(i + 1, 1);
    cell.value = line;
    if (i === 0) cell.font = { bold: true, size: 14 };
    else if (line === FILL_INSTRUCTION || line === FILL_INSTRUCTION_UR) cell.font = { bold: true, color: { argb: 'FFC00000' } };
  });
  return lines.length;
}

/** Codes on the first header line (the reader checks them), option names on the second. */
function writeHeader(
  sheet: ExcelJS.Worksheet,
  { name }: Layout,
  headerRow: number,
  headers: string[],
  options: OptionColumn[],
): void {
  headers.forEach((h, i) => {
    const code = sheet.getCell(headerRow, i + 1);
    const label = sheet.getCell(headerRow + 1, i + 1);
    code.value = h;
    const option = options[i - TOTAL_COLUMN];
    if (option) label.value = `${name(option.category)}: ${name(option.option)}`;
    for (const c of [code, label]) {
      c.font = { bold: c === code };
      c.alignment = { wrapText: true, vertical: 'top' };
      c.border = BORDER;
      fill(c, FILL.header);
    }
    sheet.getColumn(i + 1).width = LEADING_WIDTHS[i] ?? (i === headers.length - 1 ? 40 : 12);
  });
}

/** One row per indicator and measure, each pillar opened by a header row; returns the row map for `_jaiza`. */
function writeIndicatorRows(
  sheet: ExcelJS.Worksheet,
  { spec, text, name }: Layout,
  firstRow: number,
  options: OptionColumn[],
): TemplateRowMapping[] {
  const commentColumn = TOTAL_COLUMN + options.length + 1;
  const mapping: TemplateRowMapping[] = [];
  let rowNumber = firstRow;
  let pillar = '';
  for (const ind of spec.indicators) {
    const pillarKey = `${ind.framework}/${ind.pillar.code}`;
    if (pillarKey !== pillar) {
      pillar = pillarKey;
      const row = sheet.getRow(rowNumber++);
      row.getCell(1).value = `${text.pillar} ${ind.pillar.code}: ${name(ind.pillar)}`;
      for (let col = 1; col <= commentColumn; col++) {
        const c = row.getCell(col);
        c.font = { bold: true };
        c.border = BORDER;
        fill(c, FILL.pillar);
      }
    }
    const carried = new Set(ind.disaggregations.flatMap((c) => c.options.map((o) => `${c.code}=${o.code}`)));
    const inputs: [number, string][] = [
      [TOTAL_COLUMN, ''],
      ...options.flatMap((o, i): [number, string][] => (carried.has(o.key) ? [[TOTAL_COLUMN + 1 + i, o.key]] : [])),
    ];
    const validation = validationFor(ind);
    const format = numberFormat(ind.unitType);
    const comment = storedComment(ind);
    for (const measure of measuresOf(ind.unitType)) {
      mapping.push({ row: rowNumber, indicator: ind.code, measure, unitType: ind.unitType });
      const row = sheet.getRow(rowNumber++);
      const fixed = [ind.pillar.code, name(ind.objective), ind.code, name(ind), UNIT_LABELS[ind.unitType], measure];
      fixed.forEach((v, i) => {
        const c = row.getCell(i + 1);
        c.value = v;
        c.alignment = { wrapText: true, vertical: 'top' };
        c.border = BORDER;
        fill(c, FILL.fixed);
      });
      for (let col = TOTAL_COLUMN; col < commentColumn; col++) {
        const c = row.getCell(col);
        c.border = BORDER;
        fill(c, FILL.notApplicable);
      }
      for (const [col, disaggregation] of inputs) {
        const c = row.getCell(col);
        c.value = storedCell(ind, measure, disaggregation);
        c.protection = { locked: false };
        c.dataValidation = validation;
        if (format) c.numFmt = format;
        fill(c, FILL.input);
      }
      // A percentage's comment sits on its numerator row; the reader joins both rows' comments.
      const c = row.getCell(commentColumn);
      c.value = measure === 'denominator' ? null : comment;
      c.protection = { locked: false };
      c.alignment = { wrapText: true, vertical: 'top' };
      c.border = BORDER;
      fill(c, FILL.input);
    }
  }
  if (spec.indicators.length === 0) sheet.getCell(rowNumber, 1).value = text.nothing;
  return mapping;
}

function writeReadme(sheet: ExcelJS.Worksheet, { spec, lang, name }: Layout): void {
  sheet.getColumn(1).width = 6;
  sheet.getColumn(2).width = 110;
  const add = (a: number | null, b: string, bold = false) => {
    const row = sheet.addRow([a, b]);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.font = { bold };
  };
  const about = `${spec.orgUnit.code} ${name(spec.orgUnit)}, ${spec.period.code} (${periodLabel(spec.period)})`;
  add(null, `Jaiza data-entry template: ${about}`, true);
  add(null, FILL_INSTRUCTION, true);
  README_EN.forEach((line, i) => add(i + 1, line));
  add(null, '');
  add(null, 'Milestone scale', true);
  MILESTONE_LABELS.forEach((label, stage) => add(stage, label));
  if (lang === 'ur') {
    add(null, '');
    add(null, `جائزہ: ڈیٹا اندراج کا سانچہ: ${about}`, true);
    add(null, FILL_INSTRUCTION_UR, true);
    README_UR.forEach((line, i) => add(i + 1, line));
    add(null, '');
    add(null, 'سنگِ میل کا پیمانہ', true);
    MILESTONE_LABELS_UR.forEach((label, stage) => add(stage, label));
    sheet.views = [{ rightToLeft: true }];
  }
}
