/** Picks the parser for a format and runs the import pipeline: the one entry point for the API and the CLI. */
import type { Readable } from 'node:stream';
import type { Database } from '../db/database.ts';
import { InputError } from '../domain/row-error.ts';
import type { ImportFormat } from './data-formats.ts';
import { parseDhis2DataValueSetCsv, parseDhis2DataValueSetJson } from './dhis2/dhis2-data-value-set.ts';
import type { Dhis2IdSchemes } from './dhis2/dhis2-id-scheme.ts';
import { loadDhis2Mapping } from './dhis2/dhis2-mapping.ts';
import { importRows, type ImportOptions, type ImportSummary } from './import-pipeline.ts';
import { parseJaizaCsv } from './jaiza-csv.ts';
import { parseJaizaJson } from './jaiza-json.ts';
import type { SourceRows } from './source-row.ts';
import { readTemplate } from './xlsx-template-reader.ts';

/** Data-entry templates are a few hundred rows; anything far larger is not one. */
const MAX_XLSX_BYTES = 25 * 1024 * 1024;

export interface ImportRequest extends Omit<ImportOptions, 'format'> {
  format: ImportFormat;
  idSchemes?: Dhis2IdSchemes;
}

export async function readAll(input: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new InputError([{ row: 0, field: 'file', code: 'too_large', message: `the file is larger than ${Math.round(limit / 1024 / 1024)} MB` }]);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function sourceRows(db: Database, input: Readable, req: ImportRequest): Promise<SourceRows> {
  switch (req.format) {
    case 'csv':
      return parseJaizaCsv(input);
    case 'json':
      return parseJaizaJson(input);
    case 'xlsx':
      return readTemplate(await readAll(input, MAX_XLSX_BYTES));
    case 'dhis2-json':
      return parseDhis2DataValueSetJson(input, await loadDhis2Mapping(db), req.idSchemes ?? {});
    case 'dhis2-csv':
      return parseDhis2DataValueSetCsv(input, await loadDhis2Mapping(db), req.idSchemes ?? {});
  }
}

/** Runs an import; file-level problems come back as an error summary, never as an exception. */
export async function runImport(db: Database, input: Readable, req: ImportRequest): Promise<ImportSummary> {
  try {
    return await importRows(db, await sourceRows(db, input, req), { ...req, format: req.format });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return {
      status: 'error',
      dryRun: req.dryRun ?? false,
      rowsRead: 0,
      counts: { imported: 0, updated: 0, unchanged: 0, ignored: 0, deleted: 0 },
      errorCount: e.errors.length,
      errors: e.errors,
      warnings: [],
      importId: null,
    };
  }
}
