/**
 * Every test file gets its own empty, migrated database on the engine under test:
 * in-memory PGlite by default, or a fresh database on the server named by TEST_DATABASE_URL
 * when the suite runs as the "postgres" project.
 */
import { connect, type Connection } from '../src/db/connect.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';

export const engine: 'pglite' | 'postgres' = process.env.JAIZA_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

/** A fresh database; `url` is set on PostgreSQL so a child process (the CLI) can use the same database. */
export async function createTestDatabase(): Promise<Connection & { url?: string }> {
  if (engine === 'pglite') return connect({ dataDir: null });
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is required for the postgres test project');
  const scratch = await createScratchDatabase(base, 'jaiza_test');
  const conn = await connect({ databaseUrl: scratch.url });
  return {
    ...conn,
    url: scratch.url,
    async close() {
      await conn.close();
      await scratch.drop();
    },
  };
}
