/**
 * Import throughput: `jaiza import` of a large Jaiza CSV (parsing, validation, history, all in one transaction)
 * against a raw batched insert of the same rows into the same engine.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Database } from '../src/db/database.ts';
import { parsePeriod, periodRange } from '../src/domain/period.ts';
import { runImport } from '../src/importexport/import-service.ts';
import { ensurePeriod } from '../src/importexport/import-lookups.ts';
import { loadBenchFramework } from './bench-framework.ts';

export interface ImportBenchResult {
  rows: number;
  fileMB: number;
  jaizaSeconds: number;
  rawSeconds: number;
  jaizaRowsPerSecond: number;
  rawRowsPerSecond: number;
  ratio: number;
}

const QUARTERS = periodRange(parsePeriod('2016Q1'), parsePeriod('2026Q4')).map((p) => p.code);

/** Writes `rows` CSV lines: indicator × district × quarter, each as total, F and M (which add up). */
export async function writeBenchCsv(file: string, rows: number, indicators: string[], districts: string[]): Promise<number> {
  const out = createWriteStream(file);
  out.write('indicator,org_unit,period,disaggregation,value,numerator,denominator,comment\n');
  let n = 0;
  let buf = '';
  outer: for (const q of QUARTERS) {
    for (const ind of indicators) {
      for (const d of districts) {
        const total = 20 + ((n * 7919) % 400);
        const f = Math.floor(total * 0.4);
        buf += `${ind},${d},${q},,${total},,,\n${ind},${d},${q},sex=F,${f},,,\n${ind},${d},${q},sex=M,${total - f},,,\n`;
        n += 3;
        if (buf.length > 1 << 20) {
          if (!out.write(buf)) await once(out, 'drain');
          buf = '';
        }
        if (n >= rows) break outer;
      }
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return n;
}

/** The baseline: the same rows, ids already known, straight into data_value in batches, nothing checked. */
export async function rawInsert(db: Database, rows: number, indicators: string[], districts: string[]): Promise<number> {
  const ind = new Map((await db.query<{ code: string; id: number }>('SELECT code, id FROM indicator')).rows.map((r) => [r.code, r.id]));
  const ou = new Map((await db.query<{ code: string; id: number }>('SELECT code, id FROM org_unit')).rows.map((r) => [r.code, r.id]));
  const per = new Map<string, number>();
  for (const q of QUARTERS) per.set(q, await ensurePeriod(db, q));
  const started = performance.now();
  await db.transaction(async (tx) => {
    let n = 0;
    let batch: [number, number, number, string, number][] = [];
    const flush = async () => {
      await tx.query(
        `INSERT INTO data_value (indicator_id, org_unit_id, period_id, disagg, value, stored_by)
         SELECT i, o, p, d, v, 'bench' FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::float8[]) AS t(i, o, p, d, v)`,
        [batch.map((b) => b[0]), batch.map((b) => b[1]), batch.map((b) => b[2]), batch.map((b) => b[3]), batch.map((b) => b[4])],
      );
      batch = [];
    };
    outer: for (const q of QUARTERS) {
      for (const i of indicators) {
        for (const d of districts) {
          const total = 20 + ((n * 7919) % 400);
          const f = Math.floor(total * 0.4);
          const key = [ind.get(i)!, ou.get(d)!, per.get(q)!] as const;
          batch.push([...key, '', total], [...key, 'sex=F', f], [...key, 'sex=M', total - f]);
          n += 3;
          if (batch.length >= 5000) await flush();
          if (n >= rows) break outer;
        }
      }
    }
    if (batch.length) await flush();
  });
  return (performance.now() - started) / 1000;
}

export async function importBench(open: () => Promise<{ db: Database; close: () => Promise<void> }>, rows: number, log: (s: string) => void): Promise<ImportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jaiza-bench-'));
  const file = join(dir, 'values.csv');
  try {
    let conn = await open();
    const { indicators, districts } = await loadBenchFramework(conn.db, 700);
    const written = await writeBenchCsv(file, rows, indicators, districts);
    const fileMB = statSync(file).size / 1024 / 1024;
    log(`  generated ${written.toLocaleString('en')} values (${fileMB.toFixed(0)} MB CSV)`);
    let started = performance.now();
    let lastLog = 0;
    const summary = await runImport(conn.db, createReadStream(file), {
      format: 'csv', user: 'bench',
      onProgress: (n) => {
        if (performance.now() - lastLog > 5000) {
          lastLog = performance.now();
          log(`  … jaiza import: ${n.toLocaleString('en')} rows`);
        }
      },
    });
    const jaizaSeconds = (performance.now() - started) / 1000;
    if (summary.status === 'error' || summary.counts.imported !== written) {
      throw new Error(`benchmark import failed: ${JSON.stringify({ ...summary, errors: summary.errors.slice(0, 3) })}`);
    }
    await conn.close();
    conn = await open();
    await loadBenchFramework(conn.db, 700);
    started = performance.now();
    const rawSeconds = await rawInsert(conn.db, written, indicators, districts);
    await conn.close();
    return {
      rows: written,
      fileMB,
      jaizaSeconds,
      rawSeconds,
      jaizaRowsPerSecond: written / jaizaSeconds,
      rawRowsPerSecond: written / rawSeconds,
      ratio: written / jaizaSeconds / (written / rawSeconds),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
