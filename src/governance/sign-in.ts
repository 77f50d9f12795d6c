/**
 * Checking a username and password. Five failures in a row lock the account, first for a minute, doubling with
 * each further failure up to an hour. An unknown username costs the same hashing work as a known one, and gets the
 * same answer, so sign-in does not reveal which accounts exist.
 */
import type { Database } from '../db/database.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

export const FAILURES_BEFORE_LOCK = 5;
const FIRST_LOCK_SECONDS = 60;
const MAX_LOCK_SECONDS = 3600;

/** Seconds an account stays locked after its n-th failure in a row (0 below the threshold). */
export function lockSeconds(failures: number): number {
  if (failures < FAILURES_BEFORE_LOCK) return 0;
  return Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - FAILURES_BEFORE_LOCK));
}

export type SignInResult =
  | { ok: true; userId: number; username: string; mustChangePassword: boolean }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfter: number };

let dummyHash: Promise<string> | null = null;

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  must_change_password: boolean;
  disabled: boolean;
  failed_attempts: number;
  lock_left: number | null;
}

export async function checkPassword(db: Database, username: string, password: string, from: string | null = null): Promise<SignInResult> {
  const name = username.trim().toLowerCase();
  const user = (await db.query<UserRow>(
    `SELECT id, username, password_hash, must_change_password, disabled, failed_attempts,
            ceil(extract(epoch FROM locked_until - now()))::int AS lock_left
       FROM app_user WHERE username = $1`, [name])).rows[0];
  if (!user) {
    dummyHash ??= hashPassword('not-a-password-of-anyone');
    await verifyPassword(await dummyHash, password);
    await db.transaction((tx) => appendAudit(tx, { actor: 'anonymous', action: 'session.sign_in_failed', entity: 'app_user', entityId: name, detail: { reason: 'invalid', from } }));
    return { ok: false, reason: 'invalid' };
  }
  if (user.lock_left !== null && user.lock_left > 0) {
    await db.transaction((tx) => appendAudit(tx, { actor: 'anonymous', action: 'session.sign_in_failed', entity: 'app_user', entityId: user.username, detail: { reason: 'locked', from } }));
    return { ok: false, reason: 'locked', retryAfter: user.lock_left };
  }
  const matches = await verifyPassword(user.password_hash, password);
  if (matches && !user.disabled) {
    await db.transaction(async (tx) => {
      await tx.query('UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [user.id]);
      await appendAudit(tx, { actor: user.username, action: 'session.sign_in', entity: 'app_user', entityId: user.username, detail: { from } });
    });
    return { ok: true, userId: user.id, username: user.username, mustChangePassword: user.must_change_password };
  }
  if (user.disabled) {
    // A disabled account gets the same answer as a wrong password, and its failures are not counted.
    await db.transaction((tx) => appendAudit(tx, { actor: 'anonymous', action: 'session.sign_in_failed', entity: 'app_user', entityId: user.username, detail: { reason: 'disabled', from } }));
    return { ok: false, reason: 'invalid' };
  }
  return db.transaction(async (tx) => {
    const failures = (await tx.query<{ failed_attempts: number }>(
      'UPDATE app_user SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts', [user.id])).rows[0]!.failed_attempts;
    const lock = lockSeconds(failures);
    if (lock > 0) {
      await tx.query(`UPDATE app_user SET locked_until = now() + make_interval(secs => $2) WHERE id = $1`, [user.id, lock]);
      await appendAudit(tx, [
        { actor: 'anonymous', action: 'session.sign_in_failed', entity: 'app_user', entityId: user.username, detail: { reason: 'invalid', failures, from } },
        { actor: 'system', action: 'user.lock', entity: 'app_user', entityId: user.username, detail: { failures, seconds: lock } },
      ]);
      return { ok: false, reason: 'locked', retryAfter: lock } as const;
    }
    await appendAudit(tx, { actor: 'anonymous', action: 'session.sign_in_failed', entity: 'app_user', entityId: user.username, detail: { reason: 'invalid', failures, from } });
    return { ok: false, reason: 'invalid' } as const;
  });
}
