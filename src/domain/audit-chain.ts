/**
 * The audit trail's hash chain, pure: each entry's hash covers its own content and the previous entry's hash,
 * so changing, deleting or reordering any entry breaks every link after it.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  id: number;
  /** ISO 8601, millisecond precision, UTC. */
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  orgUnit: string | null;
  detail: unknown;
}

export interface ChainedAuditEntry extends AuditContent {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted, so the same content always hashes the same whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, e: AuditContent): string {
  const content = canonicalJson({ id: e.id, at: e.at, actor: e.actor, action: e.action, entity: e.entity, entityId: e.entityId, orgUnit: e.orgUnit, detail: e.detail });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export type ChainBreak =
  | { entryId: number; reason: 'content_changed'; message: string }
  | { entryId: number; reason: 'link_broken'; message: string }
  | { entryId: number | null; reason: 'head_mismatch'; message: string };

/**
 * Checks entries in id order, continuing from `prevHash`; returns the first break or null, and the hash reached.
 * Used in chunks by the verifier, so a long trail never has to be held in memory.
 */
export function checkChain(entries: Iterable<ChainedAuditEntry>, prevHash: string): { broken: ChainBreak | null; lastHash: string; lastId: number | null } {
  let lastId: number | null = null;
  for (const e of entries) {
    if (e.prevHash !== prevHash) {
      return { broken: { entryId: e.id, reason: 'link_broken', message: `entry ${e.id} does not follow the entry before it: an entry was deleted, inserted or reordered before it` }, lastHash: prevHash, lastId };
    }
    if (entryHash(prevHash, e) !== e.hash) {
      return { broken: { entryId: e.id, reason: 'content_changed', message: `entry ${e.id} was changed after it was written: its content no longer matches its hash` }, lastHash: prevHash, lastId };
    }
    prevHash = e.hash;
    lastId = e.id;
  }
  return { broken: null, lastHash: prevHash, lastId };
}
