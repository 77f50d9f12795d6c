/**
 * Where evidence files live: beside the embedded database in its data directory (`<dataDir>/evidence/<sha256>`),
 * or in PostgreSQL large objects when there is no data directory (server mode, and the in-memory test database,
 * where PGlite supports them too). Large objects are written in the caller's transaction, so a file and its
 * evidence row commit or roll back together; a file on disk is named by its content, so writing it twice is harmless.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from '../db/database.ts';

export type StorageKind = 'disk' | 'large_object';

export interface EvidenceStore {
  readonly kind: StorageKind;
  /** Stores the bytes and answers the reference kept in evidence.storage_ref. */
  put(tx: Queryable, sha256: string, bytes: Uint8Array): Promise<string>;
  get(db: Queryable, ref: string): Promise<Buffer>;
  /** Removes the bytes once no evidence row refers to them (the same file may be attached twice). */
  remove(tx: Queryable, ref: string): Promise<void>;
}

export function evidenceStore(dataDir: string | null): EvidenceStore {
  return dataDir ? diskStore(join(dataDir, 'evidence')) : largeObjectStore;
}

function diskStore(dir: string): EvidenceStore {
  return {
    kind: 'disk',
    async put(_tx, sha256, bytes) {
      await mkdir(dir, { recursive: true });
      // Written aside and renamed: a crash never leaves a half file under a content hash.
      const tmp = join(dir, `.${sha256}.${process.pid}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, join(dir, sha256));
      return sha256;
    },
    get: (_db, ref) => readFile(join(dir, ref)),
    async remove(tx, ref) {
      const others = await tx.query(`SELECT 1 FROM evidence WHERE storage = 'disk' AND storage_ref = $1 LIMIT 1`, [ref]);
      if (others.rows.length === 0) await rm(join(dir, ref), { force: true });
    },
  };
}

const largeObjectStore: EvidenceStore = {
  kind: 'large_object',
  async put(tx, _sha256, bytes) {
    const r = await tx.query<{ oid: string }>('SELECT lo_from_bytea(0, $1::bytea)::text AS oid', [Buffer.from(bytes)]);
    return r.rows[0]!.oid;
  },
  async get(db, ref) {
    const r = await db.query<{ bytes: Uint8Array }>('SELECT lo_get($1::oid) AS bytes', [ref]);
    return Buffer.from(r.rows[0]!.bytes);
  },
  async remove(tx, ref) {
    await tx.query('SELECT lo_unlink($1::oid)', [ref]);
  },
};
