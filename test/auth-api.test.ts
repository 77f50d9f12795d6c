import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase } from './test-database.ts';
import { authApp, setCookies } from './auth-app.ts';
import { seedReferenceData } from '../src/seed/seed.ts';
import { createUser, systemActor } from '../src/governance/user-admin.ts';
import type { Connection } from '../src/db/connect.ts';
import type { Role } from '../src/governance/principal.ts';

let conn: Connection;
let app: FastifyInstance;
const PASSWORD = 'correct-horse-battery';

async function signIn(username: string, password = PASSWORD) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password } });
  const c = setCookies(res);
  return { res, cookie: `jaiza_session=${c.jaiza_session}; jaiza_csrf=${c.jaiza_csrf}`, csrf: c.jaiza_csrf ?? '' };
}

async function actions(): Promise<string[]> {
  return (await conn.db.query<{ action: string }>('SELECT action FROM audit_entry ORDER BY id')).rows.map((r) => r.action);
}

beforeAll(async () => {
  conn = await createTestDatabase();
  await seedReferenceData(conn.db);
  await createUser(conn.db, systemActor('test'), { username: 'boss', displayName: 'Boss', password: PASSWORD, grants: [{ role: 'admin', orgUnit: 'PK' }] });
  await createUser(conn.db, systemActor('test'), { username: 'clerk', displayName: 'Clerk', password: PASSWORD, grants: [{ role: 'data_clerk', orgUnit: 'PK-PB-LHR' }] });
  app = await authApp(conn.db);
}, 120_000);
afterAll(async () => {
  await app.close();
  await conn.close();
});

