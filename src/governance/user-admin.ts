/** Accounts and their grants, as administrators (and the operator's CLI) manage them; each change is audited. */
import type { Database, Queryable } from '../db/database.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { NotFoundError } from '../api/http-errors.ts';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './password-hash.ts';
import { ForbiddenError } from './authenticate.ts';
import { ROLES, type Principal, type Role, type RoleGrant } from './principal.ts';
import { scopeUnitIds } from './scope.ts';
import { endUserSessions } from './sessions.ts';
import { loadGrants } from './grants.ts';

/** The system itself administering accounts (the operator's CLI, the demo seed), over every account, under a name for the audit trail. */
export interface SystemActor {
  system: string;
}

export function systemActor(name: string): SystemActor {
  return { system: name };
}

/**
 * Who administers accounts: a signed-in administrator, held to the org units of their admin grants, or the system.
 * The system is a distinct type, not a bare name, so a route cannot hand over a username and skip the scope check.
 */
export type Administrator = Principal | SystemActor;

const isSystem = (by: Administrator): by is SystemActor => 'system' in by;

function actorOf(by: Administrator): string {
  return isSystem(by) ? by.system : by.username;
}

export interface GrantInput {
  role: string;
  orgUnit: string;
}

export class AccountError extends Error {
  readonly statusCode = 400;
  readonly code = 'bad_request';
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

export interface UserInfo {
  username: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
  locked: boolean;
  lockedUntil: string | null;
  failedAttempts: number;
  createdAt: string;
  grants: { role: Role; orgUnit: string }[];
}

/** Checks roles and org unit codes; returns the grants with unit ids, or names every bad one. */
async function resolveGrants(db: Queryable, grants: GrantInput[]): Promise<{ role: Role; orgUnit: string; orgUnitId: number }[]> {
  const problems: string[] = [];
  const codes = [...new Set(grants.map((g) => g.orgUnit))];
  const ids = new Map((await db.query<{ code: string; id: number }>('SELECT code, id FROM org_unit WHERE code = ANY($1::text[])', [codes])).rows.map((r) => [r.code, r.id]));
  const out = [];
  for (const g of grants) {
    if (!(ROLES as readonly string[]).includes(g.role)) problems.push(`unknown role "${g.role}" (roles: ${ROLES.join(', ')})`);
    const id = ids.get(g.orgUnit);
    if (id === undefined) problems.push(`unknown org unit "${g.orgUnit}"`);
    if (problems.length === 0 && id !== undefined) out.push({ role: g.role as Role, orgUnit: g.orgUnit, orgUnitId: id });
  }
  if (problems.length) throw new AccountError(problems.join('; '));
  return out;
}

/**
 * An account lies where its grants are; one without grants belongs to no unit, so to the whole country. An
 * administrator may give only grants within their scope and act only on accounts lying wholly within it: a
 * provincial administrator can neither take over a national account nor grant a role above their own unit.
 */
async function assertWithinScope(db: Queryable, by: Administrator, grants: { orgUnit: string; orgUnitId: number }[], what: string): Promise<void> {
  if (isSystem(by)) return;
  const scope = await scopeUnitIds(db, by, 'administer');
  const units = grants.length ? grants
    : (await db.query<{ orgUnit: string; orgUnitId: number }>('SELECT code AS "orgUnit", id AS "orgUnitId" FROM org_unit WHERE parent_id IS NULL')).rows;
  const outside = [...new Set(units.filter((u) => !scope.has(u.orgUnitId)).map((u) => u.orgUnit))];
  if (outside.length) throw new ForbiddenError(`${what} outside your org units (${outside.join(', ')})`);
}

/** The account and its grants, once its row is locked (so they cannot change under the check) and found within the administrator's scope. */
async function heldAccount(tx: Queryable, by: Administrator, username: string): Promise<{ id: number; grants: RoleGrant[] }> {
  const row = (await tx.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1 FOR UPDATE', [username])).rows[0];
  if (!row) throw new NotFoundError(`user ${username}`);
  const grants = await loadGrants(tx, row.id);
  await assertWithinScope(tx, by, grants, `${username} lies`);
  return { id: row.id, grants };
}

/**
 * The org unit an account-administration entry is filed under, so that administrators of that unit see it in the
 * audit trail: the nearest unit covering every grant involved; null (national administrators only) without grants.
 */
async function accountUnit(db: Queryable, grants: { orgUnitId: number }[]): Promise<string | null> {
  const ids = [...new Set(grants.map((g) => g.orgUnitId))];
  if (ids.length === 0) return null;
  return (await db.query<{ code: string }>(
    `SELECT a.code FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id
      WHERE c.descendant_id = ANY($1::int[])
      GROUP BY a.id, a.code HAVING count(DISTINCT c.descendant_id) = $2
      ORDER BY (SELECT count(*) FROM org_unit_closure x WHERE x.descendant_id = a.id) DESC LIMIT 1`, [ids, ids.length])).rows[0]?.code ?? null;
}

export async function createUser(db: Database, by: Administrator, input: { username: string; displayName: string; password: string; grants: GrantInput[]; mustChangePassword?: boolean }): Promise<UserInfo> {
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)) throw new AccountError('a username has 2 to 64 characters: lower-case letters, digits, dot, dash and underscore, starting with a letter or digit');
  assertPasswordPolicy(input.password);
  const grants = await resolveGrants(db, input.grants);
  await assertWithinScope(db, by, grants, 'the account would lie');
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const id = (await tx.query<{ id: number }>(
      'INSERT INTO app_user (username, display_name, password_hash, must_change_password) VALUES ($1, $2, $3, $4) RETURNING id',
      [username, input.displayName, passwordHash, input.mustChangePassword ?? false])).rows[0]!.id;
    for (const g of grants) await tx.query('INSERT INTO user_role (user_id, role, org_unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [id, g.role, g.orgUnitId]);
    await appendAudit(tx, { actor: actorOf(by), action: 'user.create', entity: 'app_user', entityId: username, orgUnit: await accountUnit(tx, grants), detail: { displayName: input.displayName, grants: grants.map(({ role, orgUnit }) => ({ role, orgUnit })) } });
  });
  return getUser(db, username);
}

