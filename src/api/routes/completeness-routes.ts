import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { completeness, completenessHeatmap, DEFAULT_DEADLINE_DAYS } from '../../analytics/completeness.ts';
import type { TypedApp } from '../server.ts';

const rangeQuery = {
  from: z.string().describe('First period of the range, e.g. 2025Q1'),
  to: z.string().describe('Last period of the range, e.g. 2025Q4'),
  orgUnit: z.string().optional().describe('Org unit code: only it and the units under it'),
  framework: z.string().optional().describe('Framework code: only its indicators'),
  deadlineDays: z.coerce.number().int().min(0).max(366).default(DEFAULT_DEADLINE_DAYS).describe('Days after the period end a report is on time'),
};

export function completenessRoutes(app: TypedApp, db: Database): void {
  app.get('/api/completeness', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['analytics'],
      summary: 'Expected, received and on-time reports per institution (the league table), org unit and period, for periods that have ended',
      querystring: z.object(rangeQuery),
    },
  }, (req) => completeness(db, req.query));

  app.get('/api/completeness/heatmap', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['analytics'],
      summary: 'Expected, received and on-time reports per province or district and quarter',
      querystring: z.object({ ...rangeQuery, level: z.enum(['province', 'district']).default('district') }),
    },
  }, (req) => completenessHeatmap(db, req.query));
}
