import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, engine } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { connect, type Connection } from '../src/db/connect.ts';
import { AppRoleError, grantAppRole } from '../src/db/app-role.ts';
import { ValueSaver } from '../src/datavalues/value-saver.ts';
import { verifyAudit } from '../src/audit/audit-log.ts';

// Roles exist on a PostgreSQL server only; the embedded database has one user.
describe.runIf(engine === 'postgres')('the application role on a PostgreSQL server', () => {
  const role = `jaiza_app_${process.pid}`;
  let owner: Connection & { url?: string };
  let app: Connection;
  const server = () => new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });

  beforeAll(async () => {
    owner = await createTestDatabase();
    await loadTestFramework(owner.db);
    const c = server();
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${role}`);
    await c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'app-role-test'`);
    await c.end();
    await grantAppRole(owner.db, role);
    const url = new URL(owner.url!);
    url.username = role;
    url.password = 'app-role-test';
    app = await connect({ databaseUrl: url.toString() });
  });
  afterAll(async () => {
    await app?.close();
    await owner?.close();
    const c = server();
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${role}`);
    await c.end();
  });

  it('runs the application: a saved value is stored and audited', async () => {
    const s = await new ValueSaver(app.db).save({ indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q1', disaggregation: '', value: '12' }, 'clerk');
    expect(s.status).toBe('success');
    expect((await verifyAudit(app.db)).ok).toBe(true);
  });

  it('cannot change, remove, truncate or unguard the audit trail', async () => {
    const before = (await owner.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entry')).rows[0]!.n;
    expect(before).toBeGreaterThan(0);
    await expect(app.db.exec(`UPDATE audit_entry SET actor = 'someone else'`)).rejects.toThrow(/permission denied/);
    await expect(app.db.exec('DELETE FROM audit_entry')).rejects.toThrow(/permission denied/);
    await expect(app.db.exec('TRUNCATE audit_entry')).rejects.toThrow(/permission denied/);
    await expect(app.db.exec('ALTER TABLE audit_entry DISABLE TRIGGER USER')).rejects.toThrow(/must be owner/);
    await expect(app.db.exec(`INSERT INTO schema_migration (version, name) VALUES (999, 'forged')`)).rejects.toThrow(/permission denied/);
    expect((await owner.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entry')).rows[0]!.n).toBe(before);
    expect((await verifyAudit(owner.db)).ok).toBe(true);
  });

  it('refuses a role that owns the tables or does not exist, naming why', async () => {
    const ownerName = new URL(owner.url!).username;
    await expect(grantAppRole(owner.db, ownerName)).rejects.toThrow(/owns nothing/);
    await expect(grantAppRole(owner.db, 'no_such_role_here')).rejects.toThrow(/does not exist/);
    await expect(grantAppRole(owner.db, 'x; DROP TABLE audit_entry')).rejects.toThrow(AppRoleError);
  });
});