export async function getUser(db: Queryable, username: string): Promise<UserInfo> {
  const users = await loadUsers(db, username, null);
  if (!users[0]) throw new NotFoundError(`user ${username}`);
  return users[0];
}

/**
 * The accounts with a grant within the administrator's scope (those without grants only to national ones). Each
 * shows all its grants, outside the scope too: they are why an account shared with another unit cannot be changed.
 */
export async function listUsers(db: Queryable, by: Administrator): Promise<UserInfo[]> {
  return loadUsers(db, null, isSystem(by) ? null : [...await scopeUnitIds(db, by, 'administer')]);
}

async function loadUsers(db: Queryable, only: string | null, scope: number[] | null): Promise<UserInfo[]> {
  const rows = (await db.query<{ id: number; username: string; display_name: string; disabled: boolean; must_change_password: boolean; locked_until: Date | string | null; locked: boolean; failed_attempts: number; created_at: Date | string }>(
    `SELECT id, username, display_name, disabled, must_change_password, locked_until, coalesce(locked_until > now(), false) AS locked, failed_attempts, created_at
       FROM app_user u
      WHERE ($1::text IS NULL OR username = $1)
        AND ($2::int[] IS NULL
             OR EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.org_unit_id = ANY($2::int[]))
             OR (NOT EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id)
                 AND NOT EXISTS (SELECT 1 FROM org_unit o WHERE o.parent_id IS NULL AND NOT o.id = ANY($2::int[]))))
      ORDER BY username`, [only, scope])).rows;
  const out: UserInfo[] = [];
  for (const r of rows) {
    out.push({
      username: r.username, displayName: r.display_name, disabled: r.disabled, mustChangePassword: r.must_change_password,
      locked: r.locked, lockedUntil: r.locked ? new Date(r.locked_until!).toISOString() : null, failedAttempts: r.failed_attempts,
      createdAt: new Date(r.created_at).toISOString(), grants: (await loadGrants(db, r.id)).map(({ role, orgUnit }) => ({ role, orgUnit })),
    });
  }
  return out;
}

