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
const db = await PGlite.create(dataDir ?? undefined);

port.on('message', async (req: WorkerRequest) => {
  try {
    if (req.op === 'query') {
      const res = await db.query(req.sql, req.params);
      port.postMessage({ id: req.id, ok: true, rows: res.rows, rowCount: res.affectedRows ?? res.rows.length } satisfies WorkerResponse);
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
