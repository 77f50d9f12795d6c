/**
 * Values typed into the data-entry form, checked or saved through the import pipeline (the one road every value
 * takes), with each problem tied back to its cell, and outlier warnings against the cell's own history.
 * A cell whose every measure was cleared removes the stored value.
 */
import type { Database, Queryable } from '../db/database.ts';
import { canonicalDisaggregation } from '../domain/disaggregation.ts';
import { parseNumberText, percentageValue } from '../domain/data-value-input.ts';
import { DEFAULT_OUTLIER_THRESHOLD, isOutlier, median, modifiedZScore } from '../domain/outlier.ts';
import { parsePeriod, shiftPeriod } from '../domain/period.ts';
import type { RowError } from '../domain/row-error.ts';
import { importRows, type ImportCounts } from '../importexport/import-pipeline.ts';
import type { SourceRow } from '../importexport/source-row.ts';
import { OUTLIER_HISTORY_PERIODS } from '../validation/validation-service.ts';

/** One cell as typed: text exactly as entered, so the reason for a refusal can name it. */
export interface EntryValue {
  indicator: string;
  /** `sex=F`; empty = total. */
  disaggregation: string;
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
  comment?: string | null;
}

export interface EntryRequest {
  orgUnit: string;
  period: string;
  values: EntryValue[];
}

export type EntryField = 'value' | 'numerator' | 'denominator' | 'comment';

export interface EntryIssue {
  indicator: string;
  disaggregation: string;
  field: EntryField;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  /** The validation rule, for rule:… codes, so a screen can name it in its own language. */
  rule?: { code: string; nameEn: string; nameUr: string };
  /** For outliers: the median of the cell's history and the modified z-score. */
  outlier?: { median: number; score: number };
}

export interface EntryCheck {
  issues: EntryIssue[];
}

export interface EntrySave extends EntryCheck {
  /** The cells stored (or removed); every other cell has an error issue and was left as it was. */
  saved: { indicator: string; disaggregation: string }[];
  counts: ImportCounts;
}

const MEASURES = ['value', 'numerator', 'denominator'] as const;

const blank = (t: string | null | undefined) => t !== undefined && (t === null || t.trim() === '');

/** Every measure the cell carries is empty, and no comment is left on it: the user cleared it. */
function cleared(v: EntryValue): boolean {
  const given = MEASURES.filter((m) => v[m] !== undefined);
  return given.length > 0 && given.every((m) => blank(v[m])) && (v.comment === undefined || blank(v.comment));
}

function sourceRows(req: EntryRequest): SourceRow[] {
  return req.values.map((v, i) => ({
    row: i + 1,
    indicator: v.indicator,
    orgUnit: req.orgUnit,
    period: req.period,
    disaggregation: v.disaggregation,
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    comment: v.comment,
    deleted: cleared(v),
  }));
}

async function* iterate(rows: SourceRow[]): AsyncGenerator<SourceRow> {
  yield* rows;
}

function fieldOf(e: RowError): EntryField {
  return e.field === 'numerator' || e.field === 'denominator' || e.field === 'comment' ? e.field : 'value';
}

async function ruleNames(db: Queryable, errors: RowError[]): Promise<Map<string, { code: string; nameEn: string; nameUr: string }>> {
  const codes = [...new Set(errors.filter((e) => e.code.startsWith('rule:')).map((e) => e.code.slice(5)))];
  if (codes.length === 0) return new Map();
  const rows = (await db.query<{ code: string; nameEn: string; nameUr: string }>(
    `SELECT code, name_en AS "nameEn", name_ur AS "nameUr" FROM validation_rule WHERE code = ANY($1::text[])`, [codes])).rows;
  return new Map(rows.map((r) => [r.code, r]));
}

async function toIssues(db: Queryable, req: EntryRequest, errors: RowError[], warnings: RowError[]): Promise<EntryIssue[]> {
  const rules = await ruleNames(db, [...errors, ...warnings]);
  const issues: EntryIssue[] = [];
  const add = (e: RowError, severity: EntryIssue['severity']) => {
    // A row-0 problem (an unknown org unit or period) concerns every cell.
    const cells = e.row > 0 ? [req.values[e.row - 1]!] : req.values;
    for (const cell of cells) {
      const rule = e.code.startsWith('rule:') ? rules.get(e.code.slice(5)) : undefined;
      issues.push({
        indicator: cell.indicator,
        disaggregation: cell.disaggregation,
        field: fieldOf(e),
        severity,
        code: e.code,
        message: e.message,
        ...(rule ? { rule } : {}),
      });
    }
  };
  errors.forEach((e) => add(e, 'error'));
  warnings.forEach((w) => add(w, 'warning'));
  return issues;
}

