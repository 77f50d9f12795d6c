/** Signing the browser tests in as the seeded demo users, with the password the README documents. */
import type { BrowserContext } from 'playwright-core';
import type { Database } from '../../src/db/database.ts';
import { createApiToken } from '../../src/governance/api-tokens.ts';
import { DEMO_PASSWORD } from '../../src/governance/demo-users.ts';

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
