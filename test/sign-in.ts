/** Test accounts: a user with one grant and a personal API token, written straight into the database. */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Queryable } from '../src/db/database.ts';
import type { Role } from '../src/governance/principal.ts';

let serial = 0;

export async function signIn(db: Queryable, role: Role, orgUnit: string): Promise<{ headers: Record<string, string>; username: string }> {
  const username = `t.${role.replace('_', '-')}.${process.pid}.${++serial}`;
  const token = `jz_${randomBytes(24).toString('hex')}`;
  const user = (await db.query<{ id: number }>(
    `INSERT INTO app_user (username, display_name, password_hash) VALUES ($1, $1, 'not-a-password') RETURNING id`, [username])).rows[0]!;
  const unit = (await db.query<{ id: number }>('SELECT id FROM org_unit WHERE code = $1', [orgUnit])).rows[0];
  if (!unit) throw new Error(`signIn: unknown org unit ${orgUnit}`);
  await db.query('INSERT INTO user_role (user_id, role, org_unit_id) VALUES ($1, $2, $3)', [user.id, role, unit.id]);
  await db.query('INSERT INTO api_token (user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4)',
    [user.id, 'test', createHash('sha256').update(token).digest('hex'), token.slice(0, 9)]);
  return { headers: { authorization: `Bearer ${token}` }, username };
}

/** Makes every `app.inject` call of a test carry these headers unless the call sets its own. */
export function injectAs(app: FastifyInstance, headers: Record<string, string>): void {
  const inject = app.inject.bind(app) as (o: InjectOptions) => ReturnType<FastifyInstance['inject']>;
  (app as { inject: unknown }).inject = (opts: InjectOptions) => inject({ ...opts, headers: { ...headers, ...(opts.headers as Record<string, string> | undefined) } });
}

/** Signs the test's requests in as a national administrator. */
export async function injectAsAdmin(app: FastifyInstance, db: Queryable): Promise<void> {
  injectAs(app, (await signIn(db, 'admin', 'PK')).headers);
}
