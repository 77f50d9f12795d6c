import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { InputError } from '../../domain/row-error.ts';
import { importDhis2Metadata } from '../../importexport/dhis2/dhis2-metadata.ts';
import { writeDhis2Metadata } from '../../importexport/dhis2/dhis2-export.ts';
import { readAll } from '../../importexport/import-service.ts';
import type { TypedApp } from '../server.ts';

export function dhis2Routes(app: TypedApp, db: Database): void {
  app.get('/api/dhis2/metadata', { config: { access: { permission: 'read' } },
    schema: { tags: ['dhis2'], summary: 'Jaiza indicators, org units and disaggregations as DHIS2 metadata (stable uids)' },
  }, () => writeDhis2Metadata(db));

  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', (_req, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post('/api/dhis2/metadata', { config: { access: { permission: 'manage_framework' } },
      schema: {
        tags: ['dhis2'],
        summary: 'Read a DHIS2 metadata export and map its data elements, org units and category option combos onto Jaiza',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }),
      },
    }, async (req) => {
      const text = (await readAll(req.body as Readable, 200 * 1024 * 1024)).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new InputError([{ row: 0, field: 'file', code: 'not_json', message: `the metadata file is not valid JSON: ${(e as Error).message}` }]);
      }
      return importDhis2Metadata(db, json, { dryRun: req.query.dryRun });
    });
  });
}
