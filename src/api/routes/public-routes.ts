/**
 * The read-only public API: the same content as the portal and the open-data downloads. An indicator that is
 * unknown or not public is a 404 alike, so the answer never reveals that a hidden one exists; a query
 * parameter outside the allowed set is a 400.
 */
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { dataPackage, indicatorsCsv, openDataCsv, OPEN_DATA_LICENCE, type OpenDataRow } from '../../publish/open-data.ts';
import { hasSyntheticValues, type PublicationScope } from '../../publish/publication-scope.ts';
import { bulkDataset, indicatorDataset, openDataCategories, publicIndicators, publicScorecard, reportingStatus } from '../../publish/public-datasets.ts';
import { NotFoundError } from '../http-errors.ts';
import type { TypedApp } from '../server.ts';

const tags = ['public'];
const none = z.object({}).strict();
const code = z.object({ code: z.string().min(1).max(50) });
const dataFilter = z.object({
  period: z.string().min(1).max(20).optional().describe('Only this period, e.g. 2025Q4'),
  orgUnit: z.string().min(1).max(50).optional().describe('Only this org unit, e.g. PK-KP'),
}).strict();
const period = z.string().min(1).max(20);

const CSV = 'text/csv; charset=utf-8';

function filtered(rows: OpenDataRow[], f: z.infer<typeof dataFilter>): OpenDataRow[] {
  return rows.filter((r) => (f.period === undefined || r.period === f.period) && (f.orgUnit === undefined || r.org_unit === f.orgUnit));
}

export function publicRoutes(app: TypedApp, db: Database, scope: PublicationScope): void {
  const dataset = async (c: string) => {
    const d = await indicatorDataset(db, scope, c);
    if (!d) throw new NotFoundError(`indicator ${c}`);
    return d;
  };

  app.get('/api/public/about', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'What the published data is: the licence, the small-cell threshold, and whether it is synthetic demo data', querystring: none },
  }, async () => ({ licence: OPEN_DATA_LICENCE, smallCellThreshold: scope.disclosure!.threshold, synthetic: await hasSyntheticValues(db, scope) }));

  app.get('/api/public/indicators', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'The public indicators: definition, unit, source, methodology, periods with data, targets, last update', querystring: none },
  }, () => publicIndicators(db, scope));

  app.get('/api/public/indicators.csv', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'The public indicators as CSV (the indicators resource of the data package)', querystring: none },
  }, async (_req, reply) => reply.type(CSV).send(indicatorsCsv(await publicIndicators(db, scope))));

  app.get('/api/public/indicators/:code', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'One public indicator\'s metadata', params: code, querystring: none },
  }, async (req) => {
    const found = (await publicIndicators(db, scope)).find((i) => i.code === req.params.code);
    if (!found) throw new NotFoundError(`indicator ${req.params.code}`);
    return found;
  });

  app.get('/api/public/indicators/:code/data.json', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'One public indicator\'s values (accepted, suppressed where small), one row per value', params: code, querystring: dataFilter },
  }, async (req) => {
    const d = await dataset(req.params.code);
    return { ...d, licence: OPEN_DATA_LICENCE, observations: filtered(d.observations, req.query) };
  });

  app.get('/api/public/indicators/:code/data.csv', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'One public indicator\'s values as tidy CSV: a blank disaggregation cell is the total', params: code, querystring: dataFilter },
  }, async (req, reply) => {
    const d = await dataset(req.params.code);
    return reply.type(CSV).header('content-disposition', `attachment; filename="jaiza-${d.indicator.code}.csv"`)
      .send(openDataCsv(filtered(d.observations, req.query), d.categories));
  });

  app.get('/api/public/data.csv', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'Every public indicator\'s values as one tidy CSV (the observations resource of the data package)', querystring: none },
  }, async (_req, reply) => {
    const d = await bulkDataset(db, scope);
    return reply.type(CSV).header('content-disposition', 'attachment; filename="jaiza-open-data.csv"').send(d.csv());
  });

  app.get('/api/public/data.json', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'Every public indicator and value as JSON: the same rows as data.csv', querystring: none },
  }, async () => {
    const { categories, indicators, observations } = await bulkDataset(db, scope);
    return { licence: OPEN_DATA_LICENCE, categories, indicators, observations };
  });

  app.get('/api/public/datapackage.json', { config: { access: { permission: 'public' } },
    schema: { tags, summary: 'Frictionless data package describing data.csv and indicators.csv: fields, types, licence (CC BY 4.0)', querystring: none },
  }, async () => dataPackage(await openDataCategories(db, scope), scope.disclosure!.threshold, new Date().toISOString()));

  app.get('/api/public/scorecard', { config: { access: { permission: 'public' } },
    schema: {
      tags,
      summary: 'The national (or a province\'s) scorecard of the public indicators: pillar × province (or district) and each indicator\'s status',
      querystring: z.object({
        period: period.optional().describe('Quarter assessed, e.g. 2025Q4; the latest with data by default'),
        orgUnit: z.string().min(1).max(50).default('PK').describe('PK or a province code'),
      }).strict(),
    },
  }, async (req) => {
    const card = await publicScorecard(db, scope, req.query);
    if (!card) throw new NotFoundError(`org unit ${req.query.orgUnit}`);
    return card;
  });

  app.get('/api/public/reporting-status', { config: { access: { permission: 'public' } },
    schema: {
      tags,
      summary: 'Which institutions report, and on time, over four quarters',
      querystring: z.object({ to: period.optional().describe('Last quarter, e.g. 2025Q4; the latest with data by default') }).strict(),
    },
  }, async (req) => (await reportingStatus(db, scope, req.query)) ?? { from: null, to: null, institutions: [], totals: null });
}
