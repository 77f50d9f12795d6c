import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { InputError, type RowError } from '../domain/row-error.ts';
import { sampleCatalogue, sampleFrameworks } from '../../test/fixtures/framework/sample-framework.ts';
import { readFrameworkCsv, writeFrameworkCsv } from './framework-csv.ts';
import { frameworkSheet, type SheetKey } from './framework-sheet-columns.ts';

const written = () => writeFrameworkCsv(sampleFrameworks, sampleCatalogue);

type Edit = (records: string[][], set: (record: number, column: string, value: string) => void) => void;

/** The written files with one file changed: records[0] is the header, set changes a cell by column name. */
function edited(key: SheetKey, edit: Edit, files = written()): Map<string, string> {
  const sheet = frameworkSheet(key);
  const records: string[][] = parse(files.get(sheet.fileName)!, { bom: true });
  const set = (record: number, column: string, value: string) => {
    const index = sheet.columns.findIndex((c) => c.name === column);
    if (index < 0) throw new Error(`no column ${column}`);
    records[record]![index] = value;
  };
  edit(records, set);
  files.set(sheet.fileName, stringify(records, { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ }));
  return files;
}

function errorsOf(files: Map<string, string | Buffer>): RowError[] {
  try {
    readFrameworkCsv(files);
  } catch (e) {
    if (e instanceof InputError) return e.errors;
    throw e;
  }
  throw new Error('expected an InputError');
}

const brief = (errors: RowError[]) => errors.map((e) => [e.sheet, e.row, e.field, e.code]);

// Record index → line in indicators.csv: the definitions of REV-01 and REV-02 span two lines each.
const INDICATOR = { 'REV-01': 1, 'REV-02': 2, 'REV-04': 3, 'RCH-01': 4, 'NAP-03': 6, 'NAP-09': 7, 'NAP-12': 8 };
const LINE = { 'REV-01': 2, 'REV-02': 4, 'REV-04': 6, 'RCH-01': 7, 'NAP-03': 9, 'NAP-09': 10, 'NAP-12': 11 };

describe('writeFrameworkCsv / readFrameworkCsv', () => {
  it('reads back exactly what it wrote, and writes the same text again', () => {
    const files = written();
    expect(readFrameworkCsv(files)).toStrictEqual({ frameworks: sampleFrameworks, catalogue: sampleCatalogue });
    const again = readFrameworkCsv(files);
    expect(writeFrameworkCsv(again.frameworks, again.catalogue)).toEqual(files);
  });

  it('carries whether an indicator is public, and reads an indicators file from before that column as not public', () => {
    const indicators = written().get('indicators.csv')!;
    const records: string[][] = parse(indicators, { bom: true });
    const column = records[0]!.indexOf('public');
    expect(records[INDICATOR['REV-01']]![column]).toBe('yes');
    expect(records[INDICATOR['REV-02']]![column]).toBe('no');
    const older = edited('indicators', (rows) => rows.forEach((r) => r.splice(column, 1)));
    const rev01 = readFrameworkCsv(older).frameworks[0]!.pillars[0]!.objectives[0]!.indicators[0]!;
    expect(rev01).toMatchObject({ code: 'REV-01', public: false });
    const wrong = edited('indicators', (_rows, set) => set(INDICATOR['REV-01'], 'public', 'maybe'));
    expect(brief(errorsOf(wrong))).toEqual([['indicators.csv', LINE['REV-01'], 'public', 'not_allowed']]);
  });

  it('writes one UTF-8 file with a byte-order mark per sheet, header first, CRLF line ends', () => {
    const files = written();
    expect([...files.keys()]).toEqual([
      'frameworks.csv',
      'pillars.csv',
      'objectives.csv',
      'indicators.csv',
      'targets.csv',
      'disaggregations.csv',
    ]);
    const indicators = files.get('indicators.csv')!;
    expect(indicators.startsWith('\ufeffframework,pillar,objective,code,name_en,name_ur,definition_en,')).toBe(true);
    expect(indicators.split('\r\n')[0]).toBe(`\ufeff${frameworkSheet('indicators').columns.map((c) => c.name).join(',')}`);
    // Quotes doubled, a line break inside a value quoted, numbers as written by JavaScript, nulls empty.
    expect(indicators).toContain('"Items revised, divided by items flagged by the ""Chromatic"" review, ×100."');
    expect(indicators).toContain('"ترمیم شدہ مواد، تقسیم\nنشان زدہ مواد"');
    expect(files.get('targets.csv')).toContain('NPVE-2024,REV-02,PK,2025July,,33.333333333333336\r\n');
    expect(files.get('disaggregations.csv')).toContain('\r\ndis,Disability,معذوری,,,\r\n');
  });

  it('reads files saved by a spreadsheet program: bytes, paths, no BOM, LF, blank lines, padded cells', () => {
    const files = new Map<string, string | Buffer>();
    for (const [name, text] of written()) {
      const resaved = text.replace(/^\ufeff/, '').replaceAll('\r\n', '\n') + ',,,\n\n';
      files.set(`/home/officer/framework/${name}`, Buffer.from(resaved, 'utf8'));
    }
    const targets = (files.get('/home/officer/framework/targets.csv') as Buffer).toString('utf8');
    files.set('/home/officer/framework/targets.csv', targets.replace(',PK-KP,2025Q3,,1500', ' , PK-KP , 2025Q3 ,,"1,500"'));
    expect(readFrameworkCsv(files)).toStrictEqual({ frameworks: sampleFrameworks, catalogue: sampleCatalogue });
  });

  it('accepts enum values in any case and stores them in the canonical form', () => {
    const files = edited('indicators', (_, set) => set(INDICATOR['REV-04'], 'frequency', 'Quarterly'));
    expect(readFrameworkCsv(files)).toStrictEqual({ frameworks: sampleFrameworks, catalogue: sampleCatalogue });
  });
});

