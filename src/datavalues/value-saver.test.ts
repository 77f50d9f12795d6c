import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../db/connect.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { loadTestFramework } from '../../test/fixture-framework.ts';
import { ValueSaver, type ValueSave } from './value-saver.ts';

describe('saving single values at the same time', () => {
  let conn: Connection;
  let saver: ValueSaver;

  beforeAll(async () => {
    conn = await createTestDatabase();
    await loadTestFramework(conn.db);
    saver = new ValueSaver(conn.db);
  });
  afterAll(() => conn.close());

  const stored = async (orgUnit: string, period: string, disagg = '') => (await conn.db.query<{ value: number }>(
    `SELECT d.value FROM data_value d JOIN indicator i ON i.id = d.indicator_id JOIN org_unit o ON o.id = d.org_unit_id
       JOIN period p ON p.id = d.period_id WHERE i.code = 'T-COUNT' AND o.code = $1 AND p.code = $2 AND d.disagg = $3`,
    [orgUnit, period, disagg])).rows[0]?.value ?? null;
  const count = (orgUnit: string, period: string, value: string, disaggregation = ''): ValueSave =>
    ({ indicator: 'T-COUNT', orgUnit, period, disaggregation, value });

  it('answers each save on its own: bad values are refused with their reason, the others are stored', async () => {
    const saves = [
      count('PK-PB-LHR', '2025Q1', '10'),
      count('PK-PB-KSR', '2025Q1', 'twelve'),
      count('PK-PB-NEW', '2025Q3', '7'),
      count('PK-PB-LHR', '2025Q2', '-3'),
      count('PK-SD-KHI', '2025Q1', '4'),
      count('PK-XX', '2025Q1', '4'),
    ];
    const answers = await Promise.all(saves.map((s) => saver.save(s, 'clerk')));
    expect(answers.map((a) => a.status)).toEqual(['success', 'error', 'success', 'error', 'success', 'error']);
    expect(answers.map((a) => a.counts.imported)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(answers[1]!.errors).toEqual([expect.objectContaining({ row: 1, field: 'value' })]);
    expect(answers[3]!.errors[0]!.message).toMatch(/negative/);
    expect(answers[5]!.errors).toEqual([expect.objectContaining({ row: 1, field: 'org_unit', code: 'unknown_org_unit' })]);
    expect(await stored('PK-PB-LHR', '2025Q1')).toBe(10);
    expect(await stored('PK-PB-KSR', '2025Q1')).toBeNull();
    expect(await stored('PK-PB-LHR', '2025Q2')).toBeNull();
    // Saves sent together share one transaction.
    const jobs = new Set(answers.filter((a) => a.importId !== null).map((a) => a.importId));
    expect(jobs.size).toBe(1);
  });

  it('applies two saves of one cell in the order they were sent', async () => {
    const [first, second] = await Promise.all([
      saver.save(count('PK-PB-LHR', '2025Q4', '20'), 'clerk'),
      saver.save(count('PK-PB-LHR', '2025Q4', '25'), 'clerk'),
    ]);
    expect(first!.counts).toMatchObject({ imported: 1, updated: 0 });
    expect(second!.counts).toMatchObject({ imported: 0, updated: 1 });
    expect(await stored('PK-PB-LHR', '2025Q4')).toBe(25);
  });

  it('refuses the save that breaks a rule, names the rule, and keeps the save it was checked with', async () => {
    // Women trained (9) cannot exceed people trained (5): the rule names the first of the two saves.
    const [women, total] = await Promise.all([
      saver.save(count('PK-SD-KHI', '2025Q2', '9', 'sex=F'), 'clerk'),
      saver.save(count('PK-SD-KHI', '2025Q2', '5'), 'clerk'),
    ]);
    expect(women!.status).toBe('error');
    expect(women!.errors[0]!.code).toBe('rule:VR-F');
    expect(total!.status).toBe('success');
    expect(await stored('PK-SD-KHI', '2025Q2')).toBe(5);
    expect(await stored('PK-SD-KHI', '2025Q2', 'sex=F')).toBeNull();
  });

  it('records each user as the one who stored their value', async () => {
    await Promise.all([
      saver.save(count('PK-PB-KSR', '2025Q3', '3'), 'amina'),
      saver.save(count('PK-PB-NEW', '2025Q4', '4'), 'bilal'),
    ]);
    const by = await conn.db.query<{ org_unit: string; stored_by: string }>(
      `SELECT o.code AS org_unit, d.stored_by FROM data_value d JOIN org_unit o ON o.id = d.org_unit_id JOIN period p ON p.id = d.period_id
        WHERE (o.code, p.code) IN (('PK-PB-KSR', '2025Q3'), ('PK-PB-NEW', '2025Q4')) ORDER BY o.code`);
    expect(by.rows).toEqual([{ org_unit: 'PK-PB-KSR', stored_by: 'amina' }, { org_unit: 'PK-PB-NEW', stored_by: 'bilal' }]);
  });

  it('removes values, and says when there was nothing to remove', async () => {
    const [removed, absent] = await Promise.all([
      saver.save({ ...count('PK-PB-LHR', '2025Q4', ''), deleted: true }, 'clerk'),
      saver.save({ ...count('PK-PB-KSR', '2024Q1', ''), deleted: true }, 'clerk'),
    ]);
    expect(removed!.counts.deleted).toBe(1);
    expect(absent!.counts).toMatchObject({ deleted: 0, ignored: 1 });
    expect(await stored('PK-PB-LHR', '2025Q4')).toBeNull();
  });
});
