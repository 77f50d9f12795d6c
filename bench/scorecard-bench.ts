/**
 * The national pillar × province scorecard over a large database, against hand-written SQL for the same values:
 * once over the raw values (what a query without pre-aggregates must do) and once over the pre-aggregate table
 * (the least any implementation that keeps them could do). Then the same scorecard through the HTTP API of a
 * `jaiza serve` in its own process, whose peak resident memory is read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Connection } from '../src/db/connect.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import type { Queryable } from '../src/db/database.ts';
import { parsePeriod, periodRange, shiftPeriod } from '../src/domain/period.ts';
import { aggregateSeries, loadIndicatorInfo, resolveOrgUnits } from '../src/analytics/analytics-query.ts';
import { pillarProvinceScorecard } from '../src/analytics/scorecard.ts';
import { rebuildAllRollups } from '../src/rollups/rollup-maintenance.ts';
import type { BenchEngine } from './bench-database.ts';
import { loadBenchFramework } from './bench-framework.ts';
import { rawInsert } from './import-bench.ts';
import { freePort, peakRssMB, stop, waitForHealth } from './served-process.ts';
import { percentile } from './freshness-bench.ts';
import { benchAuthorization } from './bench-token.ts';

export interface ScorecardBenchResult {
  rows: number;
  loadSeconds: number;
  rollupSeconds: number;
  jaizaMs: number;
  handRawMs: number;
  handRollupMs: number;
  httpMs: number;
  peakRssMB: number;
  cells: number;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));
/** Values per quarter in the benchmark data: 700 indicators × 169 districts × total, F and M. */
const PER_QUARTER = 700 * 169 * 3;

async function p50(runs: number, fn: () => Promise<unknown>, warmups = 2): Promise<number> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

async function open(engine: BenchEngine): Promise<{ conn: Connection; env: Record<string, string>; remove: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'jaiza-bench-scorecard-'));
    return { conn: await connect({ dataDir: dir }), env: { JAIZA_DATA_DIR: dir, DATABASE_URL: '' }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const scratch = await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'jaiza_bench');
  return { conn: await connect({ databaseUrl: scratch.url }), env: { DATABASE_URL: scratch.url }, remove: () => scratch.drop() };
}

type Values = Map<string, number | null>;

/**
 * The hand-written query over raw values. Every quarter's total is reported and the framework holds every
 * indicator, so it neither derives totals nor filters indicators (naming 700 of them made the planner probe the
 * unique index per indicator: ten times slower).
 */
async function handRaw(db: Queryable, ids: { indicators: number[]; provinces: number[]; periods: number[] }): Promise<Values> {
  const res = await db.query<{ indicator_id: number; org_unit_id: number; period_id: number; value: number | null }>(
    `SELECT d.indicator_id, c.ancestor_id AS org_unit_id, d.period_id, sum(d.value) AS value
       FROM data_value d JOIN org_unit_closure c ON c.descendant_id = d.org_unit_id
      WHERE c.ancestor_id = ANY($1::int[]) AND d.disagg = '' AND d.period_id = ANY($2::int[])
      GROUP BY d.indicator_id, c.ancestor_id, d.period_id`,
    [ids.provinces, ids.periods]);
  return new Map(res.rows.map((r) => [`${r.indicator_id}|${r.period_id}|${r.org_unit_id}`, r.value]));
}

async function handRollup(db: Queryable, ids: { indicators: number[]; provinces: number[]; periods: number[] }): Promise<Values> {
  const res = await db.query<{ indicator_id: number; org_unit_id: number; period_id: number; value: number | null }>(
    `SELECT indicator_id, org_unit_id, period_id, value FROM value_rollup
      WHERE org_unit_id = ANY($1::int[]) AND period_id = ANY($2::int[]) AND indicator_id = ANY($3::int[])`,
    [ids.provinces, ids.periods, ids.indicators]);
  return new Map(res.rows.map((r) => [`${r.indicator_id}|${r.period_id}|${r.org_unit_id}`, r.value]));
}

