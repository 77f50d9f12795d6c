import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { InputError, type RowError } from '../domain/row-error.ts';
import { UNIT_TYPES, type FrameworkDef } from '../domain/framework.ts';
import { sampleCatalogue, sampleFrameworks } from '../../test/fixtures/framework/sample-framework.ts';
import { readFrameworkWorkbook, writeFrameworkWorkbook } from './framework-workbook.ts';
import { FRAMEWORK_SHEETS, frameworkSheet } from './framework-sheet-columns.ts';

const written = () => writeFrameworkWorkbook(sampleFrameworks, sampleCatalogue);

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return workbook;
}

/** Opens the workbook, lets the test change it as a spreadsheet user would, and saves it. */
async function edited(change: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = await load(await written());
  change(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** The cell of a named column in a spreadsheet row. */
function cell(wb: ExcelJS.Workbook, sheetName: string, row: number, column: string): ExcelJS.Cell {
  const def = FRAMEWORK_SHEETS.find((s) => s.sheetName === sheetName)!;
  const index = def.columns.findIndex((c) => c.name === column);
  if (index < 0) throw new Error(`no column ${column}`);
  return sheet(wb, sheetName).getRow(row).getCell(index + 1);
}

async function errorsOf(buf: Buffer): Promise<RowError[]> {
  try {
    await readFrameworkWorkbook(buf);
  } catch (e) {
    if (e instanceof InputError) return e.errors;
    throw e;
  }
  throw new Error('expected an InputError');
}

// Row numbers of the sample in the Indicators sheet (header is row 1).
const ROW = { 'REV-01': 2, 'REV-02': 3, 'REV-04': 4, 'RCH-01': 5, 'RCH-07': 6, 'NAP-03': 7, 'NAP-09': 8, 'NAP-12': 9 };

describe('writeFrameworkWorkbook / readFrameworkWorkbook', () => {
  it('reads back exactly what it wrote', async () => {
    const back = await readFrameworkWorkbook(await written());
    expect(back).toEqual({ frameworks: sampleFrameworks, catalogue: sampleCatalogue });
    // toEqual ignores undefined-vs-missing; the stricter check guards the nulls.
    expect(back).toStrictEqual({ frameworks: sampleFrameworks, catalogue: sampleCatalogue });
  });

  it('covers every unit type, so the round trip exercises each', () => {
    const units = new Set(sampleFrameworks.flatMap((f) => f.pillars.flatMap((p) => p.objectives.flatMap((o) => o.indicators.map((i) => i.unitType)))));
    expect([...units].sort()).toEqual([...UNIT_TYPES].sort());
  });

  it('writes the fixed sheets with bold frozen headers, dropdowns, right-to-left Urdu and numbers as numbers', async () => {
    const wb = await load(await written());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'README',
      'Frameworks',
      'Pillars',
      'Objectives',
      'Indicators',
      'Targets',
      'Disaggregations',
    ]);
    const indicators = sheet(wb, 'Indicators');
    expect(indicators.getRow(1).values).toEqual([undefined, ...frameworkSheet('indicators').columns.map((c) => c.name)]);
    expect(indicators.getCell('A1').font?.bold).toBe(true);
    expect(indicators.getCell('A2').font?.bold).toBeFalsy();
    expect(indicators.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const unitType = cell(wb, 'Indicators', ROW['REV-02'], 'unit_type');
    expect(unitType.dataValidation).toMatchObject({ type: 'list', formulae: [`"${UNIT_TYPES.join(',')}"`] });
    expect(cell(wb, 'Indicators', 500, 'frequency').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"monthly,quarterly,half_year,year,fiscal_year"'],
    });
    expect(cell(wb, 'Targets', 2, 'phase').dataValidation).toMatchObject({ formulae: ['"short,medium,long"'] });

    const urdu = cell(wb, 'Indicators', ROW['REV-02'], 'name_ur');
    expect(urdu.alignment).toMatchObject({ horizontal: 'right', readingOrder: 'rtl' });
    expect(cell(wb, 'Disaggregations', 2, 'option_name_ur').alignment).toMatchObject({ readingOrder: 'rtl' });

    expect(cell(wb, 'Indicators', ROW['REV-02'], 'baseline_value').value).toBe(37.5);
    expect(cell(wb, 'Targets', 4, 'value').value).toBe(100 / 3);
    expect(cell(wb, 'Indicators', ROW['REV-04'], 'baseline_value').value).toBeNull();
    expect(cell(wb, 'Indicators', ROW['REV-04'], 'baseline_period').value).toBeNull();
    expect(indicators.getColumn(7).width).toBeGreaterThan(indicators.getColumn(1).width ?? 0);
  });

  it('explains in the README how to edit each sheet and which values each enum column allows', async () => {
    const wb = await load(await written());
    const text = (sheet(wb, 'README').getColumn(1).values as unknown[]).filter((v) => typeof v === 'string').join('\n');
    expect(text).toMatch(/Codes are the keys/);
    for (const s of FRAMEWORK_SHEETS) expect(text).toContain(s.about);
    expect(text).toContain(`Indicators unit_type: ${UNIT_TYPES.join(', ')}`);
    expect(text).toContain('Targets phase: short, medium, long');
  });

  it('reads back a workbook edited the way a spreadsheet user edits it', async () => {
    const buf = await edited((wb) => {
      // A renamed indicator, and a framework name typed with mixed formatting (rich text).
      cell(wb, 'Indicators', ROW['REV-04'], 'name_en').value = 'Teachers trained in peace education  ';
      cell(wb, 'Frameworks', 2, 'name_en').value = {
        richText: [{ text: 'National Prevention of ', font: { bold: true } }, { text: 'Violent Extremism Policy 2024' }],
      };
      // A new indicator row, with numbers typed as text, a period typed as a number, a link and a formula.
      sheet(wb, 'Indicators').addRow([
        'NAP-2021', 'KIN', 'KIN.1', 'NAP-15 ', 'Madaris registered with DGRE', 'رجسٹرڈ مدارس', '', '',
        'Count', 'sum', 'last', 'higher', 'quarterly', 'district', 'medium',
        { text: 'DGRE registry extract', hyperlink: 'https://dgre.gov.pk' }, 'DGRE; MOFEPT', 'sex',
        ' 1,200 ', 2024, '', { formula: '50*100', result: 5000 },
      ]);
      cell(wb, 'Targets', 5, 'value').value = '1750';
      // Rows that look empty but exist in the file: whitespace, or formatting only.
      sheet(wb, 'Indicators').getRow(14).getCell(2).value = '   ';
      sheet(wb, 'Indicators').getRow(20).getCell(5).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
      sheet(wb, 'Targets').getRow(30).getCell(1).value = '';
    });

    const expected: FrameworkDef[] = structuredClone(sampleFrameworks);
    const [npve, nap] = expected as [FrameworkDef, FrameworkDef];
    npve.pillars[0]!.objectives[1]!.indicators[0]!.nameEn = 'Teachers trained in peace education';
    npve.targets[3]!.value = 1750;
    nap.pillars[0]!.objectives[0]!.indicators.push({
      code: 'NAP-15',
      nameEn: 'Madaris registered with DGRE',
      nameUr: 'رجسٹرڈ مدارس',
      definitionEn: '',
      definitionUr: '',
      unitType: 'count',
      aggregationOrg: 'sum',
      aggregationTime: 'last',
      polarity: 'higher',
      frequency: 'quarterly',
      lowestLevel: 'district',
      phase: 'medium',
      meansOfVerification: 'DGRE registry extract',
      institutions: ['DGRE', 'MOFEPT'],
      disaggregations: ['sex'],
      baselineValue: 1200,
      baselinePeriod: '2024',
      minValue: null,
      maxValue: 5000,
      public: false,
    });
    expect(await readFrameworkWorkbook(buf)).toStrictEqual({ frameworks: expected, catalogue: sampleCatalogue });
  });
});