describe('readFrameworkCsv errors', () => {
  it('names a missing file', () => {
    const files = written();
    files.delete('targets.csv');
    expect(errorsOf(files)).toEqual([
      { sheet: 'targets.csv', row: 0, field: '', code: 'missing_sheet', message: "file 'targets.csv' is missing" },
    ]);
  });

  it('names the file and the column of a wrong header', () => {
    const files = edited('targets', (_, set) => set(0, 'org_unit', 'orgunit'));
    expect(brief(errorsOf(files))).toEqual([
      ['targets.csv', 1, 'orgunit', 'unknown_column'],
      ['targets.csv', 1, 'org_unit', 'missing_column'],
    ]);
  });

  it('counts lines, not records, so a row after a multi-line definition is named by its line', () => {
    const files = edited('indicators', (_, set) => set(INDICATOR['NAP-12'], 'unit_type', 'percent'));
    expect(errorsOf(files)).toEqual([
      {
        sheet: 'indicators.csv',
        row: LINE['NAP-12'],
        field: 'unit_type',
        code: 'not_allowed',
        message: 'unit_type "percent" is not one of count, percentage, currency, yes_no, milestone, index',
      },
    ]);
  });

  it('requires percentages to aggregate as ratio, and ratio only for percentages', () => {
    const files = edited('indicators', (_, set) => {
      set(INDICATOR['REV-02'], 'aggregation_org', 'sum');
      set(INDICATOR['REV-04'], 'aggregation_time', 'ratio');
    });
    const errors = errorsOf(files);
    expect(brief(errors)).toEqual([
      ['indicators.csv', LINE['REV-02'], 'aggregation_org', 'percentage_not_ratio'],
      ['indicators.csv', LINE['REV-04'], 'aggregation_time', 'ratio_not_percentage'],
    ]);
    expect(errors[0]!.message).toContain('percentages aggregate as Σnumerator/Σdenominator, never as an average');
  });

  it('checks baselines: a number, a valid period, both together, inside the unit range', () => {
    const files = edited('indicators', (_, set) => {
      set(INDICATOR['REV-01'], 'baseline_value', 'none');
      set(INDICATOR['REV-02'], 'baseline_value', '150');
      set(INDICATOR['REV-04'], 'baseline_value', '12');
      set(INDICATOR['RCH-01'], 'baseline_period', '2024 Q2');
      set(INDICATOR['NAP-03'], 'baseline_value', '0.5');
      set(INDICATOR['NAP-09'], 'min_value', '2');
    });
    const errors = errorsOf(files);
    expect(brief(errors)).toEqual([
      ['indicators.csv', LINE['REV-01'], 'baseline_value', 'not_a_number'],
      ['indicators.csv', LINE['REV-02'], 'baseline_value', 'out_of_range'],
      ['indicators.csv', LINE['REV-04'], 'baseline_period', 'incomplete_baseline'],
      ['indicators.csv', LINE['RCH-01'], 'baseline_period', 'invalid_period'],
      ['indicators.csv', LINE['NAP-03'], 'baseline_value', 'not_integer'],
      ['indicators.csv', LINE['NAP-09'], 'min_value', 'min_above_max'],
      // Its medium-phase target of 0.2 is below the new minimum.
      ['targets.csv', 7, 'value', 'out_of_range'],
    ]);
    expect(errors[1]!.message).toBe('baseline_value 150 is above 100, the most indicator REV-02 allows');
  });

  it('checks the references between sheets', () => {
    const files = edited('indicators', (_, set) => {
      set(INDICATOR['REV-04'], 'disaggregations', 'sex;province');
      set(INDICATOR['RCH-01'], 'pillar', 'RRX');
      set(INDICATOR['NAP-03'], 'framework', 'NAP');
    });
    const errors = errorsOf(files);
    expect(brief(errors)).toEqual([
      ['indicators.csv', LINE['REV-04'], 'disaggregations', 'unknown_disaggregation'],
      ['indicators.csv', LINE['RCH-01'], 'pillar', 'unknown_pillar'],
      ['indicators.csv', LINE['NAP-03'], 'framework', 'unknown_framework'],
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'disaggregation category "province" is not in disaggregations.csv',
      'pillar "RRX" is not a pillar of framework "NPVE-2024" in pillars.csv',
      'framework "NAP" is not in frameworks.csv',
    ]);
  });

  it('checks targets: a period or a phase, never both or neither; a known indicator; a value in range; no duplicates', () => {
    const files = edited('targets', (records, set) => {
      set(1, 'phase', 'long'); // REV-01 2026 now has both
      set(2, 'phase', ''); // REV-01 long now has neither
      set(3, 'value', '120'); // a percentage above 100
      set(4, 'indicator', 'NAP-09'); // an indicator of the other framework
      records.push([...records[5]!]); // RCH-07 short, twice
    });
    expect(brief(errorsOf(files))).toEqual([
      ['targets.csv', 2, 'phase', 'period_and_phase'],
      ['targets.csv', 3, 'period', 'period_or_phase'],
      ['targets.csv', 4, 'value', 'out_of_range'],
      ['targets.csv', 5, 'indicator', 'unknown_indicator'],
      ['targets.csv', 8, 'indicator', 'duplicate_target'],
    ]);
  });

  it('checks codes: required, no spaces, unique where the database needs them unique', () => {
    let files = edited('frameworks', (records) => records.push([...records[1]!]));
    files = edited('pillars', (records) => records.push(['NPVE-2024', 'REV', 'Revisit again', '', '']), files);
    files = edited('objectives', (records) => records.push(['NPVE-2024', 'REV', 'REV 3', 'Spaces in the code', '']), files);
    files = edited('indicators', (_, set) => set(INDICATOR['REV-04'], 'code', ''), files);
    const errors = errorsOf(files);
    expect(brief(errors)).toEqual([
      ['frameworks.csv', 4, 'code', 'duplicate_code'],
      ['pillars.csv', 5, 'code', 'duplicate_code'],
      ['objectives.csv', 6, 'code', 'invalid_code'],
      ['indicators.csv', LINE['REV-04'], 'code', 'required'],
      // A target of an indicator that is gone.
      ['targets.csv', 5, 'indicator', 'unknown_indicator'],
    ]);
    expect(errors[0]!.message).toBe('framework code "NPVE-2024" is already used on row 2');
    expect(errors[2]!.message).toBe('code "REV 3" may not contain spaces or \';\'');
  });

  it('checks the disaggregation catalogue', () => {
    const files = edited('disaggregations', (records, set) => {
      set(2, 'category_name_en', 'Gender'); // sex is "Sex" on the row above
      set(4, 'category', 'Age'); // not a category code
      set(7, 'option', '20-24'); // twice in age
      set(8, 'option_name_en', '');
    });
    expect(brief(errorsOf(files))).toEqual([
      ['disaggregations.csv', 3, 'category_name_en', 'inconsistent_name'],
      ['disaggregations.csv', 5, 'category', 'invalid_code'],
      ['disaggregations.csv', 8, 'option', 'duplicate_code'],
      ['disaggregations.csv', 9, 'option_name_en', 'required'],
    ]);
  });

  it('rejects a value in a column without a name', () => {
    const files = edited('objectives', (records) => records[2]!.push('stray note'));
    expect(errorsOf(files)).toEqual([
      {
        sheet: 'objectives.csv',
        row: 3,
        field: 'column 6',
        code: 'cell_without_column',
        message: 'this cell has no column name in the header row; move it or remove it',
      },
    ]);
  });

  it('rejects a file that is not UTF-8 or not valid CSV, without also calling it missing', () => {
    const files: Map<string, string | Buffer> = written();
    files.set('pillars.csv', Buffer.from('framework,code,name_en,name_ur,description\nNPVE-2024,REV,R\xe9visit,,\n', 'latin1'));
    files.set(
      'targets.csv',
      'framework,indicator,org_unit,period,phase,value\r\n' +
        '"NPVE-2024",REV-01,"PK ""PB""",2026,,3\r\n' +
        'NPVE-2024,REV-01,"PK,2026,,3\r\n' +
        'NPVE-2024,REV-02,PK,2026,,3\r\n',
    );
    expect(errorsOf(files)).toEqual([
      { sheet: 'pillars.csv', row: 0, field: '', code: 'not_utf8', message: 'the file is not UTF-8 text; save it as "CSV UTF-8"' },
      { sheet: 'targets.csv', row: 3, field: '', code: 'csv_syntax', message: 'a quote opened on this line is never closed' },
    ]);
  });
});

