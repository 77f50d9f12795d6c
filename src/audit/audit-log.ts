/** Appending to and verifying the hash-chained audit trail (the chain itself: domain/audit-chain.ts). */
import type { Database, Queryable } from '../db/database.ts';
import { checkChain, entryHash, GENESIS_HASH, type ChainBreak, type ChainedAuditEntry } from '../domain/audit-chain.ts';

export interface AuditEvent {
  actor: string;
  /** What happened, as `noun.verb`: `data.save`, `import.apply`, `submission.approve`, `session.sign_in`, `role.grant`, … */
  action: string;
  entity: string;
  entityId?: string | number | null;
  orgUnit?: string | null;
  detail?: Record<string, unknown>;
}

// Appends are serialised on one advisory lock: each entry must see the hash of the one committed before it.
const AUDIT_LOCK = 7_246_311;

/**
 * Appends entries inside the caller's transaction `tx`, so the change and its audit entry commit or roll back
 * together. Call it last in the transaction: it holds the chain's lock until the transaction ends.
 */
export async function appendAudit(tx: Queryable, events: AuditEvent | AuditEvent[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const head = (await tx.query<{ last_hash: string }>('SELECT last_hash FROM audit_head')).rows[0];
  let prev = head?.last_hash ?? GENESIS_HASH;
  const ids = (await tx.query<{ id: string }>(
    `SELECT nextval(pg_get_serial_sequence('audit_entry', 'id'))::text AS id FROM generate_series(1, $1)`, [list.length])).rows.map((r) => Number(r.id));
  const at = new Date().toISOString();
  const rows: ChainedAuditEntry[] = list.map((ev, i) => {
    const content = {
      id: ids[i]!, at, actor: ev.actor, action: ev.action, entity: ev.entity,
      entityId: ev.entityId === undefined || ev.entityId === null ? null : String(ev.entityId),
      orgUnit: ev.orgUnit ?? null, detail: ev.detail ?? {},
    };
    const hash = entryHash(prev, content);
    const row = { ...content, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  await tx.query(
    `INSERT INTO audit_entry (id, at, actor, action, entity, entity_id, org_unit, detail, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::text[])`,
    [rows.map((r) => r.id), rows.map((r) => r.at), rows.map((r) => r.actor), rows.map((r) => r.action), rows.map((r) => r.entity),
      rows.map((r) => r.entityId), rows.map((r) => r.orgUnit), rows.map((r) => JSON.stringify(r.detail)), rows.map((r) => r.prevHash), rows.map((r) => r.hash)]);
  const last = rows[rows.length - 1]!;
  await tx.query(
    `INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (true, $1, $2)
     ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash`, [last.id, last.hash]);
}

/** appendAudit in a transaction of its own, for events with no other write (a sign-in, a failed one). */
export function audit(db: Database, events: AuditEvent | AuditEvent[]): Promise<void> {
  return db.transaction((tx) => appendAudit(tx, events));
}

interface AuditRow {
  id: string;
  at: Date | string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  org_unit: string | null;
  detail: unknown;
  prev_hash: string;
  hash: string;
}

export function toEntry(r: AuditRow): ChainedAuditEntry {
  return {
    id: Number(r.id), at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, entity: r.entity,
    entityId: r.entity_id, orgUnit: r.org_unit, detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail, prevHash: r.prev_hash, hash: r.hash,
  };
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  broken: ChainBreak | null;
}

/** Walks the whole chain in id order, a chunk at a time, and names the first broken entry. */
export async function verifyAudit(db: Queryable, onProgress?: (checked: number, total: number) => void): Promise<AuditVerification> {
  const total = Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_entry')).rows[0]!.n);
  let prev = GENESIS_HASH;
  let after = -1;
  let checked = 0;
  let lastId: number | null = null;
  for (;;) {
    const rows = (await db.query<AuditRow>(
      `SELECT id::text, at, actor, action, entity, entity_id, org_unit, detail, prev_hash, hash
         FROM audit_entry WHERE id > $1 ORDER BY audit_entry.id LIMIT 5000`, [after])).rows;
    if (rows.length === 0) break;
    const result = checkChain(rows.map(toEntry), prev);
    if (result.broken) return { ok: false, entries: total, broken: result.broken };
    prev = result.lastHash;
    lastId = result.lastId;
    after = Number(rows[rows.length - 1]!.id);
    checked += rows.length;
    onProgress?.(checked, total);
  }
  const head = (await db.query<{ last_id: string; last_hash: string }>('SELECT last_id::text, last_hash FROM audit_head')).rows[0];
  const headOk = head ? Number(head.last_id) === lastId && head.last_hash === prev : lastId === null;
  if (!headOk) {
    return {
      ok: false, entries: total,
      broken: { entryId: lastId, reason: 'head_mismatch', message: head
        ? `the trail ends at entry ${lastId ?? 'none'} but its last written entry was ${head.last_id}: entries were removed from the end`
        : 'the record of the last written entry is missing' },
    };
  }
  return { ok: true, entries: total, broken: null };
}
