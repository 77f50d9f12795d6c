/** Fresh databases for benchmark runs: PGlite in a temporary data directory, or a new database on BENCH_DATABASE_URL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../src/db/connect.ts';
import type { Database } from '../src/db/database.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';

export type BenchEngine = 'pglite' | 'postgres';

export async function openBenchDatabase(engine: BenchEngine): Promise<{ db: Database; close: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'jaiza-bench-db-'));
    const conn = await connect({ dataDir: dir });
    return { db: conn.db, close: async () => { await conn.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const scratch = await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'jaiza_bench');
  const conn = await connect({ databaseUrl: scratch.url });
  return { db: conn.db, close: async () => { await conn.close(); await scratch.drop(); } };
}
