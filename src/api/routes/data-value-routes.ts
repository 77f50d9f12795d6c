import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { listDataValues, dataValueHistory } from '../../datavalues/data-value-queries.ts';
import { ValueSaver } from '../../datavalues/value-saver.ts';
import { principalOf } from '../../governance/authenticate.ts';
import { effectiveStage } from '../../governance/permissions.ts';
import { actor, type TypedApp } from '../server.ts';

const cellKey = {
  indicator: z.string().min(1),
  orgUnit: z.string().min(1),
  period: z.string().min(1),
  disaggregation: z.string().default(''),
};
const measure = z.union([z.number(), z.string(), z.null()]).optional();

export function dataValueRoutes(app: TypedApp, db: Database): void {
  const saver = new ValueSaver(db);

  app.get('/api/data-values', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['data values'],
      summary: 'Stored values, filtered; synthetic demo values are flagged',
      querystring: z.object({
        indicator: z.string().optional(),
        orgUnit: z.string().optional().describe('This unit and everything under it'),
        period: z.string().optional().describe('This period and the periods inside it'),
        disaggregation: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(10_000).default(1000),
      }),
    },
  }, (req) => listDataValues(db, { ...req.query, stage: effectiveStage(principalOf(req), undefined) }));

  app.get('/api/data-values/history', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['data values'],
      summary: 'Every change to one value: old and new, who and when',
      querystring: z.object(cellKey),
    },
  }, (req) => dataValueHistory(db, req.query));

  app.put('/api/data-values', { config: { access: { permission: 'enter', orgUnits: ['body.orgUnit'] } },
    schema: {
      tags: ['data values'],
      summary: 'Save one value through the same checks as an import (percentages take numerator and denominator)',
      body: z.object({ ...cellKey, value: measure, numerator: measure, denominator: measure, comment: z.string().max(4000).nullable().optional() }),
    },
  }, async (req, reply) => {
    const b = req.body;
    const text = (v: string | number | null | undefined) => (v === undefined ? undefined : v === null ? '' : String(v));
    const summary = await saver.save({
      indicator: b.indicator,
      orgUnit: b.orgUnit,
      period: b.period,
      disaggregation: b.disaggregation,
      value: text(b.value),
      numerator: text(b.numerator),
      denominator: text(b.denominator),
      comment: b.comment === undefined ? undefined : b.comment,
    }, actor(req));
    return reply.status(summary.status === 'error' ? 422 : 200).send(summary);
  });

  app.delete('/api/data-values', { config: { access: { permission: 'enter', orgUnits: ['query.orgUnit'] } },
    schema: { tags: ['data values'], summary: 'Remove one value (its history is kept)', querystring: z.object(cellKey) },
  }, async (req, reply) => {
    const summary = await saver.save({ ...req.query, deleted: true }, actor(req));
    return reply.status(summary.status === 'error' ? 422 : 200).send(summary);
  });
}
