/**
 * `npm run bench`: figures measured side by side in one run, each printed with its target.
 * PGlite always; PostgreSQL too when BENCH_DATABASE_URL is set. Sizes: BENCH_ROWS (import, default 1M; 0 skips it),
 * BENCH_SCORECARD_ROWS (national scorecard and server memory, default 5M; 0 skips it),
 * BENCH_FRESH_ROWS and BENCH_FRESH_ROUNDS (freshness, 100k values, 20 saves), BENCH_CONCURRENCY_ROWS,
 * BENCH_CONCURRENCY_CLIENTS and BENCH_CONCURRENCY_SECONDS (concurrent saving, 100k values, 50 clients, 30 s).
 */
import { openBenchDatabase, type BenchEngine } from './bench-database.ts';
import { importBench } from './import-bench.ts';
import { freshnessBench } from './freshness-bench.ts';
import { concurrencyBench } from './concurrency-bench.ts';
import { scorecardBench } from './scorecard-bench.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const scorecardRows = Number(process.env.BENCH_SCORECARD_ROWS ?? 5_000_000);
const freshRows = Number(process.env.BENCH_FRESH_ROWS ?? 100_000);
const freshRounds = Number(process.env.BENCH_FRESH_ROUNDS ?? 20);
const concurrencyRows = Number(process.env.BENCH_CONCURRENCY_ROWS ?? 100_000);
const clients = Number(process.env.BENCH_CONCURRENCY_CLIENTS ?? 50);
const seconds = Number(process.env.BENCH_CONCURRENCY_SECONDS ?? 30);
const engines: BenchEngine[] = ['pglite', ...(process.env.BENCH_DATABASE_URL ? (['postgres'] as const) : [])];
const log = (s: string) => process.stderr.write(`${s}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const summary: string[] = [];
const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');

for (const engine of engines) {
  const e = engine.padEnd(8);
  if (rows > 0) {
    log(`\n== ${engine}: import of ${fmt(rows)} values ==`);
    const r = await importBench(() => openBenchDatabase(engine), rows, log);
    const floor = engine === 'postgres' ? 100_000 : 50_000;
    summary.push(
      `${engine.padEnd(8)} import    jaiza ${fmt(r.jaizaRowsPerSecond)} values/s (${r.jaizaSeconds.toFixed(1)} s) | raw insert ${fmt(r.rawRowsPerSecond)} values/s (${r.rawSeconds.toFixed(1)} s)`,
      `${engine.padEnd(8)} ratio     ${r.ratio.toFixed(2)}  target >= 0.50  ${r.ratio >= 0.5 ? 'MET' : 'MISSED'}`,
      `${engine.padEnd(8)} speed     ${fmt(r.jaizaRowsPerSecond)} values/s  target >= ${fmt(floor)}  ${r.jaizaRowsPerSecond >= floor ? 'MET' : 'MISSED'}`,
    );
  }

  if (scorecardRows > 0) {
    log(`\n== ${engine}: national scorecard over ${fmt(scorecardRows)} values ==`);
    const s = await scorecardBench(engine, scorecardRows, log);
    const msTarget = engine === 'postgres' ? 50 : 150;
    const ratio = s.jaizaMs / s.handRawMs;
    summary.push(
      `${e} scorecard p50 ${fmt(s.jaizaMs)} ms for ${s.cells} pillar × province cells over ${fmt(s.rows)} values  target <= ${msTarget} ms  ${verdict(s.jaizaMs <= msTarget)}`,
      `${e} vs SQL    hand-written SQL on the raw values ${fmt(s.handRawMs)} ms: ratio ${ratio.toFixed(2)}  target <= 1.20  ${verdict(ratio <= 1.2)}`,
      `${e} vs SQL    hand-written SQL on the pre-aggregates ${fmt(s.handRollupMs)} ms (the floor): ratio ${(s.jaizaMs / s.handRollupMs).toFixed(2)}`,
      `${e} via API   GET /api/scorecard p50 ${fmt(s.httpMs)} ms; pre-aggregates built from scratch in ${s.rollupSeconds.toFixed(0)} s`,
      `${e} memory    server peak RSS ${fmt(s.peakRssMB)} MB at ${fmt(s.rows)} values  target <= 1,024 MB  ${verdict(s.peakRssMB <= 1024)}`,
    );
  }

  log(`\n== ${engine}: freshness, ${freshRounds} saves over ${fmt(freshRows)} values ==`);
  const f = await freshnessBench(() => openBenchDatabase(engine), { rows: freshRows, rounds: freshRounds, timeoutMs: 10_000 }, log);
  summary.push(
    `${e} freshness p50 ${fmt(f.p50Ms)} ms, max ${fmt(f.maxMs)} ms (${f.rounds} saves, ${fmt(f.rows)} values)  target <= 1,000 ms  ${verdict(f.maxMs <= 1000)}`,
  );

  log(`\n== ${engine}: ${clients} clients saving for ${seconds} s over ${fmt(concurrencyRows)} values ==`);
  const c = await concurrencyBench(engine, { rows: concurrencyRows, clients, seconds }, log);
  const p99Target = engine === 'postgres' ? 100 : 300;
  summary.push(
    `${e} saving    p50 ${fmt(c.p50Ms)} ms (${fmt(c.requests)} saves by ${c.clients} clients in ${c.seconds.toFixed(1)} s, ${fmt(c.requests / c.seconds)}/s)`,
    `${e} save p99  ${fmt(c.p99Ms)} ms  target <= ${p99Target} ms  ${verdict(c.p99Ms <= p99Target)}`,
    `${e} errors    ${fmt(c.errors)}  target 0  ${verdict(c.errors === 0)}`,
    `${e} loop      max event-loop delay ${fmt(c.maxEventLoopDelayMs)} ms  target <= 50 ms  ${verdict(c.maxEventLoopDelayMs <= 50)}`,
    `${e} memory    server peak RSS ${fmt(c.peakRssMB)} MB under 50 clients at ${fmt(c.rows)} values  target <= 1,024 MB  ${verdict(c.peakRssMB <= 1024)}`,
  );
}

console.log(`\nJaiza benchmark, ${new Date().toISOString().slice(0, 10)}, import of ${fmt(rows)} values, node ${process.version}`);
for (const line of summary) console.log(line);
