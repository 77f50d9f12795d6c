import type { Queryable } from './database.ts';

/**
 * For the rest of the transaction, lets sorts and hash aggregates over a big write's rows work in memory instead
 * of spilling to disk (PostgreSQL's default is 4 MB per operation). Only for writes of many thousands of rows.
 */
export async function useBulkMemory(tx: Queryable): Promise<void> {
  await tx.exec(`SET LOCAL work_mem = '256MB'`);
}
