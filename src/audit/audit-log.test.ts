import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../db/connect.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { appendAudit, audit, verifyAudit } from './audit-log.ts';

describe('the hash-chained audit trail', () => {
  let conn: Connection;

  beforeEach(async () => {
    await conn?.close();
    conn = await createTestDatabase();
    for (let i = 1; i <= 6; i++) {
      await audit(conn.db, { actor: `user${i}`, action: 'data.save', entity: 'data_value', entityId: `K-${i}`, orgUnit: 'PK-PB', detail: { value: i, comment: `c${i}` } });
    }
  });
  afterAll(() => conn.close());

  // Tampering is what someone with the database owner's rights does behind the application's back.
  const tamper = async (sql: string) => {
    await conn.db.exec('ALTER TABLE audit_entry DISABLE TRIGGER USER');
    await conn.db.exec(sql);
    await conn.db.exec('ALTER TABLE audit_entry ENABLE TRIGGER USER');
  };
  const ids = async () => (await conn.db.query<{ id: string }>('SELECT id::text FROM audit_entry ORDER BY id')).rows.map((r) => Number(r.id));

  it('verifies an untouched trail, several entries in one transaction included', async () => {
    await conn.db.transaction((tx) => appendAudit(tx, [
      { actor: 'rev', action: 'submission.approve', entity: 'submission', entityId: 1 },
      { actor: 'rev', action: 'submission.approve', entity: 'submission', entityId: 2 },
    ]));
    expect(await verifyAudit(conn.db)).toEqual({ ok: true, entries: 8, broken: null });
  });

  it('refuses updates, deletes and truncation from the application', async () => {
    await expect(conn.db.exec(`UPDATE audit_entry SET actor = 'x'`)).rejects.toThrow(/append-only/);
    await expect(conn.db.exec('DELETE FROM audit_entry')).rejects.toThrow(/append-only/);
    await expect(conn.db.exec('TRUNCATE audit_entry')).rejects.toThrow(/append-only/);
    expect((await verifyAudit(conn.db)).ok).toBe(true);
  });

  it('names the changed entry when one is rewritten', async () => {
    const [, , third] = await ids();
    await tamper(`UPDATE audit_entry SET detail = '{"value": 300, "comment": "c3"}' WHERE id = ${third}`);
    expect((await verifyAudit(conn.db)).broken).toMatchObject({ entryId: third, reason: 'content_changed' });
  });

  it('names the entry after a deleted one', async () => {
    const [, second, third] = await ids();
    await tamper(`DELETE FROM audit_entry WHERE id = ${second}`);
    expect((await verifyAudit(conn.db)).broken).toMatchObject({ entryId: third, reason: 'link_broken' });
  });

  it('detects entries cut off the end', async () => {
    const all = await ids();
    await tamper(`DELETE FROM audit_entry WHERE id >= ${all[4]}`);
    expect((await verifyAudit(conn.db)).broken).toMatchObject({ reason: 'head_mismatch', entryId: all[3] });
  });

  it('detects two entries swapped', async () => {
    const [a, b] = await ids();
    await tamper(`UPDATE audit_entry SET id = -1 WHERE id = ${a}; UPDATE audit_entry SET id = ${a} WHERE id = ${b}; UPDATE audit_entry SET id = ${b} WHERE id = -1`);
    expect((await verifyAudit(conn.db)).broken).toMatchObject({ entryId: a });
  });

  it('detects a forged entry inserted with a made-up hash', async () => {
    const all = await ids();
    await tamper(`INSERT INTO audit_entry (id, at, actor, action, entity, prev_hash, hash)
                  VALUES (${all[2]! * 1000}, now(), 'forger', 'data.save', 'data_value', 'x', 'y')`);
    expect((await verifyAudit(conn.db)).ok).toBe(false);
  });
});
