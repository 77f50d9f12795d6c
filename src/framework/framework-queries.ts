/** Read models of the framework for screens and the API: lists, search in both languages, one indicator in full. */
import type { Queryable } from '../db/database.ts';

export interface FrameworkSummary {
  code: string;
  nameEn: string;
  nameUr: string;
  description: string;
  version: string;
  pillars: number;
  indicators: number;
}

export async function listFrameworks(db: Queryable): Promise<FrameworkSummary[]> {
  return (await db.query<FrameworkSummary>(
    `SELECT f.code, f.name_en AS "nameEn", f.name_ur AS "nameUr", f.description, f.version,
       (SELECT count(*)::int FROM pillar p WHERE p.framework_id = f.id) AS pillars,
       (SELECT count(*)::int FROM indicator i JOIN objective o ON o.id = i.objective_id JOIN pillar p ON p.id = o.pillar_id
         WHERE p.framework_id = f.id) AS indicators
     FROM framework f ORDER BY f.id`,
  )).rows;
}

export interface IndicatorListItem {
  code: string;
  nameEn: string;
  nameUr: string;
  framework: string;
  pillar: string;
  objective: string;
  unitType: string;
  frequency: string;
  lowestLevel: string;
}

export async function searchIndicators(db: Queryable, opts: { framework?: string; pillar?: string; q?: string }): Promise<IndicatorListItem[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.framework) where.push(`f.code = $${params.push(opts.framework)}`);
  if (opts.pillar) where.push(`p.code = $${params.push(opts.pillar)}`);
  if (opts.q) {
    const n = params.push(`%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(i.code ILIKE $${n} OR i.name_en ILIKE $${n} OR i.name_ur LIKE $${n} OR i.definition_en ILIKE $${n})`);
  }
  return (await db.query<IndicatorListItem>(
    `SELECT i.code, i.name_en AS "nameEn", i.name_ur AS "nameUr", f.code AS framework, p.code AS pillar, o.code AS objective,
            i.unit_type AS "unitType", i.frequency, i.lowest_level AS "lowestLevel"
       FROM indicator i JOIN objective o ON o.id = i.objective_id JOIN pillar p ON p.id = o.pillar_id JOIN framework f ON f.id = p.framework_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY f.id, p.sort, o.sort, i.sort`,
    params,
  )).rows;
}
