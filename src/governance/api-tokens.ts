/**
 * Personal API tokens for scripts: `jz_` and 32 random bytes, shown once. Only the sha256 of the whole token is
 * stored, with its first characters so the owner can tell tokens apart. Tokens expire and can be revoked.
 */
import type { Queryable } from '../db/database.ts';
import { loadGrants } from './grants.ts';
import type { Principal } from './principal.ts';
import { randomSecret, sha256Hex } from './secret-hash.ts';

export const TOKEN_PREFIX = 'jz_';
/** `jz_` and the first 6 random characters: enough to tell tokens apart, far too little to guess the rest. */
const SHOWN_CHARS = TOKEN_PREFIX.length + 6;

export interface ApiTokenInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toInfo(r: TokenRow): ApiTokenInfo {
  return { id: r.id, name: r.name, prefix: r.prefix, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at) };
}

/** Creates a token for the user; the returned `token` is the only time its full text exists outside the caller. */
export async function createApiToken(db: Queryable, userId: number, name: string, expiresInDays?: number): Promise<ApiTokenInfo & { token: string }> {
  const token = TOKEN_PREFIX + randomSecret();
  const expiresAt = expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000).toISOString();
  const row = (await db.query<TokenRow>(
    `INSERT INTO api_token (user_id, name, token_hash, prefix, expires_at) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, name, prefix, created_at, last_used_at, expires_at, revoked_at`,
    [userId, name, sha256Hex(token), token.slice(0, SHOWN_CHARS), expiresAt])).rows[0]!;
  return { ...toInfo(row), token };
}

export async function listApiTokens(db: Queryable, userId: number): Promise<ApiTokenInfo[]> {
  const rows = (await db.query<TokenRow>(
    `SELECT id, name, prefix, created_at, last_used_at, expires_at, revoked_at FROM api_token
      WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, [userId])).rows;
  return rows.map(toInfo);
}

/** Revokes one of the user's own tokens; null when the user has no such token (or it was revoked already). */
export async function revokeApiToken(db: Queryable, userId: number, tokenId: number): Promise<ApiTokenInfo | null> {
  const row = (await db.query<TokenRow>(
    `UPDATE api_token SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
     RETURNING id, name, prefix, created_at, last_used_at, expires_at, revoked_at`, [tokenId, userId])).rows[0];
  return row ? toInfo(row) : null;
}

/** The principal behind a bearer token, or null when it is unknown, revoked, expired or its user is disabled. */
export async function principalFromToken(db: Queryable, bearerToken: string): Promise<Principal | null> {
  if (!bearerToken.startsWith(TOKEN_PREFIX)) return null;
  const row = (await db.query<{ user_id: number; username: string; display_name: string }>(
    `UPDATE api_token t SET last_used_at = now()
       FROM app_user u
      WHERE t.token_hash = $1 AND u.id = t.user_id AND NOT u.disabled
        AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
      RETURNING t.user_id, u.username, u.display_name`, [sha256Hex(bearerToken)])).rows[0];
  if (!row) return null;
  return { userId: row.user_id, username: row.username, displayName: row.display_name, grants: await loadGrants(db, row.user_id), via: 'token' };
}
