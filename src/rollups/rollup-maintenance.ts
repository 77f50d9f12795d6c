/**
 * Keeps the pre-aggregates (value_total, value_rollup) equal to what analytics would compute from data_value.
 * Every write recomputes exactly the cells it touched and their ancestors, in the writer's transaction, so an
 * aggregate is current the moment the write commits: no nightly job, no refresh to wait for.
 */
import type { Queryable } from '../db/database.ts';
import { useBulkMemory } from '../db/bulk-memory.ts';

/** The attributes a total depends on: the SQL that reads each indicator's current ones. */
export const CURRENT_ROLLUP_RULE = `
  SELECT i.id AS indicator_id, i.aggregation_org, i.frequency,
    (SELECT c.code FROM indicator_disaggregation x JOIN disaggregation_category c ON c.id = x.category_id
      WHERE x.indicator_id = i.id ORDER BY x.sort LIMIT 1) AS first_category
  FROM indicator i`;

/**
 * A unit's own total: the reported total, or the sum of the first category's options where no total was
 * reported (never for indicators that do not aggregate over org units). Only values of the indicator's own
 * frequency count, as in analytics.
 */
const TOTALS = (source: string, where: string) => `
  INSERT INTO value_total (indicator_id, period_id, org_unit_id, value, numerator, denominator, n_values)
  SELECT d.indicator_id, d.period_id, d.org_unit_id,
    CASE WHEN bool_or(d.disagg = '') THEN max(d.value) FILTER (WHERE d.disagg = '') ELSE sum(d.value) END,
    CASE WHEN bool_or(d.disagg = '') THEN max(d.numerator) FILTER (WHERE d.disagg = '') ELSE sum(d.numerator) END,
    CASE WHEN bool_or(d.disagg = '') THEN max(d.denominator) FILTER (WHERE d.disagg = '') ELSE sum(d.denominator) END,
    CASE WHEN bool_or(d.disagg = '') THEN 1 ELSE count(*) END
  FROM ${source}
  JOIN rollup_rule r ON r.indicator_id = d.indicator_id
  JOIN period p ON p.id = d.period_id AND p.type = r.frequency
  WHERE (${where}) AND (d.disagg = '' OR (r.first_category IS NOT NULL AND r.aggregation_org <> 'last'
    AND d.disagg LIKE r.first_category || '=%' AND d.disagg NOT LIKE '%;%'))
  GROUP BY d.indicator_id, d.period_id, d.org_unit_id`;

/** Subtree sums of the totals; an indicator that does not aggregate over org units keeps only the unit's own. */
const ROLLUPS = (source: string, where: string) => `
  INSERT INTO value_rollup (indicator_id, period_id, org_unit_id, value, numerator, denominator, n_values, n_units)
  SELECT t.indicator_id, t.period_id, c.ancestor_id, sum(t.value), sum(t.numerator), sum(t.denominator), sum(t.n_values), count(*)
  FROM ${source}
  JOIN rollup_rule r ON r.indicator_id = t.indicator_id
  WHERE (${where}) AND (r.aggregation_org <> 'last' OR c.depth = 0)
  GROUP BY t.indicator_id, t.period_id, c.ancestor_id`;

// Per connection, emptied at every commit, like the import's staging tables.
const KEY_DDL = `
CREATE TEMP TABLE IF NOT EXISTS rollup_key (indicator_id integer NOT NULL, period_id integer NOT NULL, org_unit_id integer NOT NULL)
  ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS rollup_ancestor (indicator_id integer NOT NULL, period_id integer NOT NULL, org_unit_id integer NOT NULL)
  ON COMMIT DELETE ROWS;`;

/** Advisory-lock namespace of the pre-aggregates: one lock per indicator. */
const ROLLUP_LOCK = 4_242;

/**
 * Writers of one indicator share its ancestors' rows (a province, the country). On a server with many
 * connections, the second writer waits here until the first commits, then recomputes from what it committed:
 * neither collides on those rows nor loses the other's values. Sorted, so two writers never wait on each other.
 */
