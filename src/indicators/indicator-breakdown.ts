/** One indicator's value at an org unit and period, split by each of its disaggregation categories. */
import type { Queryable } from '../db/database.ts';
import { queryAnalytics } from '../analytics/analytics-query.ts';
import type { Named } from '../domain/framework.ts';
import { parsePeriod } from '../domain/period.ts';
import type { ReadStage } from '../domain/workflow.ts';

export interface BreakdownValue extends Named {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface IndicatorBreakdown {
  indicator: string;
  orgUnit: string;
  period: string;
  total: { value: number | null; numerator: number | null; denominator: number | null };
  categories: (Named & { options: BreakdownValue[] })[];
}

export async function indicatorBreakdown(
  db: Queryable,
  req: { indicator: string; orgUnit: string; period: string; stage?: ReadStage },
): Promise<IndicatorBreakdown> {
  const period = parsePeriod(req.period);
  const rows = (await db.query<{ category: string; category_en: string; category_ur: string; code: string; name_en: string; name_ur: string }>(
    `SELECT c.code AS category, c.name_en AS category_en, c.name_ur AS category_ur, o.code, o.name_en, o.name_ur
       FROM indicator i JOIN indicator_disaggregation d ON d.indicator_id = i.id
       JOIN disaggregation_category c ON c.id = d.category_id JOIN disaggregation_option o ON o.category_id = c.id
      WHERE i.code = $1 ORDER BY d.sort, c.code, o.sort, o.code`, [req.indicator])).rows;
  const ask = (disaggregation: string) =>
    queryAnalytics(db, { indicators: [req.indicator], orgUnits: [req.orgUnit], periods: [period], disaggregation, stage: req.stage }).then((c) => c[0]!);
  // Asked first: an unknown indicator or org unit is refused before any category is queried.
  const total = await ask('');
  const categories: IndicatorBreakdown['categories'] = [];
  for (const r of rows) {
    let cat = categories.at(-1);
    if (cat?.code !== r.category) categories.push((cat = { code: r.category, nameEn: r.category_en, nameUr: r.category_ur, options: [] }));
    const cell = await ask(`${r.category}=${r.code}`);
    cat.options.push({ code: r.code, nameEn: r.name_en, nameUr: r.name_ur, value: cell.value, numerator: cell.numerator, denominator: cell.denominator });
  }
  return {
    indicator: req.indicator,
    orgUnit: req.orgUnit,
    period: period.code,
    total: { value: total.value, numerator: total.numerator, denominator: total.denominator },
    categories,
  };
}
