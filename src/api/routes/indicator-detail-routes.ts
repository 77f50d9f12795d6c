import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { principalOf } from '../../governance/authenticate.ts';
import { effectiveStage } from '../../governance/permissions.ts';
import { indicatorBreakdown } from '../../indicators/indicator-breakdown.ts';
import { indicatorChanges } from '../../indicators/indicator-changes.ts';
import { indicatorFlags } from '../../indicators/indicator-flags.ts';
import { indicatorTargetPath } from '../../indicators/indicator-target-path.ts';
import type { TypedApp } from '../server.ts';

const code = z.object({ code: z.string().min(1).max(100) });
const orgUnit = z.string().min(1).max(100).default('PK').describe('Org unit code');
const period = z.string().min(1).max(20).describe('Period code, e.g. 2026Q3');

export function indicatorDetailRoutes(app: TypedApp, db: Database): void {
  app.get('/api/indicators/:code/breakdown', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['frameworks'],
      summary: 'The indicator at an org unit and period, split by each of its disaggregation categories (aggregated by its own rules)',
      params: code,
      querystring: z.object({ orgUnit, period }).strict(),
    },
  }, (req) => indicatorBreakdown(db, {
    indicator: req.params.code, orgUnit: req.query.orgUnit, period: req.query.period, stage: effectiveStage(principalOf(req), undefined),
  }));

  app.get('/api/indicators/:code/changes', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['data values'],
      summary: 'Who stored, changed or removed the indicator\'s values at an org unit and the units under it, newest first',
      params: code,
      querystring: z.object({ orgUnit, limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
    },
  }, (req) => indicatorChanges(db, { indicator: req.params.code, orgUnit: req.query.orgUnit, limit: req.query.limit }));

  app.get('/api/indicators/:code/flags', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['validation'],
      summary: 'Validation-rule violations and outliers that concern the indicator at an org unit (and the units under it) in a period',
      params: code,
      querystring: z.object({ orgUnit, period }).strict(),
    },
  }, (req) => indicatorFlags(db, { indicator: req.params.code, orgUnit: req.query.orgUnit, period: req.query.period }));

  app.get('/api/indicators/:code/target-path', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['analytics'],
      summary: 'The indicator\'s baseline and targets at an org unit, each dated on its own frequency (end-of-phase targets at the phase\'s last period)',
      params: code,
      querystring: z.object({ orgUnit }).strict(),
    },
  }, (req) => indicatorTargetPath(db, { indicator: req.params.code, orgUnit: req.query.orgUnit }));
}
