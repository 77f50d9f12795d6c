/** Reading the audit trail back: the admin screen's list and `jaiza audit log`. */
import type { Queryable } from '../db/database.ts';
import type { ChainedAuditEntry } from '../domain/audit-chain.ts';
import { toEntry } from './audit-log.ts';

export interface AuditFilter {
  limit?: number;
  /** Entries with an id below this one: the next page of an older trail. */
  before?: number;
  actor?: string;
  action?: string;
}

export async function recentAudit(db: Queryable, f: AuditFilter = {}): Promise<ChainedAuditEntry[]> {
  const rows = (await db.query<Parameters<typeof toEntry>[0]>(
    `SELECT id::text, at, actor, action, entity, entity_id, org_unit, detail, prev_hash, hash FROM audit_entry
      WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR action = $3)
      ORDER BY id DESC LIMIT $4`,
    [f.before ?? null, f.actor ?? null, f.action ?? null, Math.min(Math.max(f.limit ?? 100, 1), 1000)])).rows;
  return rows.map(toEntry);
}
