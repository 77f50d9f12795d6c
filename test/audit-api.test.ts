import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { createTestDatabase } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import type { Connection } from '../src/db/connect.ts';
import { ValueSaver } from '../src/datavalues/value-saver.ts';
import { runImport } from '../src/importexport/import-service.ts';
import { appendAudit, verifyAudit } from '../src/audit/audit-log.ts';
import { recentAudit } from '../src/audit/audit-query.ts';

describe('data changes leave audit entries', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await createTestDatabase();
    await loadTestFramework(conn.db);
  });
  afterAll(() => conn.close());

  it('a saved value and an applied import each leave an entry, and the chain verifies; a rewritten entry is named', async () => {
    const saver = new ValueSaver(conn.db);
    await saver.save({ indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q1', disaggregation: '', value: '10' }, 'clerk');
    await saver.save({ indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q1', disaggregation: '', value: '11' }, 'clerk');
    const csv = 'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment\nT-COUNT,PK-SD-KHI,2025Q1,,4,,,\nT-COUNT,PK-PB-LHR,2025Q2,,5,,,\n';
    const s = await runImport(conn.db, Readable.from([csv]), { format: 'csv', fileName: 'q1.csv', user: 'officer' });
    expect(s.errors).toEqual([]);

    const entries = await recentAudit(conn.db, {});
    const saves = entries.filter((e) => e.action === 'data.save').reverse();
    expect(saves.map((e) => [e.actor, (e.detail as { oldValue: string | null }).oldValue, (e.detail as { newValue: string }).newValue]))
      .toEqual([['clerk', null, '10'], ['clerk', '10', '11']]);
    const imp = entries.find((e) => e.action === 'import.apply')!;
    expect(imp.detail).toMatchObject({ importJobId: s.importId, created: 2, updated: 0, deleted: 0, fileName: 'q1.csv' });
    expect((imp.detail as { appliedRowsSha256: string }).appliedRowsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyAudit(conn.db)).toEqual({ ok: true, entries: 3, broken: null });

    await conn.db.exec('ALTER TABLE audit_entry DISABLE TRIGGER USER');
    await conn.db.query(`UPDATE audit_entry SET actor = 'someone else' WHERE id = $1`, [saves[1]!.id]);
    await conn.db.exec('ALTER TABLE audit_entry ENABLE TRIGGER USER');
    const v = await verifyAudit(conn.db);
    expect(v.ok).toBe(false);
    expect(v.broken).toMatchObject({ entryId: saves[1]!.id, reason: 'content_changed' });
  });
});

describe('the audit trail read back', () => {
  it('lists the newest entries first and verifies in order, past the ninth as before it', async () => {
    const conn = await createTestDatabase();
    try {
      for (let i = 0; i < 12; i++) await appendAudit(conn.db, { actor: 'a', action: 'test.step', entity: 'test', entityId: i });
      const ids = (await recentAudit(conn.db, {})).map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(ids).toHaveLength(12);
      // Walked in the same order: a chain of ten or more entries verifies.
      expect(await verifyAudit(conn.db)).toEqual({ ok: true, entries: 12, broken: null });
    } finally {
      await conn.close();
    }
  });
});
