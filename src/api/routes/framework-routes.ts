import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { loadFrameworks } from '../../framework/framework-store.ts';
import { listFrameworks, searchIndicators } from '../../framework/framework-queries.ts';
import { exportFrameworkCsv, exportFrameworkWorkbook, importFrameworkWorkbook } from '../../framework/framework-service.ts';
import { readAll } from '../../importexport/import-service.ts';
import { NotFoundError } from '../http-errors.ts';
import type { TypedApp } from '../server.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const bool = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

export function frameworkRoutes(app: TypedApp, db: Database): void {
  app.get('/api/frameworks', { config: { access: { permission: 'read' } }, schema: { tags: ['frameworks'], summary: 'Frameworks with their pillar and indicator counts' } }, () => listFrameworks(db));

  app.get('/api/frameworks/:code', { config: { access: { permission: 'read' } },
    schema: { tags: ['frameworks'], summary: 'One framework as data: pillars → objectives → indicators, and its targets', params: z.object({ code: z.string() }) },
  }, async (req) => {
    const [fw] = await loadFrameworks(db, [req.params.code]);
    if (!fw) throw new NotFoundError(`framework "${req.params.code}"`);
    return fw;
  });

  app.get('/api/framework-export', { config: { access: { permission: 'read' } },
    schema: {
      tags: ['frameworks'],
      summary: 'The frameworks as a spreadsheet to edit (XLSX), or one of its sheets as CSV',
      querystring: z.object({
        format: z.enum(['xlsx', 'csv']).default('xlsx'),
        framework: z.string().optional().describe('Only this framework (default: all)'),
        sheet: z.enum(['frameworks', 'pillars', 'objectives', 'indicators', 'targets', 'disaggregations']).optional()
          .describe('With format=csv: which file of the framework folder'),
      }),
    },
  }, async (req, reply) => {
    const codes = req.query.framework ? [req.query.framework] : undefined;
    if (req.query.format === 'xlsx') {
      reply.header('content-type', XLSX).header('content-disposition', 'attachment; filename="jaiza-framework.xlsx"');
      return exportFrameworkWorkbook(db, codes);
    }
    const files = await exportFrameworkCsv(db, codes);
    const name = `${req.query.sheet ?? 'indicators'}.csv`;
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`);
    return files.get(name) ?? '';
  });

  app.post('/api/framework-import', { config: { access: { permission: 'manage_framework' } },
    schema: {
      tags: ['frameworks'],
      summary: 'Read an edited framework workbook (XLSX) back; dryRun=true checks it and writes nothing',
      querystring: z.object({ dryRun: bool }),
      consumes: [XLSX, 'application/octet-stream'],
    },
  }, async (req) => importFrameworkWorkbook(db, await readAll(req.body as Readable, 50 * 1024 * 1024), { dryRun: req.query.dryRun }));

  app.get('/api/indicators', { config: { access: { permission: 'read' } },
    schema: {
      tags: ['frameworks'],
      summary: 'Indicators, searchable by code or name in English and Urdu',
      querystring: z.object({ framework: z.string().optional(), pillar: z.string().optional(), q: z.string().max(200).optional() }),
    },
  }, (req) => searchIndicators(db, req.query));

  app.get('/api/indicators/:code', { config: { access: { permission: 'read' } },
    schema: { tags: ['frameworks'], summary: 'One indicator in full: definition, owners, disaggregations, baseline and targets', params: z.object({ code: z.string() }) },
  }, async (req) => {
    for (const fw of await loadFrameworks(db)) {
      for (const p of fw.pillars) {
        for (const o of p.objectives) {
          const ind = o.indicators.find((i) => i.code === req.params.code);
          if (ind) {
            return {
              ...ind,
              framework: { code: fw.code, nameEn: fw.nameEn, nameUr: fw.nameUr },
              pillar: { code: p.code, nameEn: p.nameEn, nameUr: p.nameUr },
              objective: { code: o.code, nameEn: o.nameEn, nameUr: o.nameUr },
              targets: fw.targets.filter((t) => t.indicator === ind.code),
            };
          }
        }
      }
    }
    throw new NotFoundError(`indicator "${req.params.code}"`);
  });
}
