/**
 * Saves single values (a form's cells, a script's PUTs) through the import pipeline, sharing one transaction among
 * the saves that arrive while the previous one runs: group commit. One transaction's fixed cost (lookups, staging,
 * rule check, pre-aggregate refresh, commit) is paid once per group instead of once per value, so fifty clerks saving
 * at once wait for one or two transactions, not fifty. Each save still gets its own answer: its own errors and
 * warnings, and what happened to its value; a bad value never holds back the others.
 */
import type { Database } from '../db/database.ts';
import { canonicalDisaggregation, DisaggregationError } from '../domain/disaggregation.ts';
import type { RowError } from '../domain/row-error.ts';
import { importRows, type ImportCounts, type ImportSummary } from '../importexport/import-pipeline.ts';
import type { SourceRow } from '../importexport/source-row.ts';

export type ValueSave = Omit<SourceRow, 'row' | 'sheet' | 'storedBy'>;

interface Pending {
  value: ValueSave;
  user: string;
  cell: string;
  /** Run in a group of its own: a shared group dropped it for another save's rule failure. */
  alone?: boolean;
  resolve: (s: ImportSummary) => void;
  reject: (e: unknown) => void;
}

/** A group's saves are listed in its summary's errors; this keeps every row's errors within that list. */
const MAX_GROUP = 200;

function cellKey(v: ValueSave): string {
  let disagg = v.disaggregation;
  try {
    disagg = canonicalDisaggregation(v.disaggregation);
  } catch (e) {
    if (!(e instanceof DisaggregationError)) throw e;
  }
  return [v.indicator.trim().toUpperCase(), v.orgUnit.trim().toUpperCase(), v.period.trim(), disagg].join('|');
}

const ZERO: ImportCounts = { imported: 0, updated: 0, unchanged: 0, ignored: 0, deleted: 0 };
const COUNTED = { create: 'imported', update: 'updated', unchanged: 'unchanged', delete: 'deleted', ignore: 'ignored' } as const;

export class ValueSaver {
  private readonly queue: Pending[] = [];
  private running = false;

  constructor(private readonly db: Database) {}

  /** Saves (or, with `deleted`, removes) one value as `user`; resolves with the summary of that value alone. */
  save(value: ValueSave, user: string): Promise<ImportSummary> {
    return new Promise((resolve, reject) => {
      this.queue.push({ value, user, cell: cellKey(value), resolve, reject });
      if (this.running) return;
      this.running = true;
      // After the current task, so saves sent together start in one group.
      queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.runGroup(this.takeGroup());
    } finally {
      this.running = false;
    }
  }

  /**
   * The oldest save and the others queued by the same user with the same intent (save or remove). A cell saved
   * twice waits for the next group, so the later save is applied after the earlier one, as it was sent.
   */
  private takeGroup(): Pending[] {
    const first = this.queue[0]!;
    if (first.alone) return this.queue.splice(0, 1);
    const group: Pending[] = [];
    const cells = new Set<string>();
    for (let i = 0; i < this.queue.length && group.length < MAX_GROUP; ) {
      const p = this.queue[i]!;
      if (!p.alone && p.user === first.user && Boolean(p.value.deleted) === Boolean(first.value.deleted) && !cells.has(p.cell)) {
        cells.add(p.cell);
        group.push(p);
        this.queue.splice(i, 1);
      } else i++;
    }
    return group;
  }

  private async runGroup(group: Pending[]): Promise<void> {
    const rows: SourceRow[] = group.map((p, i) => ({ ...p.value, row: i + 1 }));
    const deleting = Boolean(group[0]!.value.deleted);
    const codes = (f: (v: ValueSave) => string) => [...new Set(group.map((p) => f(p.value).trim()))];
    let summary: ImportSummary;
    try {
      summary = await importRows(this.db, (async function* () { yield* rows; })(), {
        user: group[0]!.user,
        format: 'form',
        skipInvalid: true,
        rowActions: true,
        strategy: deleting ? 'delete' : 'create_and_update',
        only: { indicators: codes((v) => v.indicator), orgUnits: codes((v) => v.orgUnit), periods: codes((v) => v.period) },
      });
    } catch (e) {
      for (const p of group) p.reject(e);
      return;
    }
    const byRow = (list: RowError[]) => {
      const out = new Map<number, RowError[]>();
      for (const e of list) out.set(e.row, [...(out.get(e.row) ?? []), { ...e, row: 1 }]);
      return out;
    };
    const errors = byRow(summary.errors);
    const warnings = byRow(summary.warnings);
    const retry: Pending[] = [];
    group.forEach((p, i) => {
      const own = errors.get(i + 1) ?? [];
      const action = summary.rowActions?.get(i + 1);
      // A rule over several cells names one of them; the others it rejected are tried again on their own.
      if (!own.length && !action && group.length > 1) {
        retry.push({ ...p, alone: true });
        return;
      }
      const ownWarnings = own.length ? [] : warnings.get(i + 1) ?? [];
      p.resolve({
        status: own.length ? 'error' : ownWarnings.length ? 'warning' : 'success',
        dryRun: false,
        rowsRead: 1,
        counts: { ...ZERO, [COUNTED[own.length ? 'ignore' : action ?? 'ignore']]: 1 },
        errorCount: own.length,
        errors: own,
        warnings: ownWarnings,
        importId: own.length ? null : summary.importId,
      });
    });
    this.queue.unshift(...retry);
  }
}
