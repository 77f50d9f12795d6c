import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { COMPARISON_OPERATORS, parseExpression, expressionReferences } from '../../domain/expression.ts';
import { compileRule } from '../../domain/validation-rule.ts';
import { InputError } from '../../domain/row-error.ts';
import { findOutliers, runValidation } from '../../validation/validation-service.ts';
import type { TypedApp } from '../server.ts';

export function validationRoutes(app: TypedApp, db: Database): void {
  app.get('/api/validation', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['validation'],
      summary: 'Run the validation rules for a period (and an org unit with everything under it)',
      querystring: z.object({ period: z.string(), orgUnit: z.string().optional(), rules: z.string().optional().describe('Comma-separated rule codes') }),
    },
  }, (req) => runValidation(db, { period: req.query.period, orgUnit: req.query.orgUnit, rules: req.query.rules?.split(',') }));

  app.get('/api/validation/outliers', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['validation'],
      summary: "Values far from their own history (modified z-score against the same cell's earlier periods)",
      querystring: z.object({
        period: z.string(),
        orgUnit: z.string().optional(),
        threshold: z.coerce.number().positive().max(100).default(3.5),
        indicator: z.string().optional().describe('Comma-separated indicator codes'),
      }),
    },
  }, (req) => findOutliers(db, { period: req.query.period, orgUnit: req.query.orgUnit, threshold: req.query.threshold, indicators: req.query.indicator?.split(',') }));

  app.get('/api/validation-rules', { config: { access: { permission: 'read' } }, schema: { tags: ['validation'], summary: 'Validation rules' } }, async () =>
    (await db.query(
      `SELECT r.code, f.code AS framework, r.name_en AS "nameEn", r.name_ur AS "nameUr", r.left_expr AS "left", r.operator,
              r.right_expr AS "right", r.severity
         FROM validation_rule r LEFT JOIN framework f ON f.id = r.framework_id ORDER BY r.code`,
    )).rows);

  app.put('/api/validation-rules/:code', { config: { access: { permission: 'manage_framework' } },
    schema: {
      tags: ['validation'],
      summary: 'Create or replace a rule; the expressions are parsed and their indicators checked before it is saved',
      params: z.object({ code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/) }),
      body: z.object({
        framework: z.string().optional(),
        nameEn: z.string().min(1).max(300),
        nameUr: z.string().max(300).default(''),
        left: z.string().min(1).max(2000),
        operator: z.enum(COMPARISON_OPERATORS),
        right: z.string().min(1).max(2000),
        severity: z.enum(['error', 'warning']).default('error'),
      }),
    },
  }, async (req) => {
    const b = req.body;
    const compiled = compileRule({ code: req.params.code, ...b });
    const codes = [...new Set([...expressionReferences(parseExpression(b.left)), ...expressionReferences(parseExpression(b.right))].map((r) => r.indicator))];
    const known = new Set((await db.query<{ code: string }>('SELECT code FROM indicator WHERE code = ANY($1::text[])', [codes])).rows.map((r) => r.code));
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length) {
      throw new InputError(unknown.map((c) => ({ row: 0, field: 'expression', code: 'unknown_indicator', message: `the rule refers to unknown indicator "${c}"` })));
    }
    await db.query(
      `INSERT INTO validation_rule (code, framework_id, name_en, name_ur, left_expr, operator, right_expr, severity)
       VALUES ($1, (SELECT id FROM framework WHERE code = $2), $3, $4, $5, $6, $7, $8)
       ON CONFLICT (code) DO UPDATE SET framework_id = EXCLUDED.framework_id, name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur,
         left_expr = EXCLUDED.left_expr, operator = EXCLUDED.operator, right_expr = EXCLUDED.right_expr, severity = EXCLUDED.severity`,
      [req.params.code, b.framework ?? null, b.nameEn, b.nameUr, b.left, b.operator, b.right, b.severity],
    );
    return { code: compiled.rule.code, references: compiled.references.length };
  });
}
