/** The demo accounts seeded with the demo data: one per role and level, all with the same published password. */
import type { Database } from '../db/database.ts';
import { createUser, systemActor } from './user-admin.ts';
import type { Role } from './principal.ts';

export const DEMO_PASSWORD = 'jaiza-demo-2026';

export const DEMO_USERS: { username: string; displayName: string; role: Role; orgUnit: string }[] = [
  { username: 'nacta.admin', displayName: 'NACTA administrator', role: 'admin', orgUnit: 'PK' },
  { username: 'nacta.me', displayName: 'NACTA M&E officer', role: 'me_officer', orgUnit: 'PK' },
  { username: 'nacta.reviewer', displayName: 'NACTA reviewer', role: 'reviewer', orgUnit: 'PK' },
  { username: 'punjab.reviewer', displayName: 'Punjab reviewer', role: 'reviewer', orgUnit: 'PK-PB' },
  { username: 'lahore.reviewer', displayName: 'Lahore reviewer', role: 'reviewer', orgUnit: 'PK-PB-LHR' },
  { username: 'lahore.clerk', displayName: 'Lahore data clerk', role: 'data_clerk', orgUnit: 'PK-PB-LHR' },
  { username: 'punjab.clerk', displayName: 'Punjab data clerk', role: 'data_clerk', orgUnit: 'PK-PB' },
  { username: 'kp.clerk', displayName: 'Khyber Pakhtunkhwa data clerk', role: 'data_clerk', orgUnit: 'PK-KP' },
  { username: 'committee.viewer', displayName: 'Committee viewer', role: 'committee_viewer', orgUnit: 'PK' },
];

/** Creates the demo accounts that do not exist yet; returns how many were created. */
export async function seedDemoUsers(db: Database): Promise<number> {
  const existing = new Set((await db.query<{ username: string }>('SELECT username FROM app_user')).rows.map((r) => r.username));
  let created = 0;
  for (const u of DEMO_USERS) {
    if (existing.has(u.username)) continue;
    await createUser(db, systemActor('demo-seed'), { username: u.username, displayName: u.displayName, password: DEMO_PASSWORD, grants: [{ role: u.role, orgUnit: u.orgUnit }] });
    created++;
  }
  return created;
}