export async function lockIndicators(tx: Queryable, idsSql: string, params: unknown[] = []): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK}, k.id) FROM (${idsSql} ORDER BY 1) k`, params);
}

/** Cells changed by one write from which its refresh first brings the big tables' statistics up to date. */
const BIG_REFRESH = 10_000;

/**
 * Recomputes the pre-aggregates of the cells (indicator, period, org unit) that `keysSql` selects, and of all
 * their ancestors. Call inside the transaction that changed data_value, after the change.
 */
export async function refreshRollups(tx: Queryable, keysSql: string): Promise<void> {
  await tx.exec(KEY_DDL);
  const keys = (await tx.query(`INSERT INTO rollup_key ${keysSql}`)).rowCount;
  // Fresh statistics let the planner probe the indexes for a single saved value and hash-join for a big import.
  // A big import has just grown data_value (and will grow value_total) inside this transaction, where no
  // autovacuum can see it: without fresh statistics the planner takes them for small and nests loops over them.
  const big = keys >= BIG_REFRESH;
  if (big) await useBulkMemory(tx);
  await tx.exec(big ? 'ANALYZE rollup_key, data_value' : 'ANALYZE rollup_key');
  await lockIndicators(tx, 'SELECT DISTINCT indicator_id AS id FROM rollup_key');
  await tx.exec(`
    DELETE FROM value_total t USING rollup_key k
     WHERE t.indicator_id = k.indicator_id AND t.period_id = k.period_id AND t.org_unit_id = k.org_unit_id;
    ${TOTALS(
      'rollup_key k JOIN data_value d ON d.indicator_id = k.indicator_id AND d.period_id = k.period_id AND d.org_unit_id = k.org_unit_id',
      'true',
    )};
    INSERT INTO rollup_ancestor
    SELECT DISTINCT k.indicator_id, k.period_id, c.ancestor_id FROM rollup_key k JOIN org_unit_closure c ON c.descendant_id = k.org_unit_id;
    ANALYZE rollup_ancestor${big ? ', value_total' : ''};
    DELETE FROM value_rollup v USING rollup_ancestor a
     WHERE v.indicator_id = a.indicator_id AND v.period_id = a.period_id AND v.org_unit_id = a.org_unit_id;
    ${ROLLUPS(
      `rollup_ancestor a JOIN org_unit_closure c ON c.ancestor_id = a.org_unit_id
       JOIN value_total t ON t.indicator_id = a.indicator_id AND t.period_id = a.period_id AND t.org_unit_id = c.descendant_id`,
      'true',
    )};
    TRUNCATE rollup_key, rollup_ancestor;`);
}

/** Rebuilds the pre-aggregates of whole indicators from data_value, with their current attributes. */
async function rebuildIndicators(tx: Queryable, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await lockIndicators(tx, 'SELECT DISTINCT unnest($1::int[]) AS id', [ids]);
  await tx.query('DELETE FROM value_rollup WHERE indicator_id = ANY($1::int[])', [ids]);
  await tx.query('DELETE FROM value_total WHERE indicator_id = ANY($1::int[])', [ids]);
  await tx.query('DELETE FROM rollup_rule WHERE indicator_id = ANY($1::int[])', [ids]);
  await tx.query(
    `INSERT INTO rollup_rule (indicator_id, aggregation_org, frequency, first_category)
     SELECT * FROM (${CURRENT_ROLLUP_RULE}) cur WHERE cur.indicator_id = ANY($1::int[])`, [ids]);
  await tx.query(TOTALS('data_value d', 'd.indicator_id = ANY($1::int[])'), [ids]);
  await tx.query(ROLLUPS('value_total t JOIN org_unit_closure c ON c.descendant_id = t.org_unit_id', 't.indicator_id = ANY($1::int[])'), [ids]);
}

/**
 * Brings every indicator's pre-aggregates in line with its current attributes: indicators that are new, or
 * whose aggregation, frequency or first disaggregation changed, are rebuilt. Cheap when nothing changed.
 */
export async function syncRollupRules(tx: Queryable): Promise<number> {
  const changed = await tx.query<{ indicator_id: number }>(
    `SELECT cur.indicator_id FROM (${CURRENT_ROLLUP_RULE}) cur LEFT JOIN rollup_rule r ON r.indicator_id = cur.indicator_id
      WHERE r.indicator_id IS NULL OR r.aggregation_org <> cur.aggregation_org OR r.frequency <> cur.frequency
         OR r.first_category IS DISTINCT FROM cur.first_category`);
  await rebuildIndicators(tx, changed.rows.map((r) => r.indicator_id));
  return changed.rows.length;
}

/** After the org-unit tree changed, every subtree sum may have moved. */
export async function rebuildAllRollups(tx: Queryable): Promise<void> {
  const all = await tx.query<{ id: number }>('SELECT id FROM indicator');
  await rebuildIndicators(tx, all.rows.map((r) => r.id));
}
