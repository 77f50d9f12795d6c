/**
 * Browser sessions. The cookie carries a random 32-byte id; the database keeps only its sha256, beside the
 * session's CSRF token. Every sign-in issues a fresh id, so a cookie planted before sign-in is never adopted.
 */
import type { Queryable } from '../db/database.ts';
import { loadGrants } from './grants.ts';
import type { Principal } from './principal.ts';
import { randomSecret, sha256Hex } from './secret-hash.ts';

export interface SessionLimits {
  /** A session unused this long ends (JAIZA_SESSION_HOURS, 8 by default). */
  idleHours: number;
  /** A session ends this long after sign-in, however busy (7 days). */
  absoluteHours: number;
}

export function sessionLimits(env: NodeJS.ProcessEnv = process.env): SessionLimits {
  const raw = env.JAIZA_SESSION_HOURS;
  const idle = raw === undefined || raw === '' ? 8 : Number(raw);
  if (!Number.isFinite(idle) || idle <= 0) throw new Error(`JAIZA_SESSION_HOURS must be a positive number of hours, not ${JSON.stringify(raw)}`);
  return { idleHours: idle, absoluteHours: 7 * 24 };
}

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Starts a session for the user: a new id every time, whatever cookie the browser already sent. */
export async function createSession(db: Queryable, userId: number, limits: SessionLimits = sessionLimits()): Promise<NewSession> {
  const sessionId = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(Date.now() + limits.absoluteHours * 3_600_000);
  await db.query(
    'INSERT INTO user_session (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)',
    [sha256Hex(sessionId), userId, csrfToken, expiresAt.toISOString()]);
  return { sessionId, csrfToken, expiresAt };
}

/**
 * The principal behind a session cookie, or null when the session is unknown, idle too long, past its absolute
 * end or its user is disabled. A live session's last_seen_at moves on, which keeps it from idling out.
 */
export async function principalFromSession(db: Queryable, sessionCookieValue: string, limits: SessionLimits = sessionLimits()): Promise<{ principal: Principal; csrfToken: string } | null> {
  if (!sessionCookieValue) return null;
  const rows = (await db.query<{ user_id: number; csrf_token: string; username: string; display_name: string }>(
    `UPDATE user_session s SET last_seen_at = now()
       FROM app_user u
      WHERE s.id_hash = $1 AND u.id = s.user_id AND NOT u.disabled
        AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)
      RETURNING s.user_id, s.csrf_token, u.username, u.display_name`,
    [sha256Hex(sessionCookieValue), limits.idleHours * 3600])).rows;
  const row = rows[0];
  if (!row) return null;
  return {
    principal: { userId: row.user_id, username: row.username, displayName: row.display_name, grants: await loadGrants(db, row.user_id), via: 'session' },
    csrfToken: row.csrf_token,
  };
}

/** Sign-out: the session is deleted, so its cookie is worthless even if kept. */
export async function endSession(db: Queryable, sessionCookieValue: string): Promise<boolean> {
  const res = await db.query('DELETE FROM user_session WHERE id_hash = $1', [sha256Hex(sessionCookieValue)]);
  return res.rowCount > 0;
}

/** Ends every session of a user (password reset or change, account disabled); returns how many ended. */
export async function endUserSessions(db: Queryable, userId: number, keepSessionId?: string): Promise<number> {
  const res = keepSessionId
    ? await db.query('DELETE FROM user_session WHERE user_id = $1 AND id_hash <> $2', [userId, sha256Hex(keepSessionId)])
    : await db.query('DELETE FROM user_session WHERE user_id = $1', [userId]);
  return res.rowCount;
}
