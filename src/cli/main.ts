/** The jaiza command line: the same services as the API, for scripts and data officers with files. */
import { createReadStream, createWriteStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { Command, Option } from 'commander';
import { connect, connectionOptionsFromEnv, type Connection } from '../db/connect.ts';
import { describeRowErrors, InputError } from '../domain/row-error.ts';
import { exportFrameworkCsv, exportFrameworkWorkbook, importFrameworkCsv, importFrameworkWorkbook } from '../framework/framework-service.ts';
import { EXPORT_FORMATS, formatFromFileName, IMPORT_FORMATS, type ExportFormat, type ImportFormat } from '../importexport/data-formats.ts';
import { importDhis2Metadata } from '../importexport/dhis2/dhis2-metadata.ts';
import { writeDhis2Metadata } from '../importexport/dhis2/dhis2-export.ts';
import { ID_SCHEMES, type IdScheme } from '../importexport/dhis2/dhis2-id-scheme.ts';
import { runExport } from '../importexport/export-service.ts';
import type { ImportSummary } from '../importexport/import-pipeline.ts';
import { runImport } from '../importexport/import-service.ts';
import { loadTemplateIndicators } from '../importexport/template-indicators.ts';
import { buildTemplate } from '../importexport/xlsx-template.ts';
import { findOutliers, runValidation } from '../validation/validation-service.ts';
import { syncRollupRules } from '../rollups/rollup-maintenance.ts';
import { isEmpty, seedDemoValues, seedReferenceData } from '../seed/seed.ts';
import { buildServer } from '../api/server.ts';
import { progressBar } from './progress.ts';
import { queryAnalytics } from '../analytics/analytics-query.ts';
import { resolvePeriodExpression } from '../domain/relative-period.ts';
import { disclosureRuleFromEnv } from '../publish/publication-scope.ts';
import { buildReviewPack, reviewPackPdf } from '../reports/review-pack-service.ts';
import { registerUserCommands } from '../governance/user-cli.ts';
import { registerAuditCommands } from '../audit/audit-cli.ts';
import { AppRoleError, grantAppRole } from '../db/app-role.ts';

const program = new Command();
program
  .name('jaiza')
  .description('Jaiza: results-based monitoring for the National Prevention of Violent Extremism Policy 2024.\n' +
    'Uses the embedded database in ./data (JAIZA_DATA_DIR), or PostgreSQL when DATABASE_URL is set.')
  .option('--data-dir <dir>', 'embedded database directory (default: $JAIZA_DATA_DIR or ./data)');

/** Connects, and brings the pre-aggregates in line with the framework (a database from before they existed gets them built). */
async function open(): Promise<Connection> {
  const opts = connectionOptionsFromEnv();
  const dir = program.opts<{ dataDir?: string }>().dataDir;
  const conn = await connect({ ...opts, ...(dir ? { dataDir: dir } : {}) });
  try {
    await conn.db.transaction((tx) => syncRollupRules(tx));
  } catch (e) {
    await conn.close();
    throw e;
  }
  return conn;
}

async function withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await open();
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function seedWithProgress(conn: Connection, demo: boolean): Promise<void> {
  log('Loading reference data: org units, institutions, the NPVE 2024 and NAP 2021 frameworks, validation rules…');
  await seedReferenceData(conn.db);
  if (!demo) return;
  log('Generating eight quarters of SYNTHETIC demo values (labelled synthetic everywhere they appear)…');
  const started = Date.now();
  let last = 0;
  const summary = await seedDemoValues(conn.db, (rows) => {
    if (Date.now() - last > 2000) {
      last = Date.now();
      log(`  … ${rows.toLocaleString('en')} values`);
    }
  });
  log(`Demo values: ${summary.counts.imported.toLocaleString('en')} imported in ${((Date.now() - started) / 1000).toFixed(1)} s` +
    (summary.errorCount ? `; ${summary.errorCount} refused by validation` : ''));
  const reports = (await conn.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM submission GROUP BY status ORDER BY status')).rows;
  log(`Demo approval history: ${reports.map((r) => `${r.n.toLocaleString('en')} ${r.status.replace('_', ' ')}`).join(', ')} reports`);
}

program.command('serve')
  .description('Start the web server and API (seeds demo data on first run)')
  .option('--port <port>', 'port (default: $PORT or 8080)')
  .option('--host <host>', 'interface to listen on', '0.0.0.0')
  .option('--no-demo', 'on first run, load reference data without synthetic demo values')
  .action(async (o: { port?: string; host: string; demo: boolean }) => {
    const conn = await open();
    if (await isEmpty(conn.db)) await seedWithProgress(conn, o.demo);
    const app = await buildServer(conn, { logger: false });
    const port = Number(o.port ?? process.env.PORT ?? 8080);
    await app.listen({ port, host: o.host });
    log(`Jaiza is running on http://localhost:${port} (${conn.db.kind}${conn.dataDir && conn.db.kind === 'pglite' ? `, data in ${conn.dataDir}` : ''}, schema v${conn.migrationVersion})`);
    log(`API documentation: http://localhost:${port}/api/docs`);
    const stop = async () => {
      await app.close();
      await conn.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.command('seed')
  .description('Load reference data (org units, institutions, frameworks, rules) and synthetic demo values')
  .option('--no-demo', 'reference data only, no synthetic values')
  .action((o: { demo: boolean }) => withConnection((conn) => seedWithProgress(conn, o.demo)));

function printSummary(s: ImportSummary): void {
  const c = s.counts;
  const head = s.status === 'error' ? 'Nothing was written.' : s.dryRun ? 'Dry run: nothing was written. It would have:' : 'Done:';
  console.log(`${head}\n  imported ${c.imported}, updated ${c.updated}, unchanged ${c.unchanged}, ignored ${c.ignored}, deleted ${c.deleted} (${s.rowsRead} rows read)`);
  if (s.errorCount) console.log(`${s.errorCount} error${s.errorCount > 1 ? 's' : ''}:\n${describeRowErrors(s.errors, 50)}`);
  if (s.warnings.length) console.log(`${s.warnings.length} warning${s.warnings.length > 1 ? 's' : ''}:\n${describeRowErrors(s.warnings, 20)}`);
}

const dbCommand = program.command('db').description('Server-mode database administration');
dbCommand.command('grant-app-role <role>')
  .description('Let an existing login role that owns nothing run Jaiza: read and write every table, only read and append the audit trail (run as the owner after each upgrade)')
  .action((role: string) => withConnection(async (conn) => {
    if (!process.env.DATABASE_URL) throw new AppRoleError('grant-app-role is for a PostgreSQL server (DATABASE_URL): the embedded database has no roles');
    await grantAppRole(conn.db, role);
    log(`${role} may now run Jaiza: connect with DATABASE_URL as ${role}; it cannot change or remove audit entries`);
  }));

const scheme = (flag: string, what: string) => new Option(flag, what).choices(ID_SCHEMES as unknown as string[]);

program.command('import <file>')
  .description('Import data values: Jaiza CSV/JSON, an XLSX data-entry template, or DHIS2 dataValueSets (JSON/CSV)')
  .addOption(new Option('--format <format>', 'file format (default: from the file name)').choices([...IMPORT_FORMATS]))
  .option('--dry-run', 'check everything and report, write nothing')
  .option('--skip-invalid', 'apply the valid rows and list the bad ones (default: all or nothing)')
  .addOption(new Option('--strategy <strategy>', 'create_and_update, or delete the listed values').choices(['create_and_update', 'delete']).default('create_and_update'))
  .addOption(scheme('--id-scheme <scheme>', 'DHIS2: how objects are identified'))
  .addOption(scheme('--data-element-id-scheme <scheme>', 'DHIS2: data element ids'))
  .addOption(scheme('--org-unit-id-scheme <scheme>', 'DHIS2: org unit ids'))
  .addOption(scheme('--category-option-combo-id-scheme <scheme>', 'DHIS2: category option combo ids'))
  .option('--user <name>', 'recorded as who stored the values', process.env.USER ?? 'cli')
  .action((file: string, o: {
    format?: ImportFormat; dryRun?: boolean; skipInvalid?: boolean; strategy: 'create_and_update' | 'delete'; user: string;
    idScheme?: IdScheme; dataElementIdScheme?: IdScheme; orgUnitIdScheme?: IdScheme; categoryOptionComboIdScheme?: IdScheme;
  }) => withConnection(async (conn) => {
    const format = o.format ?? formatFromFileName(file);
    const size = statSync(file).size;
    const bar = progressBar(`Importing ${basename(file)}`, size, 'bytes');
    let bytes = 0;
    let rows = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        bar.update(bytes, rows.toLocaleString('en'));
        done(null, chunk);
      },
    });
    const summary = await runImport(conn.db, createReadStream(file).pipe(counter), {
      format, fileName: basename(file), dryRun: o.dryRun, skipInvalid: o.skipInvalid, strategy: o.strategy, user: o.user,
      idSchemes: { idScheme: o.idScheme, dataElementIdScheme: o.dataElementIdScheme, orgUnitIdScheme: o.orgUnitIdScheme, categoryOptionComboIdScheme: o.categoryOptionComboIdScheme },
      onProgress: (n) => { rows = n; bar.update(bytes, n.toLocaleString('en')); },
    });
    bar.update(size, summary.rowsRead.toLocaleString('en'));
    bar.stop();
    printSummary(summary);
    if (summary.status === 'error') process.exitCode = 1;
  }));

program.command('export')
  .description('Export stored values as Jaiza CSV/JSON or DHIS2 dataValueSets')
  .addOption(new Option('--format <format>', 'output format').choices([...EXPORT_FORMATS]).default('csv'))
  .option('--out <file>', 'output file (default: standard output)')
  .option('--framework <code>', 'only this framework')
  .option('--org-unit <code>', 'this org unit and everything under it')
  .option('--period <codes>', 'comma-separated periods; a year covers its quarters and months')
  .option('--indicator <codes>', 'comma-separated indicator codes')
  .addOption(scheme('--id-scheme <scheme>', 'DHIS2: ids to write'))
  .action((o: { format: ExportFormat; out?: string; framework?: string; orgUnit?: string; period?: string; indicator?: string; idScheme?: IdScheme }) =>
    withConnection(async (conn) => {
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      await runExport(conn.db, o.format, {
        framework: o.framework, orgUnit: o.orgUnit,
        periods: o.period?.split(',').map((s) => s.trim()), indicators: o.indicator?.split(',').map((s) => s.trim()),
      }, out, { idScheme: o.idScheme });
      if (o.out) log(`Wrote ${o.out}`);
    }));

program.command('template')
  .description('Write the XLSX data-entry template an officer fills offline for an org unit and period')
  .requiredOption('--org-unit <code>', 'e.g. PK-PB or PK-PB-LHR')
  .requiredOption('--period <code>', 'e.g. 2025Q4')
  .option('--institution <code>', 'only the indicators this institution reports')
  .option('--framework <code>', 'only this framework')
  .addOption(new Option('--lang <lang>', 'sheet language').choices(['en', 'ur']).default('en'))
  .option('--out <file>', 'output file (default: jaiza-template-<org unit>-<period>.xlsx)')
  .action((o: { orgUnit: string; period: string; institution?: string; framework?: string; lang: 'en' | 'ur'; out?: string }) =>
    withConnection(async (conn) => {
      const spec = await loadTemplateIndicators(conn.db, o);
      const file = o.out ?? `jaiza-template-${spec.orgUnit.code}-${spec.period.code}.xlsx`;
      writeFileSync(file, await buildTemplate(spec, { lang: o.lang }));
      log(`Wrote ${file}: ${spec.indicators.length} indicators for ${spec.orgUnit.nameEn}, ${spec.period.code}`);
    }));

const framework = program.command('framework').description('Author frameworks in a spreadsheet: export, edit, import');
framework.command('export')
  .description('Write the frameworks as an XLSX workbook, or as a folder of CSV files')
  .addOption(new Option('--format <format>', 'xlsx or csv').choices(['xlsx', 'csv']).default('xlsx'))
  .option('--framework <code>', 'only this framework (default: all)')
  .option('--out <path>', 'file (xlsx) or folder (csv)')
  .action((o: { format: 'xlsx' | 'csv'; framework?: string; out?: string }) => withConnection(async (conn) => {
    const codes = o.framework ? [o.framework] : undefined;
    if (o.format === 'xlsx') {
      const file = o.out ?? 'jaiza-framework.xlsx';
      writeFileSync(file, await exportFrameworkWorkbook(conn.db, codes));
      log(`Wrote ${file}`);
      return;
    }
    const dir = o.out ?? 'jaiza-framework';
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of await exportFrameworkCsv(conn.db, codes)) writeFileSync(join(dir, name), text);
    log(`Wrote the framework CSV files to ${dir}/`);
  }));
framework.command('import <path>')
  .description('Read an edited framework back: an .xlsx workbook, or a folder of CSV files')
  .option('--dry-run', 'check everything, write nothing')
  .action((path: string, o: { dryRun?: boolean }) => withConnection(async (conn) => {
    const opts = { dryRun: o.dryRun ?? false };
    const summary = statSync(path).isDirectory()
      ? await importFrameworkCsv(conn.db, new Map(readdirSync(path).filter((f) => f.endsWith('.csv')).map((f) => [f, readFileSync(join(path, f))])), opts)
      : await importFrameworkWorkbook(conn.db, readFileSync(path), opts);
    console.log(`${summary.dryRun ? 'Dry run, nothing written. Would store' : 'Stored'} ${summary.frameworks.join(', ')}: ` +
      `${summary.pillars} pillars, ${summary.objectives} objectives, ${summary.indicators} indicators, ${summary.targets} targets, ${summary.categories} disaggregation categories`);
  }));

program.command('validate')
  .description('Run the validation rules for a period (and outlier checks with --outliers)')
  .requiredOption('--period <code>', 'e.g. 2025Q4')
  .option('--org-unit <code>', 'this unit and everything under it')
  .option('--outliers', 'also list values far from their own history')
  .option('--threshold <z>', 'modified z-score threshold for outliers', '3.5')
  .action((o: { period: string; orgUnit?: string; outliers?: boolean; threshold: string }) => withConnection(async (conn) => {
    const report = await runValidation(conn.db, { period: o.period, orgUnit: o.orgUnit });
    console.log(`${report.rulesChecked} rules checked over ${report.unitsChecked} org units for ${report.period}: ${report.violations.length} violation(s)`);
    for (const v of report.violations) console.log(`  [${v.severity}] ${v.rule} ${v.orgUnit} (${v.orgUnitName}): ${v.message}`);
    if (o.outliers) {
      const outliers = await findOutliers(conn.db, { period: o.period, orgUnit: o.orgUnit, threshold: Number(o.threshold) });
      console.log(`${outliers.length} outlier(s) (|modified z| > ${o.threshold}):`);
      for (const x of outliers.slice(0, 100)) {
        console.log(`  ${x.indicator} ${x.orgUnit} ${x.period}${x.disaggregation ? ` [${x.disaggregation}]` : ''}: ${x.value} vs median ${x.median} (z = ${x.score.toFixed(1)})`);
      }
    }
    if (report.violations.some((v) => v.severity === 'error')) process.exitCode = 1;
  }));

program.command('query')
  .description('Aggregated values by the indicators\' own rules (the same engine as GET /api/analytics)')
  .requiredOption('--indicator <codes>', 'comma-separated indicator codes')
  .requiredOption('--org-unit <selectors>', 'comma-separated: codes, children:PK, level:province, level:district:PK-PB')
  .requiredOption('--period <periods>', 'codes or relative periods separated by ";", e.g. "2025;LAST_4_QUARTERS"')
  .option('--disaggregation <key>', 'e.g. sex=F (default: total)', '')
  .option('--json', 'print JSON instead of a table')
  .action((o: { indicator: string; orgUnit: string; period: string; disaggregation: string; json?: boolean }) => withConnection(async (conn) => {
    const cells = await queryAnalytics(conn.db, {
      indicators: o.indicator.split(',').map((s) => s.trim()),
      orgUnits: o.orgUnit.split(',').map((s) => s.trim()),
      periods: resolvePeriodExpression(o.period, new Date().toISOString().slice(0, 10)),
      disaggregation: o.disaggregation,
    });
    if (o.json) {
      console.log(JSON.stringify(cells, null, 2));
      return;
    }
    console.log(['indicator', 'org_unit', 'period', 'value', 'numerator', 'denominator', 'values'].join('\t'));
    for (const c of cells) {
      const v = c.value === null ? '' : String(Math.round(c.value * 100) / 100);
      console.log([c.indicator, c.orgUnit, c.period, v, c.numerator ?? '', c.denominator ?? '', c.values].join('\t'));
    }
  }));

program.command('report')
  .description('Write the quarterly review pack for the Apex Committee (national) or a province, as PDF or printable HTML')
  .requiredOption('--period <quarter>', 'e.g. 2025Q4')
  .option('--org-unit <code>', 'PK for the national pack, or a province such as PK-KP', 'PK')
  .addOption(new Option('--lang <lang>', 'language').choices(['en', 'ur']).default('en'))
  .option('--release', 'for release: public indicators and accepted values only, small counts suppressed')
  .option('--out <file>', 'pack.pdf, or pack.html for the printable HTML (default: jaiza-review-pack-<org unit>-<period>-<lang>.pdf)')
  .action((o: { period: string; orgUnit: string; lang: 'en' | 'ur'; release?: boolean; out?: string }) => withConnection(async (conn) => {
    const started = Date.now();
    const pack = await buildReviewPack(conn.db, { period: o.period, orgUnit: o.orgUnit, lang: o.lang, release: o.release ? { rule: disclosureRuleFromEnv() } : null });
    const htmlMs = Date.now() - started;
    const file = o.out ?? `${pack.fileName}.pdf`;
    if (file.toLowerCase().endsWith('.html')) {
      writeFileSync(file, pack.html);
      log(`Wrote ${file} (HTML in ${htmlMs} ms)`);
      return;
    }
    writeFileSync(file, await reviewPackPdf(pack, o.lang));
    log(`Wrote ${file} (HTML in ${htmlMs} ms, PDF in ${Date.now() - started - htmlMs} ms more)`);
    if (!pack.data.hasData) log(`Note: no approved data for ${pack.data.period}; the pack says so.`);
  }));

const dhis2 = program.command('dhis2').description('DHIS2 metadata mapping');
dhis2.command('metadata-import <file>')
  .description('Map a DHIS2 metadata export (dataElements, organisationUnits, categoryOptionCombos) onto Jaiza')
  .option('--dry-run', 'report the mapping, write nothing')
  .action((file: string, o: { dryRun?: boolean }) => withConnection(async (conn) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new InputError([{ row: 0, field: 'file', code: 'not_json', message: `${file} is not valid JSON: ${(e as Error).message}` }]);
    }
    const s = await importDhis2Metadata(conn.db, json, { dryRun: o.dryRun ?? false });
    console.log(JSON.stringify(s, null, 2));
  }));
dhis2.command('metadata-export')
  .description('Write Jaiza indicators, org units and disaggregations as DHIS2 metadata JSON')
  .option('--out <file>', 'output file (default: standard output)')
  .action((o: { out?: string }) => withConnection(async (conn) => {
    const text = JSON.stringify(await writeDhis2Metadata(conn.db), null, 2);
    if (o.out) writeFileSync(o.out, text);
    else console.log(text);
  }));

registerUserCommands(program, withConnection);
registerAuditCommands(program, withConnection);

program.parseAsync().catch((e: unknown) => {
  if (e instanceof InputError) log(`Error:\n${describeRowErrors(e.errors, 50)}`);
  else log(`Error: ${(e as Error).message}`);
  process.exitCode = 1;
});

