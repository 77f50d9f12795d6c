/** Validation and outlier flags that concern one indicator at an org unit (and the units under it) in a period. */
import type { Queryable } from '../db/database.ts';
import { expressionReferences, parseExpression } from '../domain/expression.ts';
import { parsePeriod } from '../domain/period.ts';
import { findOutliers, runValidation, type Outlier, type Violation } from '../validation/validation-service.ts';

export interface IndicatorFlags {
  indicator: string;
  period: string;
  /** Rules that read the indicator, with their names in both languages. */
  rules: { code: string; nameEn: string; nameUr: string; severity: 'error' | 'warning' }[];
  violations: Violation[];
  outliers: Outlier[];
}

export async function indicatorFlags(
  db: Queryable,
  req: { indicator: string; orgUnit: string; period: string },
): Promise<IndicatorFlags> {
  const all = (await db.query<{ code: string; nameEn: string; nameUr: string; severity: 'error' | 'warning'; left: string; right: string }>(
    `SELECT code, name_en AS "nameEn", name_ur AS "nameUr", severity, left_expr AS "left", right_expr AS "right" FROM validation_rule ORDER BY code`,
  )).rows;
  const reads = (text: string) => expressionReferences(parseExpression(text)).some((r) => r.indicator === req.indicator);
  const rules = all.filter((r) => reads(r.left) || reads(r.right)).map(({ code, nameEn, nameUr, severity }) => ({ code, nameEn, nameUr, severity }));
  const outliers = await findOutliers(db, { period: req.period, orgUnit: req.orgUnit, indicators: [req.indicator] });
  const violations = rules.length
    ? (await runValidation(db, { period: req.period, orgUnit: req.orgUnit, rules: rules.map((r) => r.code) })).violations
    : [];
  return { indicator: req.indicator, period: parsePeriod(req.period).code, rules, violations, outliers };
}