describe('readFrameworkWorkbook errors', () => {
  it('names a missing sheet', async () => {
    const buf = await edited((wb) => wb.removeWorksheet(sheet(wb, 'Indicators').id));
    expect(await errorsOf(buf)).toEqual([
      { sheet: 'Indicators', row: 0, field: '', code: 'missing_sheet', message: "sheet 'Indicators' is missing" },
    ]);
  });

  it('names the sheet and the column of a wrong header', async () => {
    const buf = await edited((wb) => {
      cell(wb, 'Indicators', 1, 'unit_type').value = 'unit type';
    });
    const errors = await errorsOf(buf);
    expect(errors).toContainEqual(
      expect.objectContaining({ sheet: 'Indicators', row: 1, field: 'unit_type', code: 'missing_column' }),
    );
    expect(errors.find((e) => e.code === 'missing_column')!.message).toMatch(/^sheet 'Indicators' has no column 'unit_type'/);
    expect(errors).toContainEqual(expect.objectContaining({ sheet: 'Indicators', row: 1, field: 'unit type', code: 'unknown_column' }));
  });

  it('names the row and field of a value that is not in an enum, and lists the allowed values', async () => {
    const buf = await edited((wb) => {
      cell(wb, 'Indicators', ROW['REV-04'], 'unit_type').value = 'percent';
    });
    expect(await errorsOf(buf)).toEqual([
      {
        sheet: 'Indicators',
        row: 4,
        field: 'unit_type',
        code: 'not_allowed',
        message: 'unit_type "percent" is not one of count, percentage, currency, yes_no, milestone, index',
      },
    ]);
  });

  it('reports a period that does not parse with the period parser’s reason', async () => {
    const buf = await edited((wb) => {
      cell(wb, 'Indicators', ROW['REV-02'], 'baseline_period').value = '2024Q5';
      cell(wb, 'Targets', 2, 'period').value = '2026-07';
    });
    expect(await errorsOf(buf)).toEqual([
      {
        sheet: 'Indicators',
        row: 3,
        field: 'baseline_period',
        code: 'invalid_period',
        message: '"2024Q5" is not a valid period: 5 is outside 1–4',
      },
      {
        sheet: 'Targets',
        row: 2,
        field: 'period',
        code: 'invalid_period',
        message: '"2026-07" is not a valid period: expected 2025Q3, 202509, 2025S2, 2025 or 2025July',
      },
    ]);
  });

  it('names an indicator whose objective is not under its pillar', async () => {
    const buf = await edited((wb) => {
      cell(wb, 'Indicators', ROW['RCH-01'], 'objective').value = 'REV.1';
    });
    const errors = await errorsOf(buf);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ sheet: 'Indicators', row: 5, field: 'objective', code: 'unknown_objective' });
    expect(errors[0]!.message).toBe(
      'objective "REV.1" is not an objective of pillar "RCH" in framework "NPVE-2024" on the Objectives sheet',
    );
  });

  it('rejects an indicator code used in another framework and points at the first use', async () => {
    const buf = await edited((wb) => {
      cell(wb, 'Indicators', ROW['NAP-12'], 'code').value = 'REV-02';
    });
    const errors = await errorsOf(buf);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ sheet: 'Indicators', row: 9, field: 'code', code: 'duplicate_code' });
    expect(errors[0]!.message).toMatch(/already used on row 3/);
  });

  it('collects every error of every sheet into one InputError, in sheet and row order', async () => {
    const buf = await edited((wb) => {
      cell(wb, 'Targets', 3, 'phase').value = 'forever';
      cell(wb, 'Pillars', 3, 'framework').value = 'NPVE';
      cell(wb, 'Indicators', ROW['NAP-09'], 'baseline_value').value = 'n/a';
      cell(wb, 'Indicators', ROW['REV-01'], 'disaggregations').value = 'sex;province';
    });
    const errors = await errorsOf(buf);
    expect(errors.map((e) => [e.sheet, e.row, e.field, e.code])).toEqual([
      ['Pillars', 3, 'framework', 'unknown_framework'],
      // Without its pillar, what hangs below it cannot be placed either; each says so.
      ['Objectives', 4, 'pillar', 'unknown_pillar'],
      ['Indicators', 2, 'disaggregations', 'unknown_disaggregation'],
      ['Indicators', 5, 'pillar', 'unknown_pillar'],
      ['Indicators', 6, 'pillar', 'unknown_pillar'],
      ['Indicators', 8, 'baseline_value', 'not_a_number'],
      ['Targets', 3, 'phase', 'not_allowed'],
      ['Targets', 6, 'indicator', 'unknown_indicator'],
    ]);
  });

  it('explains a number the spreadsheet stored as a percentage', async () => {
    const buf = await edited((wb) => {
      const c = cell(wb, 'Indicators', ROW['REV-02'], 'baseline_value');
      c.value = 0.375;
      // Loaded cells share style objects; a fresh one formats this cell only.
      c.style = { ...c.style, numFmt: '0.0%' };
    });
    expect(await errorsOf(buf)).toEqual([
      {
        sheet: 'Indicators',
        row: 3,
        field: 'baseline_value',
        code: 'not_a_number',
        message: 'baseline_value "37.5%" is not a number; write a percentage as a plain number (37.5, not 37.5%)',
      },
    ]);
  });

  it('reports a formula that evaluated to an error, or was never evaluated, instead of guessing', async () => {
    const buf = await edited((wb) => {
      cell(wb, 'Targets', 2, 'value').value = { formula: '1/0', result: { error: '#DIV/0!' } };
      cell(wb, 'Targets', 3, 'value').value = { formula: 'F2*2' };
    });
    expect(await errorsOf(buf)).toEqual([
      { sheet: 'Targets', row: 2, field: 'value', code: 'unreadable_cell', message: 'the cell shows the error #DIV/0!' },
      {
        sheet: 'Targets',
        row: 3,
        field: 'value',
        code: 'unreadable_cell',
        message: 'the formula has no saved result; open and save the file in a spreadsheet program',
      },
    ]);
  });

  it('rejects a file that is not a workbook', async () => {
    expect(await errorsOf(Buffer.from('code,name_en\n'))).toMatchObject([{ row: 0, code: 'not_xlsx' }]);
  });
});
