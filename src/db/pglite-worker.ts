/**
 * Runs PGlite on its own thread: in-process it froze the event loop for seconds on large queries.
 * The main thread serialises requests, so this loop handles one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'close' };

export type WorkerResponse =
  | { id: number; ok: true; rows?: unknown[]; rowCount?: number }
  | { id: number; ok: false; error: { message: string; code?: string; detail?: string } };

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string | null };
// numeric and bigint as JS numbers, as the PostgreSQL client is configured, so both engines return the same shapes.
const toNumber = (v: string) => Number(v);
const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: { 20: toNumber, 1700: toNumber } });

port.on('message', async (req: WorkerRequest) => {
  try {
    if (req.op === 'query') {
      const res = await db.query(req.sql, req.params);
      // PGlite reports affectedRows 0 for a SELECT; PostgreSQL's rowCount is the rows returned.
      const rowCount = res.rows.length > 0 ? res.rows.length : (res.affectedRows ?? 0);
      port.postMessage({ id: req.id, ok: true, rows: res.rows, rowCount } satisfies WorkerResponse);
    } else if (req.op === 'exec') {
      await db.exec(req.sql);
      port.postMessage({ id: req.id, ok: true } satisfies WorkerResponse);
    } else {
      await db.close();
      port.postMessage({ id: req.id, ok: true } satisfies WorkerResponse);
    }
  } catch (e) {
    const err = e as { message?: string; code?: string; detail?: string };
    port.postMessage({
      id: req.id,
      ok: false,
      error: { message: err.message ?? String(e), code: err.code, detail: err.detail },
    } satisfies WorkerResponse);
  }
});
port.postMessage({ id: 0, ok: true } satisfies WorkerResponse);
