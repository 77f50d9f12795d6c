/**
 * `npm run bench`: figures measured side by side in one run, each printed with its target.
 * PGlite always; PostgreSQL too when BENCH_DATABASE_URL is set. BENCH_ROWS overrides the import size (default 1M).
 */
import { openBenchDatabase, type BenchEngine } from './bench-database.ts';
import { importBench } from './import-bench.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const engines: BenchEngine[] = ['pglite', ...(process.env.BENCH_DATABASE_URL ? (['postgres'] as const) : [])];
const log = (s: string) => process.stderr.write(`${s}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const summary: string[] = [];

for (const engine of engines) {
  log(`\n== ${engine}: import of ${fmt(rows)} values ==`);
  const r = await importBench(() => openBenchDatabase(engine), rows, log);
  const floor = engine === 'postgres' ? 100_000 : 50_000;
  summary.push(
    `${engine.padEnd(8)} import    jaiza ${fmt(r.jaizaRowsPerSecond)} values/s (${r.jaizaSeconds.toFixed(1)} s) | raw insert ${fmt(r.rawRowsPerSecond)} values/s (${r.rawSeconds.toFixed(1)} s)`,
    `${engine.padEnd(8)} ratio     ${r.ratio.toFixed(2)}  target >= 0.50  ${r.ratio >= 0.5 ? 'MET' : 'MISSED'}`,
    `${engine.padEnd(8)} speed     ${fmt(r.jaizaRowsPerSecond)} values/s  target >= ${fmt(floor)}  ${r.jaizaRowsPerSecond >= floor ? 'MET' : 'MISSED'}`,
  );
}

console.log(`\nJaiza benchmark, ${new Date().toISOString().slice(0, 10)}, ${fmt(rows)} values, node ${process.version}`);
for (const line of summary) console.log(line);
