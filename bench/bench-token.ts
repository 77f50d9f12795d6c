/** The benchmark's own administrator and personal API token: the API it measures is the signed-in one. */
import { randomBytes } from 'node:crypto';
import type { Database } from '../src/db/database.ts';
import { createApiToken } from '../src/governance/api-tokens.ts';
import { createUser, systemActor } from '../src/governance/user-admin.ts';

export async function benchAuthorization(db: Database): Promise<Record<string, string>> {
  const username = `bench.admin.${randomBytes(4).toString('hex')}`;
  await createUser(db, systemActor('bench'), {
    username, displayName: 'Benchmark', password: randomBytes(18).toString('base64url'),
    grants: [{ role: 'admin', orgUnit: 'PK' }],
  });
  const id = (await db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username])).rows[0]!.id;
  const { token } = await createApiToken(db, id, 'bench');
  return { authorization: `Bearer ${token}` };
}
