/** A problem with one input row, named precisely enough for a data officer to fix it. */
export interface RowError {
  /** 1-based line or record number in the source; 0 when the problem is the file as a whole. */
  row: number;
  field: string;
  code: string;
  message: string;
  /** The sheet, for spreadsheets. */
  sheet?: string;
}

/** Thrown when an input cannot be accepted; carries every row error found. */
export class InputError extends Error {
  constructor(
    readonly errors: RowError[],
    message?: string,
  ) {
    super(message ?? describeRowErrors(errors));
    this.name = 'InputError';
  }
}

export function describeRowErrors(errors: RowError[], limit = 5): string {
  const lines = errors
    .slice(0, limit)
    .map((e) => `${e.sheet ? `sheet ${e.sheet}, ` : ''}${e.row > 0 ? `row ${e.row}, ` : ''}${e.field}: ${e.message}`);
  if (errors.length > limit) lines.push(`… and ${errors.length - limit} more`);
  return lines.join('\n');
}
