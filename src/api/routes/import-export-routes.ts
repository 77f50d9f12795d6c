import { PassThrough, type Readable } from 'node:stream';
import { z } from 'zod';
import { principalOf } from '../../governance/authenticate.ts';
import { scopeUnitIds } from '../../governance/scope.ts';
import type { Database } from '../../db/database.ts';
import { contentTypeOf, EXPORT_FORMATS, formatFromFileName, IMPORT_FORMATS } from '../../importexport/data-formats.ts';
import { ID_SCHEMES } from '../../importexport/dhis2/dhis2-id-scheme.ts';
import { runExport } from '../../importexport/export-service.ts';
import { runImport } from '../../importexport/import-service.ts';
import { loadTemplateIndicators } from '../../importexport/template-indicators.ts';
import { buildTemplate } from '../../importexport/xlsx-template.ts';
import { actor, type TypedApp } from '../server.ts';
import { parsePeriod } from '../../domain/period.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

const bool = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');
const scheme = z.enum(ID_SCHEMES).optional();

export function importExportRoutes(app: TypedApp, db: Database): void {
  // Uploads, JSON included, reach the parsers as streams: a large file is never parsed whole in memory.
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', (_req, payload, done) => done(null, payload));
    importRoute(scope.withTypeProvider<ZodTypeProvider>(), db);
  });
  exportRoutes(app, db);
}

function importRoute(app: TypedApp, db: Database): void {
  app.post('/api/imports', { config: { access: { permission: 'enter' } },
    schema: {
      tags: ['import and export'],
      summary: 'Import a data file (the request body, streamed). Answers with the import summary; 422 when nothing was written',
      description:
        'Formats: csv (Jaiza long CSV), json, xlsx (data-entry template), dhis2-json and dhis2-csv (dataValueSets). ' +
        'All or nothing unless skipInvalid=true; dryRun=true reports without writing; re-importing the same file changes nothing.',
      querystring: z.object({
        format: z.enum(IMPORT_FORMATS).optional().describe('Defaults to the format implied by fileName'),
        fileName: z.string().max(255).optional(),
        dryRun: bool,
        skipInvalid: bool,
        strategy: z.enum(['create_and_update', 'delete']).default('create_and_update'),
        idScheme: scheme,
        dataElementIdScheme: scheme,
        orgUnitIdScheme: scheme,
        categoryOptionComboIdScheme: scheme,
      }),
      consumes: ['text/csv', 'application/json', 'application/octet-stream'],
    },
  }, async (req, reply) => {
    const q = req.query;
    const format = q.format ?? formatFromFileName(q.fileName ?? '');
    const input = req.body as Readable;
    const summary = await runImport(db, input, {
      format,
      fileName: q.fileName,
      dryRun: q.dryRun,
      skipInvalid: q.skipInvalid,
      strategy: q.strategy,
      user: actor(req),
      orgUnitScope: await scopeUnitIds(db, principalOf(req), 'enter'),
      idSchemes: {
        idScheme: q.idScheme,
        dataElementIdScheme: q.dataElementIdScheme,
        orgUnitIdScheme: q.orgUnitIdScheme,
        categoryOptionComboIdScheme: q.categoryOptionComboIdScheme,
      },
    });
    return reply.status(summary.status === 'error' ? 422 : 200).send(summary);
  });
}

function exportRoutes(app: TypedApp, db: Database): void {
  app.get('/api/imports', { config: { access: { permission: 'read' } },
    schema: { tags: ['import and export'], summary: 'Past imports and their summaries: your own, and everyone\'s for national readers' },
  }, async (req) => {
    const p = principalOf(req);
    // A job records no org unit, nor do the values it created record the job: others' jobs are for national readers.
    return (await db.query(
      `SELECT id, format, file_name AS "fileName", status, summary, created_by AS "createdBy", created_at AS "createdAt"
         FROM import_job
        WHERE created_by = $1 OR NOT EXISTS (SELECT 1 FROM org_unit o WHERE o.parent_id IS NULL AND NOT o.id = ANY($2::int[]))
        ORDER BY id DESC LIMIT 200`,
      [p.username, [...await scopeUnitIds(db, p, 'read')]],
    )).rows;
  });

  app.get('/api/exports', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['import and export'],
      summary: 'Export stored values (streamed) as Jaiza CSV/JSON or DHIS2 dataValueSets',
      querystring: z.object({
        format: z.enum(EXPORT_FORMATS).default('csv'),
        framework: z.string().optional(),
        orgUnit: z.string().optional(),
        period: z.string().optional().describe('Comma-separated period codes'),
        indicator: z.string().optional().describe('Comma-separated indicator codes'),
        idScheme: scheme,
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const out = new PassThrough();
    const ext = q.format.endsWith('json') ? 'json' : 'csv';
    reply.header('content-type', contentTypeOf(q.format)).header('content-disposition', `attachment; filename="jaiza-data.${ext}"`);
    const filter = {
      framework: q.framework,
      orgUnit: q.orgUnit,
      periods: q.period?.split(',').map((s) => s.trim()),
      indicators: q.indicator?.split(',').map((s) => s.trim()),
    };
    // Checked before streaming starts, so a bad period is a 400 and not a broken download.
    filter.periods?.forEach((p) => parsePeriod(p));
    runExport(db, q.format, filter, out, { idScheme: q.idScheme }).catch((e) => out.destroy(e as Error));
    return reply.send(out);
  });

  app.get('/api/templates', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['import and export'],
      summary: 'The XLSX data-entry template for an org unit and period: indicators as rows, disaggregations as columns',
      querystring: z.object({
        orgUnit: z.string(),
        period: z.string(),
        institution: z.string().optional(),
        framework: z.string().optional(),
        lang: z.enum(['en', 'ur']).default('en'),
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const spec = await loadTemplateIndicators(db, { orgUnit: q.orgUnit, period: q.period, institution: q.institution, framework: q.framework });
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="jaiza-template-${spec.orgUnit.code}-${spec.period.code}.xlsx"`);
    return buildTemplate(spec, { lang: q.lang });
  });
}