/** Replaces a user's grants with the given ones. */
export async function setGrants(db: Database, by: Administrator, username: string, grants: GrantInput[]): Promise<UserInfo> {
  const resolved = await resolveGrants(db, grants);
  await db.transaction(async (tx) => {
    const { id, grants: held } = await heldAccount(tx, by, username);
    await assertWithinScope(tx, by, resolved, `${username} would lie`);
    const before = held.map(({ role, orgUnit }) => ({ role, orgUnit }));
    await tx.query('DELETE FROM user_role WHERE user_id = $1', [id]);
    for (const g of resolved) await tx.query('INSERT INTO user_role (user_id, role, org_unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [id, g.role, g.orgUnitId]);
    await appendAudit(tx, { actor: actorOf(by), action: 'role.set', entity: 'app_user', entityId: username, orgUnit: await accountUnit(tx, [...held, ...resolved]), detail: { before, after: resolved.map(({ role, orgUnit }) => ({ role, orgUnit })) } });
  });
  return getUser(db, username);
}

/** Adds grants to what the user already holds (the CLI's `user grant`). */
export async function addGrants(db: Database, by: Administrator, username: string, grants: GrantInput[]): Promise<UserInfo> {
  const current = (await getUser(db, username)).grants;
  return setGrants(db, by, username, [...current, ...grants]);
}

export async function updateUser(db: Database, by: Administrator, username: string, change: { displayName?: string; disabled?: boolean }): Promise<UserInfo> {
  await db.transaction(async (tx) => {
    const { id, grants } = await heldAccount(tx, by, username);
    if (change.displayName !== undefined) await tx.query('UPDATE app_user SET display_name = $2 WHERE id = $1', [id, change.displayName]);
    if (change.disabled !== undefined) await tx.query('UPDATE app_user SET disabled = $2 WHERE id = $1', [id, change.disabled]);
    // A disabled account is signed out everywhere at once; its tokens stop working with it.
    const ended = change.disabled ? await endUserSessions(tx, id) : 0;
    await appendAudit(tx, { actor: actorOf(by), action: change.disabled === true ? 'user.disable' : change.disabled === false ? 'user.enable' : 'user.update', entity: 'app_user', entityId: username, orgUnit: await accountUnit(tx, grants), detail: { ...change, sessionsEnded: ended } });
  });
  return getUser(db, username);
}

/** An administrator sets a new password: the user must change it at next sign-in, and every session ends. */
export async function resetPassword(db: Database, by: Administrator, username: string, password: string): Promise<UserInfo> {
  assertPasswordPolicy(password);
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const { id, grants } = await heldAccount(tx, by, username);
    await tx.query('UPDATE app_user SET password_hash = $2, must_change_password = true, failed_attempts = 0, locked_until = NULL WHERE id = $1', [id, passwordHash]);
    const ended = await endUserSessions(tx, id);
    await appendAudit(tx, { actor: actorOf(by), action: 'user.reset_password', entity: 'app_user', entityId: username, orgUnit: await accountUnit(tx, grants), detail: { sessionsEnded: ended } });
  });
  return getUser(db, username);
}

/** The user changes their own password; other sessions end, the one in use stays. */
export async function changeOwnPassword(db: Database, userIdValue: number, current: string, next: string, keepSessionId?: string): Promise<boolean> {
  const row = (await db.query<{ username: string; password_hash: string }>('SELECT username, password_hash FROM app_user WHERE id = $1', [userIdValue])).rows[0];
  if (!row || !(await verifyPassword(row.password_hash, current))) return false;
  assertPasswordPolicy(next);
  if (current === next) throw new AccountError('the new password must differ from the current one');
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE app_user SET password_hash = $2, must_change_password = false WHERE id = $1', [userIdValue, passwordHash]);
    const ended = await endUserSessions(tx, userIdValue, keepSessionId);
    await appendAudit(tx, { actor: row.username, action: 'user.change_password', entity: 'app_user', entityId: row.username, detail: { otherSessionsEnded: ended } });
  });
  return true;
}

export async function unlockUser(db: Database, by: Administrator, username: string): Promise<UserInfo> {
  await db.transaction(async (tx) => {
    const { id, grants } = await heldAccount(tx, by, username);
    await tx.query('UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [id]);
    await appendAudit(tx, { actor: actorOf(by), action: 'user.unlock', entity: 'app_user', entityId: username, orgUnit: await accountUnit(tx, grants) });
  });
  return getUser(db, username);
}
