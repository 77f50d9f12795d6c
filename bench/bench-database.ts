/** Fresh databases for benchmark runs: PGlite in a temporary data directory, or a new database on BENCH_DATABASE_URL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect } from '../src/db/connect.ts';
import type { Database } from '../src/db/database.ts';

export type BenchEngine = 'pglite' | 'postgres';

export async function openBenchDatabase(engine: BenchEngine): Promise<{ db: Database; close: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'jaiza-bench-db-'));
    const conn = await connect({ dataDir: dir });
    return { db: conn.db, close: async () => { await conn.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const base = process.env.BENCH_DATABASE_URL!;
  const name = `jaiza_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const conn = await connect({ databaseUrl: url.toString() });
  return {
    db: conn.db,
    close: async () => {
      await conn.close();
      const drop = new pg.Client({ connectionString: base });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name}`);
      await drop.end();
    },
  };
}
