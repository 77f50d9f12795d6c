import { resolve } from 'node:path';
import type { Database } from './database.ts';
import { PGliteDatabase } from './pglite-client.ts';
import { PostgresDatabase } from './postgres-client.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { migrate } from './migrate.ts';

export interface ConnectOptions {
  /** postgres://… runs on a PostgreSQL server; otherwise the embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** Directory for the embedded database; null keeps it in memory (tests). */
  dataDir?: string | null;
}

export interface Connection {
  db: Database;
  migrationVersion: number;
  dataDir: string | null;
  close(): Promise<void>;
}

export function connectionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectOptions {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: resolve(env.JAIZA_DATA_DIR || './data') };
}

export async function connect(opts: ConnectOptions): Promise<Connection> {
  if (opts.databaseUrl) {
    const db = new PostgresDatabase(opts.databaseUrl);
    const migrationVersion = await migrate(db);
    return { db, migrationVersion, dataDir: opts.dataDir ?? null, close: () => db.close() };
  }
  const dataDir = opts.dataDir ?? null;
  const unlock = dataDir ? await lockDataDir(dataDir) : async () => undefined;
  try {
    const db = await PGliteDatabase.open(dataDir ? `${dataDir}/pgdata` : null);
    const migrationVersion = await migrate(db);
    return {
      db,
      migrationVersion,
      dataDir,
      async close() {
        await db.close();
        await unlock();
      },
    };
  } catch (e) {
    await unlock();
    throw e;
  }
}
