import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase } from './test-database.ts';
import { authApp, setCookies } from './auth-app.ts';
import { seedReferenceData } from '../src/seed/seed.ts';
import { createUser, systemActor } from '../src/governance/user-admin.ts';
import { sha256Hex } from '../src/governance/secret-hash.ts';
import type { Connection } from '../src/db/connect.ts';

let conn: Connection;
let app: FastifyInstance;
const PASSWORD = 'correct-horse-battery';

beforeAll(async () => {
  conn = await createTestDatabase();
  await seedReferenceData(conn.db);
  await createUser(conn.db, systemActor('test'), { username: 'boss', displayName: 'Boss', password: PASSWORD, grants: [{ role: 'admin', orgUnit: 'PK' }] });
  await createUser(conn.db, systemActor('test'), { username: 'victim', displayName: 'Victim', password: PASSWORD, grants: [] });
  app = await authApp(conn.db);
}, 120_000);
afterAll(async () => {
  await app.close();
  await conn.close();
});

async function signIn(username: string, password = PASSWORD, cookie?: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password }, headers: cookie ? { cookie } : {} });
  const c = setCookies(res);
  return { res, session: c.jaiza_session, cookie: `jaiza_session=${c.jaiza_session}; jaiza_csrf=${c.jaiza_csrf}`, csrf: c.jaiza_csrf ?? '' };
}

describe('session fixation', () => {
  it('a cookie set before sign-in is not the session after it', async () => {
    const planted = 'attacker-chosen-session-id-value';
    const s = await signIn('victim', PASSWORD, `jaiza_session=${planted}`);
    expect(s.res.statusCode).toBe(200);
    expect(s.session).toBeTruthy();
    expect(s.session).not.toBe(planted);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `jaiza_session=${planted}` } })).statusCode).toBe(401);
    const hashes = (await conn.db.query<{ id_hash: string }>('SELECT id_hash FROM user_session')).rows.map((r) => r.id_hash);
    expect(hashes).not.toContain(sha256Hex(planted));
    // Each sign-in gets a new id, even with a live session's cookie sent along.
    const again = await signIn('victim', PASSWORD, s.cookie);
    expect(again.session).not.toBe(s.session);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request with a session but without or with a wrong x-csrf-token, changing nothing', async () => {
    const admin = await signIn('boss');
    const body = { disabled: true };
    const none = await app.inject({ method: 'PATCH', url: '/api/users/victim', headers: { cookie: admin.cookie }, payload: body });
    expect(none.statusCode).toBe(403);
    expect(none.json().error).toBe('csrf');
    const wrong = await app.inject({ method: 'PATCH', url: '/api/users/victim', headers: { cookie: admin.cookie, 'x-csrf-token': 'forged' }, payload: body });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error).toBe('csrf');
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie }, payload: { username: 'sneaky', displayName: 'S', password: PASSWORD, grants: [{ role: 'admin', orgUnit: 'PK' }] } });
    expect(created.statusCode).toBe(403);
    const users = (await conn.db.query<{ username: string; disabled: boolean }>('SELECT username, disabled FROM app_user ORDER BY username')).rows;
    expect(users).toEqual([{ username: 'boss', disabled: false }, { username: 'victim', disabled: false }]);
    // The right token goes through.
    const right = await app.inject({ method: 'PATCH', url: '/api/users/victim', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: { displayName: 'Victim V' } });
    expect(right.statusCode).toBe(200);
  });
});

describe('brute force', () => {
  it('stops guessing after five failures: the right password is refused until the lock runs out', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) answers.push((await signIn('victim', `guess-number-${i}`)).res.statusCode);
    expect(answers.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(answers.slice(4)).toEqual([429, 429, 429, 429]);
    const right = await signIn('victim');
    expect(right.res.statusCode).toBe(429);
    expect(right.res.headers['retry-after']).toBeDefined();
    expect(right.session).toBeUndefined();
  });
});
