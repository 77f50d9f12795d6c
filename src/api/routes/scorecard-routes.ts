import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { indicatorScorecard, pillarProvinceScorecard } from '../../analytics/scorecard.ts';
import { principalOf } from '../../governance/authenticate.ts';
import { effectiveStage } from '../../governance/permissions.ts';
import type { TypedApp } from '../server.ts';
import { stageParam } from './stage-param.ts';

const assessedAt = z.string().min(1).max(20).describe('Period the assessment is made as of, e.g. 2026Q3');
const staleAfter = z.coerce.number().int().min(1).max(100).optional()
  .describe('A latest value this many periods (of the indicator\'s frequency) before assessedAt is stale; 2 by default');
const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

export function scorecardRoutes(app: TypedApp, db: Database): void {
  app.get('/api/scorecard', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['analytics'],
      summary: 'Pillar × province (or district) grid: how many indicators are on track, off track, without data or stale',
      description:
        'level=province (default) judges province- and district-level indicators at each province under orgUnit (PK by default); ' +
        'level=district with orgUnit=PK-PB drills down to Punjab\'s districts, district-level indicators only. Federal indicators are left out.',
      querystring: z.object({
        framework: z.string().min(1).max(100).describe('Framework code, e.g. NPVE-2024'),
        assessedAt,
        level: z.enum(['province', 'district']).default('province'),
        orgUnit: z.string().min(1).max(100).default('PK').describe('Parent org unit of the columns'),
        staleAfter,
        stage: stageParam,
      }).strict(),
    },
  }, (req) => pillarProvinceScorecard(db, { ...req.query, stage: effectiveStage(principalOf(req), req.query.stage) }));

  app.get('/api/scorecard/indicators', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['analytics'],
      summary: 'Progress status of each indicator at each org unit against its target, with the latest value, target and baseline',
      querystring: z.object({
        framework: z.string().max(100).optional().describe('Framework code: only its indicators'),
        pillar: z.string().max(100).optional().describe('Pillar code: only its indicators'),
        indicator: z.string().max(2000).optional().describe('Comma-separated indicator codes'),
        orgUnit: z.string().min(1).max(2000).default('PK').describe('Comma-separated org unit selectors: codes, children:CODE, level:province[:CODE]'),
        assessedAt,
        staleAfter,
        stage: stageParam,
      }).strict(),
    },
  }, (req) => indicatorScorecard(db, {
    stage: effectiveStage(principalOf(req), req.query.stage),
    framework: req.query.framework || undefined,
    pillar: req.query.pillar || undefined,
    indicators: list(req.query.indicator),
    orgUnits: list(req.query.orgUnit) ?? ['PK'],
    assessedAt: req.query.assessedAt,
    staleAfter: req.query.staleAfter,
  }));
}