/** The value a cell would store, when its text is a number (a percentage from its parts). */
function typedValue(v: EntryValue): number | null {
  if (v.numerator !== undefined || v.denominator !== undefined) {
    const n = parseNumberText(v.numerator);
    const d = parseNumberText(v.denominator);
    return n.ok && d.ok ? percentageValue(n.value, d.value) : null;
  }
  const x = parseNumberText(v.value);
  return x.ok ? x.value : null;
}

/** Typed values far from the same cell's earlier periods, by the same modified z-score as the stored-value check. */
async function outlierIssues(db: Queryable, req: EntryRequest, skip: Set<number>): Promise<EntryIssue[]> {
  const typed = req.values
    .map((v, i) => ({ v, i, x: typedValue(v) }))
    .filter((t): t is { v: EntryValue; i: number; x: number } => t.x !== null && !skip.has(t.i));
  if (typed.length === 0) return [];
  const period = parsePeriod(req.period);
  const history = Array.from({ length: OUTLIER_HISTORY_PERIODS }, (_, k) => shiftPeriod(period, -(k + 1)).code);
  const rows = (await db.query<{ indicator: string; disagg: string; value: number }>(
    `SELECT i.code AS indicator, dv.disagg, dv.value
       FROM data_value dv JOIN indicator i ON i.id = dv.indicator_id JOIN period p ON p.id = dv.period_id
       JOIN org_unit o ON o.id = dv.org_unit_id
      WHERE o.code = $1 AND p.code = ANY($2::text[]) AND i.code = ANY($3::text[]) AND dv.value IS NOT NULL`,
    [req.orgUnit, history, [...new Set(typed.map((t) => t.v.indicator))]])).rows;
  const past = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.indicator}|${r.disagg}`;
    past.set(key, [...(past.get(key) ?? []), r.value]);
  }
  const issues: EntryIssue[] = [];
  for (const { v, x } of typed) {
    const earlier = past.get(`${v.indicator}|${canonicalDisaggregation(v.disaggregation)}`) ?? [];
    const score = modifiedZScore(x, earlier);
    if (score === null || !isOutlier(score, DEFAULT_OUTLIER_THRESHOLD)) continue;
    const mid = median(earlier);
    issues.push({
      indicator: v.indicator,
      disaggregation: v.disaggregation,
      field: v.numerator !== undefined ? 'numerator' : 'value',
      severity: 'warning',
      code: 'outlier',
      message: `${x} is far from this cell's earlier values (median ${mid}, modified z-score ${score.toFixed(1)})`,
      outlier: { median: mid, score },
    });
  }
  return issues;
}

async function run(db: Database, req: EntryRequest, user: string, dryRun: boolean): Promise<EntrySave> {
  const none = { imported: 0, updated: 0, unchanged: 0, ignored: 0, deleted: 0 };
  if (req.values.length === 0) return { issues: [], saved: [], counts: none };
  const rows = sourceRows(req);
  // Valid cells are kept even when a neighbour is wrong: a clerk fixes the one cell, not the whole form.
  const summary = await importRows(db, iterate(rows), {
    user,
    format: 'form',
    dryRun,
    skipInvalid: true,
    only: { indicators: [...new Set(req.values.map((v) => v.indicator))], orgUnits: [req.orgUnit], periods: [req.period.trim()] },
  });
  const issues = await toIssues(db, req, summary.errors, summary.warnings);
  const refused = new Set<number>();
  for (const e of summary.errors) {
    if (e.row === 0) req.values.forEach((_, i) => refused.add(i));
    else refused.add(e.row - 1);
  }
  issues.push(...(await outlierIssues(db, req, refused)));
  const saved = summary.status === 'error' ? [] : req.values
    .filter((_, i) => !refused.has(i))
    .map((v) => ({ indicator: v.indicator, disaggregation: v.disaggregation }));
  return { issues, saved, counts: summary.counts };
}

/** What saving would do, writing nothing: every error and warning, tied to its cell. */
export async function checkEntryValues(db: Database, req: EntryRequest, user: string): Promise<EntryCheck> {
  const { issues } = await run(db, req, user, true);
  return { issues };
}

/** Stores the valid cells in one transaction and reports the others. */
export async function saveEntryValues(db: Database, req: EntryRequest, user: string): Promise<EntrySave> {
  return run(db, req, user, false);
}
