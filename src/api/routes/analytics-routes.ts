import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { queryAnalytics } from '../../analytics/analytics-query.ts';
import { resolvePeriodExpression } from '../../domain/relative-period.ts';
import { principalOf } from '../../governance/authenticate.ts';
import { effectiveStage } from '../../governance/permissions.ts';
import type { TypedApp } from '../server.ts';
import { stageParam } from './stage-param.ts';

const list = (what: string) => z.string().min(1).max(2000).describe(`Comma-separated ${what}`);

export function analyticsRoutes(app: TypedApp, db: Database): void {
  app.get('/api/analytics', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['analytics'],
      summary: 'Aggregated values: indicators × org units × periods (× one disaggregation), by each indicator\'s rules',
      description:
        'Org units: codes, children:CODE, level:district or level:district:PK-PB. Periods: codes (2025Q3, 202509, 2025S2, 2025, 2025July) ' +
        'or relative periods (LAST_4_QUARTERS, THIS_FISCAL_YEAR, …), separated by ";". ' +
        'Sums add up the hierarchy, percentages are Σnumerator/Σdenominator, stocks take the latest period, milestones stay at the reporting unit.',
      querystring: z.object({
        indicator: list('indicator codes'),
        orgUnit: list('org unit selectors'),
        period: z.string().min(1).max(500),
        disaggregation: z.string().max(200).default(''),
        stage: stageParam,
      }).strict(),
    },
  }, (req) => queryAnalytics(db, {
    indicators: req.query.indicator.split(',').map((s) => s.trim()),
    orgUnits: req.query.orgUnit.split(',').map((s) => s.trim()),
    periods: resolvePeriodExpression(req.query.period, new Date().toISOString().slice(0, 10)),
    disaggregation: req.query.disaggregation,
    stage: effectiveStage(principalOf(req), req.query.stage),
  }));
}
