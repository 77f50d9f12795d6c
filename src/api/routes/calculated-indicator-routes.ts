import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import {
  CALCULATED_AGGREGATIONS,
  CALCULATED_UNIT_TYPES,
  evaluateCalculated,
  getCalculatedIndicator,
  listCalculatedIndicators,
  saveCalculatedIndicator,
} from '../../analytics/calculated-indicator.ts';
import { PERIOD_TYPES, type PeriodType } from '../../domain/period.ts';
import { resolvePeriodExpression } from '../../domain/relative-period.ts';
import { NotFoundError } from '../http-errors.ts';
import type { TypedApp } from '../server.ts';

const code = z.object({ code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/).max(100) });

export function calculatedIndicatorRoutes(app: TypedApp, db: Database): void {
  app.get('/api/calculated-indicators', { config: { access: { permission: 'read' } },
    schema: { tags: ['analytics'], summary: 'Calculated indicators: formulas over other indicators' },
  }, () => listCalculatedIndicators(db));

  app.put('/api/calculated-indicators/:code', { config: { access: { permission: 'manage_framework' } },
    schema: {
      tags: ['analytics'],
      summary: 'Create or replace a calculated indicator; the formula is parsed and checked (known indicators, no cycles) before it is saved',
      description:
        'Formula: e.g. #{T-MONTH} / #{T-COUNT}, #{T-COUNT} - #{T-COUNT@-1} (previous period), #{T-PCT.numerator}, #{T-COUNT[sex=F]}; ' +
        '+ - * /, comparisons, min, max, abs, if, coalesce. aggregation=ytd evaluates on values from 1 January up to the period.',
      params: code,
      body: z.object({
        nameEn: z.string().min(1).max(300),
        nameUr: z.string().max(300).default(''),
        description: z.string().max(4000).default(''),
        formula: z.string().min(1).max(2000),
        unitType: z.enum(CALCULATED_UNIT_TYPES),
        polarity: z.enum(['higher', 'lower']).default('higher'),
        frequency: z.enum(PERIOD_TYPES as [PeriodType, ...PeriodType[]]),
        aggregation: z.enum(CALCULATED_AGGREGATIONS).default('period'),
      }).strict(),
    },
  }, async (req) => {
    await saveCalculatedIndicator(db, { code: req.params.code, ...req.body });
    return getCalculatedIndicator(db, req.params.code);
  });

  app.get('/api/calculated-indicators/:code/values', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['analytics'],
      summary: 'Values of a calculated indicator per org unit and period; null with `missing` or `error` where it has none',
      description: 'Org units: codes, children:CODE or level:district[:CODE], comma-separated. Periods: codes or relative periods, separated by ";".',
      params: code,
      querystring: z.object({
        orgUnit: z.string().min(1).max(2000),
        period: z.string().min(1).max(500),
      }).strict(),
    },
  }, async (req) => {
    if (!(await getCalculatedIndicator(db, req.params.code))) throw new NotFoundError(`calculated indicator "${req.params.code}"`);
    return evaluateCalculated(db, {
      code: req.params.code,
      orgUnits: req.query.orgUnit.split(',').map((s) => s.trim()),
      periods: resolvePeriodExpression(req.query.period, new Date().toISOString().slice(0, 10)),
    });
  });
}
