/**
 * Freshness: how long after a value is saved through the API the province aggregate shows it.
 * Each round saves one district total (one more than before) and polls /api/analytics for the province until the
 * aggregate has moved by exactly that much.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Database } from '../src/db/database.ts';
import { schemaVersion } from '../src/db/migrate.ts';
import { buildServer } from '../src/api/server.ts';
import { runImport } from '../src/importexport/import-service.ts';
import { loadBenchFramework } from './bench-framework.ts';
import { writeBenchCsv } from './import-bench.ts';
import { benchAuthorization } from './bench-token.ts';

/** The benchmark administrator's token, set once the database is loaded. */
let auth: Record<string, string> = {};

export interface FreshnessResult {
  rows: number;
  rounds: number;
  p50Ms: number;
  maxMs: number;
}

/** A bench database ready for the API: the benchmark framework and `rows` values imported through Jaiza. */
export async function loadBenchValues(db: Database, rows: number): Promise<{ indicators: string[]; districts: string[]; rows: number }> {
  const { indicators, districts } = await loadBenchFramework(db, 700);
  const dir = mkdtempSync(join(tmpdir(), 'jaiza-bench-values-'));
  try {
    const file = join(dir, 'values.csv');
    const written = await writeBenchCsv(file, rows, indicators, districts);
    const summary = await runImport(db, createReadStream(file), { format: 'csv', user: 'bench' });
    if (summary.status === 'error') throw new Error(`bench values did not import: ${JSON.stringify(summary.errors.slice(0, 3))}`);
    return { indicators, districts, rows: written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function cellValue(base: string, indicator: string, orgUnit: string, period: string): Promise<number> {
  const q = new URLSearchParams({ indicator, orgUnit, period });
  const res = await fetch(`${base}/api/analytics?${q}`, { headers: auth });
  if (!res.ok) throw new Error(`GET /api/analytics ${orgUnit} ${period}: HTTP ${res.status} ${await res.text()}`);
  const cells = (await res.json()) as { value: number | null }[];
  return cells[0]?.value ?? 0;
}

export async function freshnessBench(
  open: () => Promise<{ db: Database; close: () => Promise<void> }>,
  opts: { rows: number; rounds: number; timeoutMs: number },
  log: (s: string) => void,
): Promise<FreshnessResult> {
  const conn = await open();
  try {
    const { indicators, districts, rows } = await loadBenchValues(conn.db, opts.rows);
    log(`  loaded ${rows.toLocaleString('en')} values`);
    const province = new Map((await conn.db.query<{ district: string; province: string }>(
      `SELECT d.code AS district, p.code AS province FROM org_unit d
         JOIN org_unit_closure c ON c.descendant_id = d.id JOIN org_unit p ON p.id = c.ancestor_id AND p.level = 'province'
        WHERE d.level = 'district'`)).rows.map((r) => [r.district, r.province]));
    auth = await benchAuthorization(conn.db);
    const app = await buildServer({ db: conn.db, migrationVersion: await schemaVersion(conn.db), dataDir: null, close: conn.close });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const indicator = indicators[0]!;
      const timings: number[] = [];
      for (let i = 0; i < opts.rounds; i++) {
        // Spread the rounds over districts and quarters, so some cells are new and some are changed.
        const district = districts[(i * 7) % districts.length]!;
        const prov = province.get(district)!;
        const period = `${2016 + (i % 10)}Q${1 + (i % 4)}`;
        const before = await cellValue(base, indicator, prov, period);
        const own = await cellValue(base, indicator, district, period);
        const value = own + 1 + (i % 5);
        const expected = before + (value - own);
        const started = performance.now();
        const put = await fetch(`${base}/api/data-values`, {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ indicator, orgUnit: district, period, value }),
        });
        if (!put.ok) throw new Error(`PUT /api/data-values ${district} ${period}: HTTP ${put.status} ${await put.text()}`);
        for (;;) {
          if ((await cellValue(base, indicator, prov, period)) === expected) break;
          if (performance.now() - started > opts.timeoutMs) throw new Error(`${prov} ${period} never showed ${district}'s new value`);
        }
        timings.push(performance.now() - started);
      }
      timings.sort((a, b) => a - b);
      return { rows, rounds: timings.length, p50Ms: percentile(timings, 50), maxMs: timings.at(-1)! };
    } finally {
      await app.close();
    }
  } finally {
    await conn.close();
  }
}
