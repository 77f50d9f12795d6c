/**
 * One data value as it comes out of any input format, before codes are resolved.
 * Every parser (Jaiza CSV/JSON, XLSX template, DHIS2) yields these; the import pipeline does the rest.
 * Fields are raw text so the pipeline can name the field and reason when one is wrong.
 */
export interface SourceRow {
  /** Line (CSV), record (JSON) or sheet row (XLSX) number, 1-based, for error messages. */
  row: number;
  /** The sheet, for spreadsheets. */
  sheet?: string;
  indicator: string;
  orgUnit: string;
  period: string;
  /** `sex=F;age=15-19`; empty = total. */
  disaggregation: string;
  /** Each measure is undefined when the source does not carry it (a partial update), null or '' when empty. */
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
  comment?: string | null;
  /** The source asks for this value to be removed (DHIS2 `deleted`, or the delete strategy). */
  deleted?: boolean;
  /** Who the source says stored it (DHIS2 storedBy); the importing user is recorded regardless. */
  storedBy?: string;
}

/** A parser turns a byte stream into rows; it throws InputError for file-level problems (wrong header, not a data file). */
export type SourceRows = AsyncIterable<SourceRow>;
