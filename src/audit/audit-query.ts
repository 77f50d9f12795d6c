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
  /**
   * Only entries about these org units (by id); entries about none (sign-ins, accounts, file imports) only when the
   * ids cover the whole country. Unset: every entry.
   */
  orgUnitScope?: number[];
}

export async function recentAudit(db: Queryable, f: AuditFilter = {}): Promise<ChainedAuditEntry[]> {
  const rows = (await db.query<Parameters<typeof toEntry>[0]>(
    `SELECT id::text, at, actor, action, entity, entity_id, org_unit, detail, prev_hash, hash FROM audit_entry
      WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR action = $3)
        AND ($5::int[] IS NULL
             OR org_unit IN (SELECT code FROM org_unit WHERE id = ANY($5::int[]))
             OR NOT EXISTS (SELECT 1 FROM org_unit o WHERE o.parent_id IS NULL AND NOT o.id = ANY($5::int[])))
      ORDER BY audit_entry.id DESC LIMIT $4`,
    [f.before ?? null, f.actor ?? null, f.action ?? null, Math.min(Math.max(f.limit ?? 100, 1), 1000), f.orgUnitScope ?? null])).rows;
  return rows.map(toEntry);
}