describe('sign-in and the session', () => {
  it('signs in, sets HttpOnly strict cookies, answers me and signs out', async () => {
    const { res, cookie } = await signIn('clerk');
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'jaiza_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Strict');
    expect(session.path).toBe('/');
    expect(res.cookies.find((c) => c.name === 'jaiza_csrf')!.httpOnly).toBeFalsy();
    const stored = (await conn.db.query<{ id_hash: string }>('SELECT id_hash FROM user_session')).rows.map((r) => r.id_hash);
    expect(stored).not.toContain(session.value);

    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ username: 'clerk', displayName: 'Clerk', grants: [{ role: 'data_clerk', orgUnit: 'PK-PB-LHR' }], mustChangePassword: false });

    const csrf = setCookies(res).jaiza_csrf!;
    const out = await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect(await actions()).toEqual(expect.arrayContaining(['session.sign_in', 'session.sign_out']));
  });

  it('refuses a wrong password and an unknown user alike with 401', async () => {
    const wrong = await signIn('boss', 'not-the-password');
    const unknown = await signIn('nobody.here', 'not-the-password');
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.statusCode).toBe(401);
    expect(wrong.res.json()).toEqual(unknown.res.json());
    expect(wrong.res.cookies).toEqual([]);
    await conn.db.query("UPDATE app_user SET failed_attempts = 0 WHERE username = 'boss'");
  });

  it('answers 401 once the session has expired', async () => {
    const { cookie } = await signIn('clerk');
    await conn.db.query("UPDATE user_session SET last_seen_at = now() - interval '9 hours'");
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('lockout', () => {
  it('locks after five failures with a retryAfter that doubles, and an admin can unlock', async () => {
    await createUser(conn.db, systemActor('test'), { username: 'target', displayName: 'Target', password: PASSWORD, grants: [] });
    for (let i = 0; i < 4; i++) expect((await signIn('target', 'wrong-guess-xx')).res.statusCode).toBe(401);
    const fifth = await signIn('target', 'wrong-guess-xx');
    expect(fifth.res.statusCode).toBe(429);
    expect(fifth.res.json().retryAfter).toBe(60);
    // While locked, even the right password is refused.
    const right = await signIn('target');
    expect(right.res.statusCode).toBe(429);
    expect(right.res.json().retryAfter).toBeGreaterThan(0);
    // Once the lock has run out, the next failure locks for twice as long.
    await conn.db.query("UPDATE app_user SET locked_until = now() - interval '1 second' WHERE username = 'target'");
    const sixth = await signIn('target', 'wrong-guess-xx');
    expect(sixth.res.json().retryAfter).toBe(120);
    expect(await actions()).toContain('user.lock');

    const admin = await signIn('boss');
    const unlock = await app.inject({ method: 'POST', url: '/api/users/target/unlock', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(unlock.statusCode).toBe(200);
    expect((await signIn('target')).res.statusCode).toBe(200);
  });
});

describe('administering accounts', () => {
  it('creates a user with validated grants and refuses a short password with the reason', async () => {
    const admin = await signIn('boss');
    const h = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const short = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { username: 'new.one', displayName: 'New', password: 'short', grants: [] } });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toMatch(/at least 10 characters/);
    const badUnit = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { username: 'new.one', displayName: 'New', password: PASSWORD, grants: [{ role: 'reviewer', orgUnit: 'XX-NOPE' }] } });
    expect(badUnit.statusCode).toBe(400);
    expect(badUnit.json().message).toMatch(/XX-NOPE/);
    const ok = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { username: 'new.one', displayName: 'New', password: PASSWORD, grants: [{ role: 'reviewer', orgUnit: 'PK-PB' }] } });
    expect(ok.statusCode).toBe(201);
    const grants = await app.inject({ method: 'PUT', url: '/api/users/new.one/grants', headers: h, payload: [{ role: 'reviewer', orgUnit: 'PK-KP' }] });
    expect(grants.json().grants).toEqual([{ role: 'reviewer', orgUnit: 'PK-KP' }]);
    expect(await actions()).toEqual(expect.arrayContaining(['user.create', 'role.set']));
  });

  it('a non-admin may not list users', async () => {
    const clerk = await signIn('clerk');
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: { cookie: clerk.cookie } })).statusCode).toBe(403);
  });

  it('a reset by an admin ends the sessions and the user must change the password', async () => {
    await createUser(conn.db, systemActor('test'), { username: 'forgetful', displayName: 'Forgetful', password: PASSWORD, grants: [] });
    const user = await signIn('forgetful');
    const admin = await signIn('boss');
    const reset = await app.inject({ method: 'POST', url: '/api/users/forgetful/reset-password', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: { password: 'temporary-123' } });
    expect(reset.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: user.cookie } })).statusCode).toBe(401);
    const again = await signIn('forgetful', 'temporary-123');
    expect(again.res.json().user.mustChangePassword).toBe(true);
    const change = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: again.cookie, 'x-csrf-token': again.csrf }, payload: { currentPassword: 'temporary-123', newPassword: 'my-own-new-password' } });
    expect(change.statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: again.cookie } });
    expect(me.json().mustChangePassword).toBe(false);
    expect(await actions()).toEqual(expect.arrayContaining(['user.reset_password', 'user.change_password']));
  });

  it('a disabled user cannot sign in and their session ends', async () => {
    await createUser(conn.db, systemActor('test'), { username: 'leaver', displayName: 'Leaver', password: PASSWORD, grants: [] });
    const user = await signIn('leaver');
    const admin = await signIn('boss');
    const off = await app.inject({ method: 'PATCH', url: '/api/users/leaver', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: { disabled: true } });
    expect(off.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: user.cookie } })).statusCode).toBe(401);
    expect((await signIn('leaver')).res.statusCode).toBe(401);
    expect(await actions()).toContain('user.disable');
  });
});

describe('API tokens', () => {
  it('creates a token shown once, uses it, lists it by prefix and revokes it', async () => {
    const s = await signIn('clerk');
    const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const created = await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: h, payload: { name: 'script', expiresInDays: 30 } });
    expect(created.statusCode).toBe(201);
    const { token, prefix, id } = created.json();
    expect(token).toMatch(/^jz_/);
    expect(token.startsWith(prefix)).toBe(true);
    const stored = (await conn.db.query<{ token_hash: string }>('SELECT token_hash FROM api_token WHERE id = $1', [id])).rows[0]!.token_hash;
    expect(stored).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer });
    expect(me.json().username).toBe('clerk');
    const list = await app.inject({ method: 'GET', url: '/api/auth/tokens', headers: bearer });
    expect(list.json()[0]).toMatchObject({ id, prefix, name: 'script' });
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect(list.json()[0].lastUsedAt).not.toBeNull();

    // Token requests need no CSRF token.
    const revoked = await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: bearer });
    expect(revoked.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(401);
    expect(await actions()).toEqual(expect.arrayContaining(['token.create', 'token.revoke']));
  });

  it('refuses an expired token', async () => {
    const s = await signIn('clerk');
    const { token, id } = (await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { name: 'old' } })).json();
    await conn.db.query("UPDATE api_token SET expires_at = now() - interval '1 minute' WHERE id = $1", [id]);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });
});

