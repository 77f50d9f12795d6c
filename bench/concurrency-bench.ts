/**
 * Concurrent saving: many clients PUT values through the HTTP API of a `jaiza serve` running in its own process,
 * so the clients' work does not weigh on the server's event loop. The server reports its own event-loop delay
 * (bench/event-loop-probe.ts) and its peak resident memory is read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../src/db/connect.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { parsePeriod, periodRange } from '../src/domain/period.ts';
import type { BenchEngine } from './bench-database.ts';
import { loadBenchValues, percentile } from './freshness-bench.ts';
import { freePort, peakRssMB, stop, waitForHealth } from './served-process.ts';
import { benchAuthorization } from './bench-token.ts';

export interface ConcurrencyResult {
  rows: number;
  clients: number;
  /** From the first request to the last answer, which can come after the clients stop sending. */
  seconds: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxEventLoopDelayMs: number;
  peakRssMB: number;
}

interface ServedDatabase {
  env: Record<string, string>;
  indicators: string[];
  districts: string[];
  rows: number;
  remove: () => Promise<void>;
  /** The benchmark administrator's token. */
  auth: Record<string, string>;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));
const QUARTERS = periodRange(parsePeriod('2016Q1'), parsePeriod('2026Q4')).map((p) => p.code);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loaded database that outlives this process's connection, for a server process to open. */
async function prepareServedDatabase(engine: BenchEngine, rows: number): Promise<ServedDatabase> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'jaiza-bench-served-'));
    const conn = await connect({ dataDir: dir });
    try {
      const loaded = await loadBenchValues(conn.db, rows);
      return { ...loaded, auth: await benchAuthorization(conn.db), env: { JAIZA_DATA_DIR: dir, DATABASE_URL: '' }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
    } finally {
      await conn.close();
    }
  }
  const scratch = await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'jaiza_bench');
  const conn = await connect({ databaseUrl: scratch.url });
  try {
    const loaded = await loadBenchValues(conn.db, rows);
    return { ...loaded, auth: await benchAuthorization(conn.db), env: { DATABASE_URL: scratch.url }, remove: () => scratch.drop() };
  } finally {
    await conn.close();
  }
}

/** Asks the probe for the largest event-loop delay since the last request, and waits for its answer. */
async function eventLoopDelay(child: ChildProcess, file: string): Promise<number> {
  if (existsSync(file)) unlinkSync(file);
  child.kill('SIGUSR2');
  for (let i = 0; i < 500 && !existsSync(file); i++) await sleep(10);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text === '') throw new Error('the server did not report its event-loop delay');
  return Number(text);
}

export async function concurrencyBench(
  engine: BenchEngine,
  opts: { rows: number; clients: number; seconds: number },
  log: (s: string) => void,
): Promise<ConcurrencyResult> {
  const served = await prepareServedDatabase(engine, opts.rows);
  const probeDir = mkdtempSync(join(tmpdir(), 'jaiza-bench-probe-'));
  const probeFile = join(probeDir, 'event-loop-max-ms');
  let child: ChildProcess | undefined;
  try {
    log(`  loaded ${served.rows.toLocaleString('en')} values; starting jaiza serve`);
    const port = await freePort();
    child = spawn(process.execPath,
      ['--import', 'tsx', '--import', './bench/event-loop-probe.ts', 'bin/jaiza.js', 'serve', '--port', String(port), '--host', '127.0.0.1', '--no-demo'],
      { cwd: REPO, env: { ...process.env, ...served.env, JAIZA_BENCH_EVENT_LOOP_FILE: probeFile }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-10_000); });
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child, () => stderr, 120_000);
    await eventLoopDelay(child, probeFile); // leaves start-up out of the figure

    const latencies: number[] = [];
    let errors = 0;
    let firstError = '';
    const loadStarted = performance.now();
    const deadline = loadStarted + opts.seconds * 1000;
    // Each client has its own indicator, so no two clients write the same cell.
    const client = async (k: number) => {
      const indicator = served.indicators[k % served.indicators.length]!;
      for (let n = 0; performance.now() < deadline; n++) {
        const body = JSON.stringify({
          indicator,
          orgUnit: served.districts[n % served.districts.length]!,
          period: QUARTERS[Math.floor(n / served.districts.length) % QUARTERS.length]!,
          value: 1 + ((k * 31 + n * 17) % 999),
        });
        const started = performance.now();
        try {
          const res = await fetch(`${base}/api/data-values`, {
            method: 'PUT', headers: { ...served.auth, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (!res.ok) {
            errors++;
            firstError ||= `HTTP ${res.status} ${text.slice(0, 300)}`;
          }
        } catch (e) {
          errors++;
          firstError ||= String(e);
        }
        latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: opts.clients }, (_, k) => client(k)));
    const elapsed = (performance.now() - loadStarted) / 1000;
    const maxEventLoopDelayMs = await eventLoopDelay(child, probeFile);
    const rss = peakRssMB(child.pid!);
    if (firstError) log(`  first error: ${firstError}`);
    latencies.sort((a, b) => a - b);
    return {
      rows: served.rows,
      clients: opts.clients,
      seconds: elapsed,
      requests: latencies.length,
      errors,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxEventLoopDelayMs,
      peakRssMB: rss,
    };
  } finally {
    if (child) await stop(child);
    rmSync(probeDir, { recursive: true, force: true });
    await served.remove();
  }
}
