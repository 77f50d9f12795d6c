import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { loadEntryForm } from '../../dataentry/entry-form.ts';
import { checkEntryValues, saveEntryValues } from '../../dataentry/entry-values.ts';
import { actor, type TypedApp } from '../server.ts';

const text = z.union([z.string().max(100), z.number(), z.null()]).optional()
  .transform((v) => (typeof v === 'number' ? String(v) : v));

const entryBody = z.object({
  orgUnit: z.string().min(1).max(100),
  period: z.string().min(1).max(20),
  values: z.array(z.object({
    indicator: z.string().min(1).max(100),
    disaggregation: z.string().max(200).default(''),
    value: text,
    numerator: text,
    denominator: text,
    comment: z.string().max(4000).nullable().optional(),
  })).max(5000),
}).strict();

export function dataEntryRoutes(app: TypedApp, db: Database): void {
  app.get('/api/data-entry/form', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['data entry'],
      summary: 'The data-entry form for an org unit and period: every indicator the unit reports, by pillar and objective, with each cell\'s range and the stored values',
      querystring: z.object({
        orgUnit: z.string().min(1).max(100),
        period: z.string().min(1).max(20),
        institution: z.string().max(100).optional().describe('Only the indicators this institution is responsible for'),
        framework: z.string().max(100).optional(),
      }).strict(),
    },
  }, (req) => loadEntryForm(db, req.query));

  app.post('/api/data-entry/check', { config: { access: { permission: 'enter', orgUnits: ['body.orgUnit'] } },
    schema: {
      tags: ['data entry'],
      summary: 'Check typed values without saving: type and range errors, validation-rule results against the stored values, and outliers against each cell\'s history',
      description: 'Values are the text as typed. A cell whose measures are all empty removes the stored value. Nothing is written.',
      body: entryBody,
    },
  }, (req) => checkEntryValues(db, req.body, actor(req)));

  app.post('/api/data-entry/values', { config: { access: { permission: 'enter', orgUnits: ['body.orgUnit'] } },
    schema: {
      tags: ['data entry'],
      summary: 'Save typed values: the valid cells are stored in one transaction, each refused cell comes back with its reason',
      body: entryBody,
    },
  }, (req) => saveEntryValues(db, req.body, actor(req)));
}
