/**
 * The demo users the browser tests sign in as, with the password the demo data documents. Created here when the
 * demo seed has not created them (the seed's own users win: their names are kept).
 */
import type { BrowserContext } from 'playwright-core';
import type { Database } from '../../src/db/database.ts';
import { createUser } from '../../src/governance/user-admin.ts';
import { createApiToken } from '../../src/governance/api-tokens.ts';
import type { Role } from '../../src/governance/principal.ts';

export const DEMO_PASSWORD = 'jaiza-demo-2026';

export const DEMO_USERS: { username: string; displayName: string; role: Role; orgUnit: string }[] = [
  { username: 'lahore.clerk', displayName: 'Lahore data clerk', role: 'data_clerk', orgUnit: 'PK-PB-LHR' },
  { username: 'lahore.reviewer', displayName: 'Lahore reviewer', role: 'reviewer', orgUnit: 'PK-PB-LHR' },
  { username: 'punjab.reviewer', displayName: 'Punjab reviewer', role: 'reviewer', orgUnit: 'PK-PB' },
  { username: 'nacta.reviewer', displayName: 'NACTA reviewer', role: 'reviewer', orgUnit: 'PK' },
  { username: 'nacta.admin', displayName: 'NACTA administrator', role: 'admin', orgUnit: 'PK' },
  { username: 'committee.viewer', displayName: 'Committee member', role: 'committee_viewer', orgUnit: 'PK' },
];

export async function ensureDemoUsers(db: Database): Promise<void> {
  for (const u of DEMO_USERS) {
    const exists = (await db.query('SELECT 1 FROM app_user WHERE username = $1', [u.username])).rows.length > 0;
    if (!exists) await createUser(db, 'cli:e2e', { username: u.username, displayName: u.displayName, password: DEMO_PASSWORD, grants: [{ role: u.role, orgUnit: u.orgUnit }] });
  }
}

/** Signs the browser context in: the session and CSRF cookies land in the context, as after the sign-in screen. */
export async function signInContext(context: BrowserContext, baseUrl: string, username: string): Promise<void> {
  const res = await context.request.post(`${baseUrl}/api/auth/sign-in`, { data: { username, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`sign-in as ${username}: HTTP ${res.status()} ${await res.text()}`);
}

/** Bearer headers for a demo user's personal API token, for the tests' own reads and writes through the API. */
export async function apiHeaders(db: Database, username: string): Promise<Record<string, string>> {
  const id = (await db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username])).rows[0]!.id;
  const { token } = await createApiToken(db, id, 'e2e');
  return { authorization: `Bearer ${token}` };
}
