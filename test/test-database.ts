/**
 * Every test file gets its own empty, migrated database on the engine under test:
 * in-memory PGlite by default, or a fresh database on the server named by TEST_DATABASE_URL
 * when the suite runs as the "postgres" project.
 */
import pg from 'pg';
import { connect, type Connection } from '../src/db/connect.ts';

export const engine: 'pglite' | 'postgres' = process.env.JAIZA_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

/** A fresh database; `url` is set on PostgreSQL so a child process (the CLI) can use the same database. */
export async function createTestDatabase(): Promise<Connection & { url?: string }> {
  if (engine === 'pglite') return connect({ dataDir: null });
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is required for the postgres test project');
  const name = `jaiza_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const conn = await connect({ databaseUrl: url.toString() });
  return {
    ...conn,
    url: url.toString(),
    async close() {
      await conn.close();
      const drop = new pg.Client({ connectionString: base });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name}`);
      await drop.end();
    },
  };
}
