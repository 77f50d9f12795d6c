/**
 * Server mode: the application should connect as a role that owns nothing. The table owner (who runs the
 * migrations) could disable the audit trail's append-only triggers; a role without ownership cannot, and with
 * its UPDATE, DELETE and TRUNCATE rights on the trail revoked the database itself refuses any rewrite.
 */
import type { Queryable } from './database.ts';

export class AppRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppRoleError';
  }
}

/**
 * Grants an existing login role what the application needs: read and write every table and sequence, and on the
 * audit trail only read and append. Run it as the owner after every migration: new tables need their grants too.
 */
export async function grantAppRole(db: Queryable, role: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    throw new AppRoleError(`"${role}" is not a plain role name (lower-case letters, digits and underscores)`);
  }
  const r = (await db.query<{ super: boolean; owns: boolean }>(
    `SELECT r.rolsuper AS super, EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = r.rolname) AS owns
       FROM pg_roles r WHERE r.rolname = $1`, [role])).rows[0];
  if (!r) throw new AppRoleError(`role ${role} does not exist: create it first, e.g. CREATE ROLE ${role} LOGIN PASSWORD '…'`);
  if (r.super || r.owns) {
    throw new AppRoleError(`role ${role} is a superuser or owns Jaiza's tables, so it could still rewrite the audit trail: use a role that owns nothing`);
  }
  await db.exec(`
    GRANT USAGE ON SCHEMA public TO ${role};
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO ${role};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role};
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM ${role};
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM ${role};`);
}
