import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(dir + f, 'utf8') }));
}

/** Applies pending migrations, each in its own transaction, and returns the version reached. */
export async function migrate(db: Database): Promise<number> {
  // Looked up first: an application role without CREATE rights reaches an up-to-date schema without creating anything.
  const exists = (await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migration')::text AS t`)).rows[0]?.t;
  if (!exists) {
    await db.exec(`CREATE TABLE schema_migration (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  }
  const applied = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migration')).rows.map((r) => r.version),
  );
  for (const m of listMigrations()) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
  }
  return schemaVersion(db);
}

export async function schemaVersion(db: Database): Promise<number> {
  const r = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migration');
  return r.rows[0]?.v ?? 0;
}
