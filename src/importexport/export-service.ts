/** Streams stored values out in any export format. */
import type { Writable } from 'node:stream';
import type { Database } from '../db/database.ts';
import type { ExportFormat } from './data-formats.ts';
import { exportValues, type ExportFilter } from './export-values.ts';
import { writeJaizaCsv } from './jaiza-csv.ts';
import { writeJaizaJson } from './jaiza-json.ts';
import { writeDhis2DataValueSetCsv, writeDhis2DataValueSetJson } from './dhis2/dhis2-export.ts';
import type { Dhis2IdSchemes } from './dhis2/dhis2-id-scheme.ts';
import { loadDhis2Mapping } from './dhis2/dhis2-mapping.ts';

export async function runExport(
  db: Database,
  format: ExportFormat,
  filter: ExportFilter,
  out: Writable,
  idSchemes: Dhis2IdSchemes = {},
): Promise<void> {
  const values = exportValues(db, filter);
  switch (format) {
    case 'csv':
      await writeJaizaCsv(values, out);
      break;
    case 'json':
      await writeJaizaJson(values, out);
      break;
    case 'dhis2-json':
      await writeDhis2DataValueSetJson(values, await loadDhis2Mapping(db), idSchemes, out);
      break;
    case 'dhis2-csv':
      await writeDhis2DataValueSetCsv(values, await loadDhis2Mapping(db), idSchemes, out);
      break;
  }
  // Standard output stays open for whatever the shell does next; files and HTTP bodies are finished here.
  if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
