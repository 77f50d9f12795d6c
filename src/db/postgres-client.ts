import pg from 'pg';
import type { Database, Queryable, QueryResult } from './database.ts';
import { DatabaseError } from './database-error.ts';

/** Parse int8 and numeric as JS numbers, as PGlite does, so both engines return the same shapes. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

function wrap(e: unknown): never {
  const err = e as { message?: string; code?: string; detail?: string };
  throw new DatabaseError(err.message ?? String(e), err.code, err.detail);
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      try {
        const res = await client.query(sql, params);
        return { rows: res.rows as T[], rowCount: res.rowCount ?? res.rows.length };
      } catch (e) {
        wrap(e);
      }
    },
    async exec(sql: string) {
      try {
        await client.query(sql);
      } catch (e) {
        wrap(e);
      }
    },
  };
}

export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly q: Queryable;

  constructor(url: string, max = 10) {
    this.pool = new pg.Pool({ connectionString: url, max, types });
    this.q = queryable(this.pool);
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.q.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.q.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(queryable(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
