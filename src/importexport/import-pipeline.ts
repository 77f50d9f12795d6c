/**
 * The one road every value travels: parsed rows → resolved ids → staged in a temporary table →
 * merged with what is stored, checked, classified → applied with history, in one transaction.
 * Set-based SQL does the merging so a million-row file never sits in memory.
 */
import type { Database, Queryable } from '../db/database.ts';
import { InputError, type RowError } from '../domain/row-error.ts';
import { DatabaseError } from '../db/database-error.ts';
import { ImportLookups } from './import-lookups.ts';
import { resolveRow, type StagedRow } from './resolve-row.ts';
import type { SourceRows } from './source-row.ts';
import { checkImportRules } from './import-rules.ts';
import { lockIndicators, refreshRollups } from '../rollups/rollup-maintenance.ts';
import { useBulkMemory } from '../db/bulk-memory.ts';
import { auditAppliedImport } from '../audit/data-change-audit.ts';
import { checkEntryLocks } from './entry-locks.ts';

export type ImportStrategy = 'create_and_update' | 'delete';

export interface ImportOptions {
  /** Who is importing; recorded on every value and history row. */
  user: string;
  format: string;
  fileName?: string;
  dryRun?: boolean;
  /** Apply the valid rows and report the others, instead of all-or-nothing. */
  skipInvalid?: boolean;
  strategy?: ImportStrategy;
  /** Demo data: flagged so every screen and export can say it is synthetic. */
  synthetic?: boolean;
  onProgress?: (rowsRead: number) => void;
  /** The codes a small input names, when known up front (a form's value): only those are looked up. */
  only?: { indicators: string[]; orgUnits: string[]; periods: string[] };
  batchSize?: number;
  /** Report what happened to each accepted row (for saves that share one import). */
  rowActions?: boolean;
  /** The org units (ids) the importer may write; a row outside them is refused. Absent: every unit (the CLI operator). */
  orgUnitScope?: Set<number>;
  /**
   * Refuse changes to locked submissions, closed and future periods (true unless said otherwise). Only the
   * demo seed turns it off: it writes history that its own submissions then lock.
   */
  entryLocks?: boolean;
}

export type RowAction = 'create' | 'update' | 'unchanged' | 'delete' | 'ignore';

export interface ImportCounts {
  imported: number;
  updated: number;
  unchanged: number;
  ignored: number;
  deleted: number;
}

export interface ImportSummary {
  /** success: applied (or would apply) cleanly; warning: applied with ignored rows or rule warnings; error: nothing written. */
  status: 'success' | 'warning' | 'error';
  dryRun: boolean;
  rowsRead: number;
  counts: ImportCounts;
  errorCount: number;
  /** The first MAX_LISTED errors, each naming row, field and reason. */
  errors: RowError[];
  warnings: RowError[];
  importId: number | null;
  /** With the rowActions option: each accepted row's action, by row number. */
  rowActions?: Map<number, RowAction>;
}

const MAX_LISTED = 1000;
/** Rows from which an import merges with more working memory. */
const BULK_ROWS = 10_000;

class DryRunRollback extends Error {}