describe('administering accounts within the administrator\'s org units', () => {
  beforeAll(async () => {
    const accounts: [string, Role, string][] = [
      ['sd.admin', 'admin', 'PK-SD'], ['sd.clerk', 'data_clerk', 'PK-SD-KCN'], ['pb.clerk', 'data_clerk', 'PK-PB'], ['pk.reviewer', 'reviewer', 'PK'],
    ];
    for (const [username, role, orgUnit] of accounts) {
      await createUser(conn.db, systemActor('test'), { username, displayName: username, password: PASSWORD, grants: [{ role, orgUnit }] });
    }
    await createUser(conn.db, systemActor('test'), { username: 'shared', displayName: 'Shared', password: PASSWORD, grants: [{ role: 'reviewer', orgUnit: 'PK-SD' }, { role: 'reviewer', orgUnit: 'PK-PB' }] });
  });

  async function sdAdmin() {
    const s = await signIn('sd.admin');
    return { cookie: s.cookie, 'x-csrf-token': s.csrf };
  }

  /** Everything the five write routes could change about an account, its audit entries and sessions included. */
  async function snapshot(username: string) {
    return (await conn.db.query(
      `SELECT u.display_name, u.disabled, u.password_hash, u.must_change_password, u.failed_attempts, u.locked_until,
              (SELECT array_agg(r.role || '@' || o.code ORDER BY o.code, r.role) FROM user_role r JOIN org_unit o ON o.id = r.org_unit_id WHERE r.user_id = u.id) AS grants,
              (SELECT count(*)::int FROM user_session s WHERE s.user_id = u.id) AS sessions,
              (SELECT count(*)::int FROM audit_entry a WHERE a.entity_id = u.username) AS audited
         FROM app_user u WHERE u.username = $1`, [username])).rows[0];
  }

  const exists = async (username: string) => (await conn.db.query('SELECT 1 FROM app_user WHERE username = $1', [username])).rows.length > 0;

  it.each([['PK-PB', 'pb.clerk'], ['PK', 'pk.reviewer']])('a PK-SD admin is refused on a %s account with 403, and nothing changes', async (unit, target) => {
    await signIn(target);
    await conn.db.query("UPDATE app_user SET failed_attempts = 5, locked_until = now() + interval '1 hour' WHERE username = $1", [target]);
    const before = await snapshot(target);
    const h = await sdAdmin();
    const created = `new.at.${unit.toLowerCase()}`;
    const res = [
      await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { username: created, displayName: 'New', password: PASSWORD, grants: [{ role: 'reviewer', orgUnit: unit }] } }),
      await app.inject({ method: 'PATCH', url: `/api/users/${target}`, headers: h, payload: { displayName: 'Taken over', disabled: true } }),
      // The grants given lie within PK-SD: the account's own grants are what refuse it.
      await app.inject({ method: 'PUT', url: `/api/users/${target}/grants`, headers: h, payload: [{ role: 'data_clerk', orgUnit: 'PK-SD' }] }),
      await app.inject({ method: 'POST', url: `/api/users/${target}/reset-password`, headers: h, payload: { password: 'taken-over-2026' } }),
      await app.inject({ method: 'POST', url: `/api/users/${target}/unlock`, headers: h }),
    ];
    expect(res.map((r) => r.statusCode)).toEqual([403, 403, 403, 403, 403]);
    expect(res[0]!.json().message).toContain(unit);
    expect(await snapshot(target)).toEqual(before);
    expect(await exists(created)).toBe(false);
  });

  it('a PK-SD admin can do all five on a PK-SD account', async () => {
    const h = await sdAdmin();
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { username: 'sd.new', displayName: 'New', password: PASSWORD, grants: [{ role: 'data_clerk', orgUnit: 'PK-SD-KCN' }] } });
    expect(created.statusCode).toBe(201);
    expect(await exists('sd.new')).toBe(true);
    expect((await app.inject({ method: 'PATCH', url: '/api/users/sd.clerk', headers: h, payload: { displayName: 'Renamed' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: '/api/users/sd.clerk/grants', headers: h, payload: [{ role: 'reviewer', orgUnit: 'PK-SD' }] })).statusCode).toBe(200);
    await conn.db.query("UPDATE app_user SET failed_attempts = 5, locked_until = now() + interval '1 hour' WHERE username = 'sd.clerk'");
    expect((await app.inject({ method: 'POST', url: '/api/users/sd.clerk/unlock', headers: h })).statusCode).toBe(200);
    expect((await snapshot('sd.clerk'))!.locked_until).toBeNull();
    expect((await app.inject({ method: 'POST', url: '/api/users/sd.clerk/reset-password', headers: h, payload: { password: 'temporary-456' } })).statusCode).toBe(200);
    expect(await snapshot('sd.clerk')).toMatchObject({ display_name: 'Renamed', grants: ['reviewer@PK-SD'], must_change_password: true, failed_attempts: 0 });
  });

  it('a PK-SD admin cannot grant outside or above PK-SD, nor leave an account without roles (it would be national)', async () => {
    const h = await sdAdmin();
    const before = await snapshot('sd.clerk');
    for (const grants of [[{ role: 'reviewer', orgUnit: 'PK-SD' }, { role: 'reviewer', orgUnit: 'PK-PB' }], [{ role: 'admin', orgUnit: 'PK' }], []]) {
      expect((await app.inject({ method: 'PUT', url: '/api/users/sd.clerk/grants', headers: h, payload: grants })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { username: 'sd.newer', displayName: 'New', password: PASSWORD, grants } })).statusCode).toBe(403);
    }
    expect(await snapshot('sd.clerk')).toEqual(before);
    expect(await exists('sd.newer')).toBe(false);
  });

  it('GET /api/users as a PK-SD admin lists the accounts with a grant within PK-SD, and no PK-PB-only one', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/users', headers: await sdAdmin() });
    expect(res.statusCode).toBe(200);
    const users = res.json() as { username: string; grants: { role: string; orgUnit: string }[] }[];
    const names = users.map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['sd.admin', 'sd.clerk', 'shared']));
    for (const outside of ['pb.clerk', 'clerk', 'pk.reviewer', 'boss', 'target']) expect(names).not.toContain(outside);
    // A shared account shows all its grants: the PK-PB one is why this admin may not change it.
    expect(users.find((u) => u.username === 'shared')!.grants).toEqual([{ role: 'reviewer', orgUnit: 'PK-PB' }, { role: 'reviewer', orgUnit: 'PK-SD' }]);
    expect((await app.inject({ method: 'PATCH', url: '/api/users/shared', headers: await sdAdmin(), payload: { disabled: true } })).statusCode).toBe(403);
  });

  it('files account changes under the account\'s unit, so its administrators see them in the audit trail, and no one else\'s', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/audit?limit=1000', headers: await sdAdmin() });
    expect(res.statusCode).toBe(200);
    const entries = (Array.isArray(res.json()) ? res.json() : res.json().entries) as { action: string; entityId: string | null; orgUnit: string | null }[];
    const about = (username: string) => entries.filter((e) => e.entityId === username).map((e) => e.action);
    expect(about('sd.clerk')).toEqual(expect.arrayContaining(['user.create', 'user.update', 'role.set', 'user.unlock', 'user.reset_password']));
    expect(about('sd.new')).toEqual(['user.create']);
    expect(about('pb.clerk')).toEqual([]);
    expect(about('shared')).toEqual([]);
    expect(entries.every((e) => e.orgUnit !== null && e.orgUnit.startsWith('PK-SD'))).toBe(true);
  });
});