export async function scorecardBench(engine: BenchEngine, rows: number, log: (s: string) => void): Promise<ScorecardBenchResult> {
  const target = await open(engine);
  let child: ChildProcess | undefined;
  try {
    const { conn } = target;
    const { indicators, districts } = await loadBenchFramework(conn.db, 700);
    let started = performance.now();
    await rawInsert(conn.db, rows, indicators, districts);
    const loadSeconds = (performance.now() - started) / 1000;
    log(`  loaded ${rows.toLocaleString('en')} values in ${loadSeconds.toFixed(0)} s; building the pre-aggregates from scratch`);
    started = performance.now();
    await conn.db.transaction((tx) => rebuildAllRollups(tx));
    const rollupSeconds = (performance.now() - started) / 1000;
    log(`  pre-aggregates built in ${rollupSeconds.toFixed(0)} s`);

    // The last quarter every indicator reported in, and the periods the scorecard looks at (the history before it).
    const assessed = shiftPeriod(parsePeriod('2016Q1'), Math.floor(rows / PER_QUARTER) - 1);
    const series = periodRange(shiftPeriod(assessed, -8), assessed);
    const provinces = await resolveOrgUnits(conn.db, ['level:province']);
    const infos = await loadIndicatorInfo(conn.db, indicators);
    const periodIds = (await conn.db.query<{ id: number }>('SELECT id FROM period WHERE code = ANY($1::text[])', [series.map((p) => p.code)])).rows.map((r) => r.id);
    const ids = { indicators: infos.map((i) => i.id), provinces: provinces.map((p) => p.id), periods: periodIds };

    // The same answer three ways before any is timed.
    const raw = await handRaw(conn.db, ids);
    const viaRollup = await handRollup(conn.db, ids);
    const jaiza = await aggregateSeries(conn.db, infos.map((indicator) => ({ indicator, periods: series })), provinces, '');
    const periodId = new Map((await conn.db.query<{ id: number; code: string }>('SELECT id, code FROM period')).rows.map((r) => [r.code, r.id]));
    const mismatches = [...jaiza].filter(([key, cell]) => {
      const [ind, period, unit] = key.split('|');
      const k = `${ind}|${periodId.get(period!)}|${unit}`;
      return raw.get(k) !== cell.value || viaRollup.get(k) !== cell.value;
    });
    if (jaiza.size !== raw.size || mismatches.length > 0) {
      throw new Error(`scorecard values disagree with hand-written SQL: ${jaiza.size} vs ${raw.size} cells, e.g. ${JSON.stringify(mismatches.slice(0, 3))}`);
    }
    log(`  ${raw.size.toLocaleString('en')} province × quarter values agree; timing (p50 of 10 runs, 5 for the raw-value SQL)`);

    const grid = () => pillarProvinceScorecard(conn.db, { framework: 'BENCH', assessedAt: assessed.code });
    const cells = (await grid()).cells.length;
    const jaizaMs = await p50(10, grid);
    // Seconds a run over the raw values: fewer runs.
    const handRawMs = await p50(5, () => handRaw(conn.db, ids), 1);
    const handRollupMs = await p50(10, () => handRollup(conn.db, ids));
    const auth = await benchAuthorization(conn.db);
    await conn.close();

    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'bin/jaiza.js', 'serve', '--port', String(port), '--host', '127.0.0.1', '--no-demo'],
      { cwd: REPO, env: { ...process.env, ...target.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-10_000); });
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child, () => stderr, 300_000);
    const url = `${base}/api/scorecard?framework=BENCH&assessedAt=${assessed.code}`;
    const httpMs = await p50(10, async () => {
      const res = await fetch(url, { headers: auth });
      if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
      await res.json();
    });
    // A district drill-down and a national series too, so the memory figure covers more than one query shape.
    for (const path of [`/api/scorecard?framework=BENCH&assessedAt=${assessed.code}&level=district&orgUnit=PK-PB`,
      `/api/analytics?indicator=${indicators[0]}&orgUnit=PK&period=${series.map((p) => p.code).join(';')}`]) {
      const res = await fetch(base + path, { headers: auth });
      if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    }
    return { rows, loadSeconds, rollupSeconds, jaizaMs, handRawMs, handRollupMs, httpMs, peakRssMB: peakRssMB(child.pid!), cells };
  } finally {
    if (child) await stop(child);
    await target.conn.close().catch(() => undefined);
    await target.remove();
  }
}
