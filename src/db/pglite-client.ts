import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { Database, Queryable, QueryResult } from './database.ts';
import type { WorkerRequest, WorkerResponse } from './pglite-worker.ts';
import { DatabaseError } from './database-error.ts';
import { SerialLock } from './serial-lock.ts';

type Pending = { resolve: (r: WorkerResponse & { ok: true }) => void; reject: (e: Error) => void };
type Request = { op: 'query'; sql: string; params: unknown[] } | { op: 'exec'; sql: string } | { op: 'close' };

/** Starts the worker through tsx's loader so the worker stays TypeScript like the rest. */
function startWorker(dataDir: string | null): Worker {
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const target = new URL('./pglite-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`;
  return new Worker(boot, { eval: true, workerData: { dataDir } });
}

export class PGliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private readonly lock = new SerialLock();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (res: WorkerResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res);
      else p.reject(new DatabaseError(res.error.message, res.error.code, res.error.detail));
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', () => this.failAll(new Error('the PGlite worker stopped')));
  }

  /** dataDir null: an in-memory database (tests). */
  static async open(dataDir: string | null): Promise<PGliteDatabase> {
    const worker = startWorker(dataDir);
    const db = new PGliteDatabase(worker);
    await new Promise<void>((resolve, reject) => {
      db.pending.set(0, { resolve: () => resolve(), reject });
    });
    return db;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private send(req: Request): Promise<WorkerResponse & { ok: true }> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...req } as WorkerRequest);
    });
  }

  private readonly direct: Queryable = {
    query: async <T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> => {
      const res = await this.send({ op: 'query', sql, params });
      return { rows: (res.rows ?? []) as T[], rowCount: res.rowCount ?? 0 };
    },
    exec: async (sql: string) => {
      await this.send({ op: 'exec', sql });
    },
  };

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.lock.run(() => this.direct.query<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.lock.run(() => this.direct.exec(sql));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      await this.direct.exec('BEGIN');
      try {
        const result = await fn(this.direct);
        await this.direct.exec('COMMIT');
        return result;
      } catch (e) {
        await this.direct.exec('ROLLBACK');
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.lock.run(() => this.send({ op: 'close' }));
    this.closed = true;
    await this.worker.terminate();
  }
}
