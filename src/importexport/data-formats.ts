/** The data formats Jaiza reads and writes, and how a file name maps to one. */
import { InputError } from '../domain/row-error.ts';

export const IMPORT_FORMATS = ['csv', 'json', 'xlsx', 'dhis2-json', 'dhis2-csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const EXPORT_FORMATS = ['csv', 'json', 'dhis2-json', 'dhis2-csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Guesses the format from a file name; DHIS2 files say so in their name or are named explicitly with --format. */
export function formatFromFileName(name: string): ImportFormat {
  const lower = name.toLowerCase();
  const dhis2 = /dhis2|datavalueset/.test(lower);
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.json')) return dhis2 ? 'dhis2-json' : 'json';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return dhis2 ? 'dhis2-csv' : 'csv';
  throw new InputError([{ row: 0, field: 'format', code: 'unknown_format', message: `cannot tell the format of "${name}": name the format (${IMPORT_FORMATS.join(', ')})` }]);
}

export function contentTypeOf(format: ExportFormat): string {
  return format.endsWith('json') ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8';
}
