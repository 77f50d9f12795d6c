import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from './connect.ts';
import { createTestDatabase } from '../../test/test-database.ts';

let conn: Connection;
beforeAll(async () => {
  conn = await createTestDatabase();
  await conn.db.exec('CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2), (3);');
});
afterAll(() => conn.close());

describe('the Database interface answers alike on both engines', () => {
  it('counts rows returned by a SELECT, and rows touched by a write', async () => {
    expect((await conn.db.query('SELECT n FROM t')).rowCount).toBe(3);
    expect((await conn.db.query('SELECT n FROM t WHERE n > 5')).rowCount).toBe(0);
    expect((await conn.db.query('UPDATE t SET n = n + 1 WHERE n >= 2')).rowCount).toBe(2);
    expect((await conn.db.query('DELETE FROM t WHERE n = 1')).rowCount).toBe(1);
  });

  it('returns bigint and numeric as numbers', async () => {
    expect((await conn.db.query('SELECT 2::int8 AS b, 3.5::numeric AS c')).rows[0]).toEqual({ b: 2, c: 3.5 });
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(conn.db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (99)');
      throw new Error('stop');
    })).rejects.toThrow('stop');
    expect((await conn.db.query('SELECT 1 FROM t WHERE n = 99')).rowCount).toBe(0);
  });
});
