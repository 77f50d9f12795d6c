import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';

/**
 * PGlite has no lock of its own and two processes on one directory corrupt it,
 * so the embedded data directory is held exclusively while the process runs.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  mkdirSync(dir, { recursive: true });
  try {
    return await lockfile.lock(dir, { lockfilePath: `${dir}/.jaiza.lock`, stale: 15_000, update: 5_000 });
  } catch (e) {
    if ((e as { code?: string }).code === 'ELOCKED') {
      throw new Error(
        `The data directory ${dir} is in use by another Jaiza process. Stop that process, or set JAIZA_DATA_DIR to another directory.`,
      );
    }
    throw e;
  }
}