export async function importRows(db: Database, rows: SourceRows, opts: ImportOptions): Promise<ImportSummary> {
  const lookups = await ImportLookups.load(db, opts.only);
  const errors: RowError[] = [];
  let errorCount = 0;
  const addError = (e: RowError) => {
    errorCount++;
    if (errors.length < MAX_LISTED) errors.push(e);
  };
  const dryRun = opts.dryRun ?? false;
  const batchSize = opts.batchSize ?? 5000;
  let rowsRead = 0;
  let ignoredRows = 0;
  let summary: ImportSummary | undefined;
  const createdPeriods = new Set<string>();

  try {
    await db.transaction(async (tx) => {
      await tx.exec(STAGING_DDL);
      let batch: StagedRow[] = [];
      // One batch is written while the next is parsed: the database works on its own thread or process.
      let writing: Promise<void> = Promise.resolve();
      const flush = async () => {
        if (batch.length === 0) return;
        const full = batch;
        batch = [];
        await writing;
        for (const r of full) if (lookups.periodId(r.period.code) === undefined) createdPeriods.add(r.period.code);
        await lookups.ensurePeriods(tx, full.map((r) => r.period));
        writing = insertStaged(tx, full, lookups);
        writing.catch(() => undefined);
      };
      try {
        for await (const src of rows) {
          rowsRead++;
          if (opts.onProgress && rowsRead % 10_000 === 0) opts.onProgress(rowsRead);
          let resolved = resolveRow(src, lookups, opts.strategy === 'delete');
          if (!Array.isArray(resolved) && opts.orgUnitScope && !opts.orgUnitScope.has(resolved.orgUnitId)) {
            resolved = [{ row: src.row, field: 'orgUnit', code: 'outside_scope', message: `${src.orgUnit} is outside the org units you may report for` }];
          }
          if (Array.isArray(resolved)) {
            resolved.forEach(addError);
            ignoredRows++;
            continue;
          }
          // Once the import is bound to fail, keep reading only to report every bad row.
          if (errorCount > 0 && !opts.skipInvalid) continue;
          batch.push(resolved);
          if (batch.length >= batchSize) await flush();
        }
      } catch (e) {
        // A file that cannot be read to the end (wrong header, truncated, binary) is never half-applied.
        if (!(e instanceof InputError)) throw e;
        e.errors.forEach(addError);
        await writing.catch(() => undefined);
        throw new DryRunRollback();
      }
      await flush();
      await writing;
      opts.onProgress?.(rowsRead);
      if (rowsRead === 0) {
        addError({ row: 0, field: 'file', code: 'empty', message: 'the file contains no data rows' });
      }
      if (errorCount > 0 && !opts.skipInvalid) throw new DryRunRollback();

      if (rowsRead >= BULK_ROWS) await useBulkMemory(tx);
      // Taken before the staged cells are compared with the stored ones (the pre-aggregates take it again, later):
      // two clerks saving the same cell then follow one another instead of the second failing on the first's row.
      await lockIndicators(tx, 'SELECT DISTINCT indicator_id AS id FROM import_row');
      for (const e of await mergeAndCheck(tx)) addError(e);
      const locks = opts.entryLocks === false ? null : await checkEntryLocks(tx, MAX_LISTED);
      if (locks) {
        locks.errors.forEach(addError);
        errorCount += locks.refused - locks.errors.length;
      }
      const ruleResult = await checkImportRules(tx);
      for (const e of ruleResult.errors) addError(e);
      if (errorCount > 0 && !opts.skipInvalid) throw new DryRunRollback();
      if (errorCount > 0) ignoredRows += await dropRejected(tx, locks !== null);

      const counts = await classify(tx);
      counts.ignored += ignoredRows;
      const rowActions = opts.rowActions ? await actionsByRow(tx) : undefined;
      let importId: number | null = null;
      if (!dryRun) importId = await apply(tx, opts, counts);
      summary = {
        status: errorCount > 0 || ruleResult.warnings.length > 0 ? 'warning' : 'success',
        dryRun,
        rowsRead,
        counts,
        errorCount,
        errors,
        warnings: ruleResult.warnings,
        importId,
        ...(rowActions ? { rowActions } : {}),
      };
      if (importId !== null) {
        await tx.query('UPDATE import_job SET summary = $2 WHERE id = $1', [importId, JSON.stringify({ ...summary, rowActions: undefined, errors: errors.slice(0, 100) })]);
        // Last in the transaction: the audit chain's lock is held only until the commit.
        await auditAppliedImport(tx, importId, opts, counts);
      }
      if (dryRun) throw new DryRunRollback();
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
    lookups.forgetPeriods(createdPeriods);
  }
  if (summary) return summary;
  return {
    status: 'error',
    dryRun,
    rowsRead,
    counts: { imported: 0, updated: 0, unchanged: 0, ignored: rowsRead, deleted: 0 },
    errorCount,
    errors,
    warnings: [],
    importId: null,
  };
}

// Created once per connection and emptied at every commit (a rollback empties them too): creating
// them per import cost more than saving a single value.
const STAGING_DDL = `
CREATE TEMP TABLE IF NOT EXISTS import_row (
  row_no integer NOT NULL, indicator_id integer NOT NULL, org_unit_id integer NOT NULL, period_id integer NOT NULL,
  disagg text NOT NULL, mask integer NOT NULL, value double precision, numerator double precision, denominator double precision,
  comment text, deleted boolean NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS import_final (
  row_no integer NOT NULL, indicator_id integer NOT NULL, org_unit_id integer NOT NULL, period_id integer NOT NULL,
  disagg text NOT NULL, deleted boolean NOT NULL, unit_type text NOT NULL, existing_id bigint, duplicate boolean NOT NULL,
  old_stored_by text, old_stored_at timestamptz, old_value double precision, old_numerator double precision, old_denominator double precision, old_comment text,
  new_value double precision, new_numerator double precision, new_denominator double precision, new_comment text,
  action text NOT NULL
) ON COMMIT DELETE ROWS;`;

async function insertStaged(tx: Queryable, batch: StagedRow[], lookups: ImportLookups): Promise<void> {
  await tx.query(
    `INSERT INTO import_row SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::text[], $6::int[],
       $7::float8[], $8::float8[], $9::float8[], $10::text[], $11::bool[])`,
    [
      batch.map((r) => r.row),
      batch.map((r) => r.indicatorId),
      batch.map((r) => r.orgUnitId),
      batch.map((r) => lookups.periodId(r.period.code)),
      batch.map((r) => r.disagg),
      batch.map((r) => r.mask),
      batch.map((r) => r.value),
      batch.map((r) => r.numerator),
      batch.map((r) => r.denominator),
      batch.map((r) => r.comment),
      batch.map((r) => r.deleted),
    ],
  );
}

/**
 * Folds rows for the same cell together (a DHIS2 numerator and denominator arrive as two rows),
 * overlays them on the stored value and classifies each cell, in one pass over the staged rows;
 * then reports duplicates and impossible ratios.
 */
async function mergeAndCheck(tx: Queryable): Promise<RowError[]> {
  await tx.exec(`
    INSERT INTO import_final
    SELECT m.row_no, m.indicator_id, m.org_unit_id, m.period_id, m.disagg, m.deleted, i.unit_type, d.id, m.duplicate,
      d.stored_by, d.stored_at, d.value, d.numerator, d.denominator, d.comment,
      n.value, n.numerator, n.denominator, n.comment,
      CASE
        WHEN m.deleted AND d.id IS NOT NULL THEN 'delete'
        WHEN m.deleted THEN 'ignore'
        WHEN d.id IS NULL THEN 'create'
        WHEN n.value IS DISTINCT FROM d.value OR n.numerator IS DISTINCT FROM d.numerator
          OR n.denominator IS DISTINCT FROM d.denominator OR n.comment IS DISTINCT FROM d.comment THEN 'update'
        ELSE 'unchanged' END
    FROM (
      SELECT indicator_id, org_unit_id, period_id, disagg, min(row_no) AS row_no, bool_or(deleted) AS deleted, bit_or(mask) AS mask,
        count(*) > 1 AND (sum(mask) <> bit_or(mask) OR bool_or(mask = 0) OR bool_or(deleted) <> bool_and(deleted)) AS duplicate,
        max(value) FILTER (WHERE mask & 1 = 1) AS value,
        max(numerator) FILTER (WHERE mask & 2 = 2) AS numerator,
        max(denominator) FILTER (WHERE mask & 4 = 4) AS denominator,
        max(comment) FILTER (WHERE mask & 8 = 8) AS comment
      FROM import_row GROUP BY indicator_id, org_unit_id, period_id, disagg
    ) m
    JOIN indicator i ON i.id = m.indicator_id
    LEFT JOIN data_value d ON d.indicator_id = m.indicator_id AND d.org_unit_id = m.org_unit_id
      AND d.period_id = m.period_id AND d.disagg = m.disagg
    CROSS JOIN LATERAL (
      SELECT CASE WHEN m.mask & 2 = 2 THEN m.numerator ELSE d.numerator END AS numerator,
             CASE WHEN m.mask & 4 = 4 THEN m.denominator ELSE d.denominator END AS denominator
    ) parts
    CROSS JOIN LATERAL (
      SELECT CASE WHEN i.unit_type = 'percentage'
               THEN CASE WHEN parts.denominator > 0 THEN 100 * parts.numerator / parts.denominator END
               WHEN m.mask & 1 = 1 THEN m.value ELSE d.value END AS value,
             parts.numerator, parts.denominator,
             CASE WHEN m.mask & 8 = 8 THEN m.comment ELSE d.comment END AS comment
    ) n`);
  const errors: RowError[] = [];
  const dups = await tx.query<{ rows: number[]; indicator: string; org_unit: string; period: string; disagg: string }>(
    `SELECT array_agg(s.row_no ORDER BY s.row_no) AS rows, min(i.code) AS indicator, min(o.code) AS org_unit, min(p.code) AS period, f.disagg
       FROM import_final f
       JOIN import_row s ON s.indicator_id = f.indicator_id AND s.org_unit_id = f.org_unit_id AND s.period_id = f.period_id AND s.disagg = f.disagg
       JOIN indicator i ON i.id = f.indicator_id JOIN org_unit o ON o.id = f.org_unit_id JOIN period p ON p.id = f.period_id
      WHERE f.duplicate
      GROUP BY f.indicator_id, f.org_unit_id, f.period_id, f.disagg
      ORDER BY min(s.row_no) LIMIT ${MAX_LISTED}`,
  );
  for (const d of dups.rows) {
    for (const r of d.rows.slice(1)) {
      errors.push({
        row: r,
        field: 'row',
        code: 'duplicate',
        message: `duplicate of row ${d.rows[0]}: ${d.indicator} / ${d.org_unit} / ${d.period}${d.disagg ? ` / ${d.disagg}` : ''} appears more than once`,
      });
    }
  }
  const ratios = await tx.query<{ row_no: number; new_numerator: number | null; new_denominator: number | null }>(
    `SELECT row_no, new_numerator, new_denominator FROM import_final WHERE ${BAD_RATIO} ORDER BY row_no LIMIT ${MAX_LISTED}`,
  );
  for (const r of ratios.rows) {
    if (r.new_numerator === null) errors.push({ row: r.row_no, field: 'numerator', code: 'required', message: 'the percentage has no numerator (none in the file, none stored)' });
    else if (r.new_denominator === null) errors.push({ row: r.row_no, field: 'denominator', code: 'required', message: 'the percentage has no denominator (none in the file, none stored)' });
    else errors.push({ row: r.row_no, field: 'numerator', code: 'numerator_exceeds_denominator', message: `the numerator ${r.new_numerator} is greater than the denominator ${r.new_denominator}` });
  }
  return errors.sort((a, b) => a.row - b.row);
}

const BAD_RATIO = `unit_type = 'percentage' AND NOT deleted
  AND (new_numerator IS NULL OR new_denominator IS NULL OR new_numerator > new_denominator)`;

/** With skip-invalid: drop the cells that failed a set-based check; returns how many cells that ignores. */
async function dropRejected(tx: Queryable, locksChecked: boolean): Promise<number> {
  const res = await tx.query(
    `DELETE FROM import_final WHERE duplicate OR (${BAD_RATIO}) OR row_no IN (SELECT row_no FROM import_rule_rejected)
       ${locksChecked ? 'OR row_no IN (SELECT row_no FROM import_locked)' : ''}`,
  );
  return res.rowCount;
}

async function classify(tx: Queryable): Promise<ImportCounts> {
  const res = await tx.query<{ action: string; n: number }>('SELECT action, count(*)::int AS n FROM import_final GROUP BY action');
  const n = (a: string) => res.rows.find((r) => r.action === a)?.n ?? 0;
  return { imported: n('create'), updated: n('update'), unchanged: n('unchanged'), ignored: n('ignore'), deleted: n('delete') };
}

async function actionsByRow(tx: Queryable): Promise<Map<number, RowAction>> {
  const res = await tx.query<{ row_no: number; action: RowAction }>('SELECT row_no, action FROM import_final');
  return new Map(res.rows.map((r) => [r.row_no, r.action]));
}

const UNIQUE_VIOLATION = '23505';

/**
 * On a server, another writer may have stored or removed one of the cells since they were compared: history would
 * then miss its value, so nothing is written, and the file can simply be imported again.
 */
function concurrentChange(): InputError {
  return new InputError([{ row: 0, field: 'file', code: 'concurrent_change', message:
    'another user stored or removed values for the same cells while this import ran; nothing was written: import it again' }]);
}

async function apply(tx: Queryable, opts: ImportOptions, counts: ImportCounts): Promise<number> {
  const job = await tx.query<{ id: number }>(
    `INSERT INTO import_job (format, file_name, dry_run, status, created_by) VALUES ($1, $2, false, 'applied', $3) RETURNING id`,
    [opts.format, opts.fileName ?? null, opts.user],
  );
  const importId = job.rows[0]!.id;
  await tx.query(
    `INSERT INTO data_value_history (indicator_id, org_unit_id, period_id, disagg, action, old_value, new_value, old_numerator,
       new_numerator, old_denominator, new_denominator, old_comment, new_comment, old_stored_by, old_stored_at, changed_by, import_id)
     SELECT indicator_id, org_unit_id, period_id, disagg, action, old_value,
       CASE WHEN action = 'delete' THEN NULL ELSE new_value END, old_numerator,
       CASE WHEN action = 'delete' THEN NULL ELSE new_numerator END, old_denominator,
       CASE WHEN action = 'delete' THEN NULL ELSE new_denominator END, old_comment,
       CASE WHEN action = 'delete' THEN NULL ELSE new_comment END, old_stored_by, old_stored_at, $1, $2
       FROM import_final WHERE action IN ('update', 'delete')`,
    [opts.user, importId],
  );
  // New values in the order of the table's key: a million of them go into its indexes far faster than in file order.
  await tx.query(
    `INSERT INTO data_value (indicator_id, org_unit_id, period_id, disagg, value, numerator, denominator, comment, synthetic, stored_by)
     SELECT indicator_id, org_unit_id, period_id, disagg, new_value, new_numerator, new_denominator, new_comment, $2, $1
       FROM import_final WHERE action = 'create' ORDER BY indicator_id, org_unit_id, period_id, disagg`,
    [opts.user, opts.synthetic ?? false],
  ).catch((e: unknown) => {
    if (e instanceof DatabaseError && e.code === UNIQUE_VIOLATION) throw concurrentChange();
    throw e;
  });
  const updated = await tx.query(
    `UPDATE data_value d SET value = f.new_value, numerator = f.new_numerator, denominator = f.new_denominator, comment = f.new_comment,
       synthetic = $2, stored_by = $1, stored_at = now()
       FROM import_final f WHERE f.action = 'update' AND d.id = f.existing_id`,
    [opts.user, opts.synthetic ?? false],
  );
  const deleted = await tx.query(`DELETE FROM data_value d USING import_final f WHERE f.action = 'delete' AND d.id = f.existing_id`);
  if (updated.rowCount !== counts.updated || deleted.rowCount !== counts.deleted) throw concurrentChange();
  await refreshRollups(tx, `SELECT DISTINCT indicator_id, period_id, org_unit_id FROM import_final WHERE action IN ('create', 'update', 'delete')`);
  return importId;
}
