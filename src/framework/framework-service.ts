/** Framework authoring round trip: the stored frameworks out as a spreadsheet, an edited spreadsheet back in. */
import type { Database } from '../db/database.ts';
import { loadCatalogue, loadFrameworks, saveFrameworks, upsertCatalogue } from './framework-store.ts';
import { readFrameworkCsv, writeFrameworkCsv } from './framework-csv.ts';
import type { FrameworkSheetContent } from './framework-sheet-columns.ts';
import { readFrameworkWorkbook, writeFrameworkWorkbook } from './framework-workbook.ts';

export async function exportFrameworkWorkbook(db: Database, codes?: string[]): Promise<Buffer> {
  return writeFrameworkWorkbook(await loadFrameworks(db, codes), await loadCatalogue(db));
}

export async function exportFrameworkCsv(db: Database, codes?: string[]): Promise<Map<string, string>> {
  return writeFrameworkCsv(await loadFrameworks(db, codes), await loadCatalogue(db));
}

export interface FrameworkImportSummary {
  dryRun: boolean;
  frameworks: string[];
  pillars: number;
  objectives: number;
  indicators: number;
  targets: number;
  categories: number;
}

class Rollback extends Error {}

/** Stores the content in one transaction; a dry run checks everything against the database and writes nothing. */
export async function importFrameworkContent(db: Database, content: FrameworkSheetContent, opts: { dryRun: boolean }): Promise<FrameworkImportSummary> {
  const summary: FrameworkImportSummary = {
    dryRun: opts.dryRun,
    frameworks: content.frameworks.map((f) => f.code),
    pillars: content.frameworks.reduce((n, f) => n + f.pillars.length, 0),
    objectives: content.frameworks.reduce((n, f) => n + f.pillars.reduce((m, p) => m + p.objectives.length, 0), 0),
    indicators: content.frameworks.reduce((n, f) => n + f.pillars.reduce((m, p) => m + p.objectives.reduce((k, o) => k + o.indicators.length, 0), 0), 0),
    targets: content.frameworks.reduce((n, f) => n + f.targets.length, 0),
    categories: content.catalogue.length,
  };
  try {
    await db.transaction(async (tx) => {
      await upsertCatalogue(tx, content.catalogue);
      await saveFrameworks(tx, content.frameworks);
      if (opts.dryRun) throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return summary;
}

export async function importFrameworkWorkbook(db: Database, buf: Buffer, opts: { dryRun: boolean }): Promise<FrameworkImportSummary> {
  return importFrameworkContent(db, await readFrameworkWorkbook(buf), opts);
}

export async function importFrameworkCsv(db: Database, files: Map<string, string | Buffer>, opts: { dryRun: boolean }): Promise<FrameworkImportSummary> {
  return importFrameworkContent(db, readFrameworkCsv(files), opts);
}
