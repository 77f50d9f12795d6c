import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { COVERAGE_BY, evidenceCoverage } from '../../evidence/evidence-coverage.ts';
import { detectEvidenceType, evidenceMaxBytes, EvidenceTooLargeError, safeFileName } from '../../evidence/evidence-file-type.ts';
import { EvidenceService, type EvidenceTarget } from '../../evidence/evidence-service.ts';
import type { EvidenceStore } from '../../evidence/evidence-store.ts';
import { principalOf } from '../../governance/authenticate.ts';
import { effectiveStage, grantRoots } from '../../governance/permissions.ts';
import type { TypedApp } from '../server.ts';
import { stageParam } from './stage-param.ts';

class BadRequestError extends Error {
  readonly statusCode = 400;
  readonly code = 'bad_request';
}

const valueKey = {
  indicator: z.string().min(1).max(100),
  orgUnit: z.string().min(1).max(100),
  period: z.string().min(1).max(20),
  disaggregation: z.string().max(500).default(''),
};
const description = z.string().max(2000).default('');
const httpUrl = z.url({ protocol: /^https?$/, error: 'the link must be an http or https URL' }).max(4000);
const idParams = z.object({ id: z.coerce.number().int().positive() });

// Strict, so a request naming both a value and a submission is refused rather than read as one of them.
const linkBody = z.union([
  z.strictObject({ submissionId: z.number().int().positive(), url: httpUrl, description }),
  z.strictObject({ ...valueKey, url: httpUrl, description }),
]);
// Multipart fields arrive as text.
const fileFields = z.union([
  z.strictObject({ submissionId: z.coerce.number().int().positive(), description }),
  z.strictObject({ ...valueKey, description }),
]);

function toTarget(t: { submissionId: number } | { indicator: string; orgUnit: string; period: string; disaggregation: string }): EvidenceTarget {
  return 'submissionId' in t ? { submissionId: t.submissionId } : { indicator: t.indicator, orgUnit: t.orgUnit, period: t.period, disaggregation: t.disaggregation };
}

/** The principal's highest grant unit for reading (ties by code): what a coverage request covers when it names none. */
async function topReadUnit(db: Database, req: FastifyRequest): Promise<void> {
  const query = req.query as Record<string, unknown>;
  if (query.orgUnit || !req.principal) return;
  const r = (await db.query<{ code: string }>(
    `SELECT o.code FROM org_unit o WHERE o.id = ANY($1::int[])
      ORDER BY (SELECT count(*) FROM org_unit_closure c WHERE c.descendant_id = o.id), o.code LIMIT 1`,
    [grantRoots(req.principal, 'read')])).rows[0];
  if (r) query.orgUnit = r.code;
}

/**
 * Evidence is found by id or by submission as often as by a unit the request names, so the service checks the
 * unit of the evidence or submission itself; only the coverage figure names its unit in every request.
 */
export function evidenceRoutes(app: TypedApp, db: Database, store: EvidenceStore, maxBytes = evidenceMaxBytes()): void {
  const service = new EvidenceService(db, store, maxBytes);

  // Multipart parsing only where files are uploaded, with busboy cutting a file off at the service's own limit.
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 8, fieldSize: 8192, parts: 10 } });
    scope.withTypeProvider<ZodTypeProvider>().post('/api/evidence', { config: { access: { permission: 'enter' } },
      schema: {
        tags: ['evidence'],
        summary: 'Attach a file (PDF, image, spreadsheet or CSV, checked by content) to a value or a submission',
        description: 'multipart/form-data: a `file` part, `description`, and either `indicator`, `orgUnit`, `period`, `disaggregation` or `submissionId`.',
        consumes: ['multipart/form-data'],
      },
    }, async (req, reply) => {
      const fields: Record<string, string> = {};
      let file: { name: string; bytes: Buffer } | null = null;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'field') fields[part.fieldname] = String(part.value);
          else if (part.fieldname !== 'file') throw new BadRequestError(`unexpected file part "${part.fieldname}": send the evidence as "file"`);
          else file = { name: part.filename, bytes: await part.toBuffer() };
        }
      } catch (e) {
        // The parser's own error says only "request file too large".
        if (e instanceof scope.multipartErrors.RequestFileTooLargeError) throw new EvidenceTooLargeError(maxBytes);
        throw e;
      }
      if (!file) throw new BadRequestError('attach the evidence as a multipart part named "file"');
      const parsed = fileFields.safeParse(fields);
      if (!parsed.success) {
        throw new BadRequestError(parsed.error.issues.map((i) => `${i.path.join('.') || 'fields'}: ${i.message}`).join('; '));
      }
      const { description: text, ...target } = parsed.data;
      const item = await service.attachFile(principalOf(req), { target: toTarget(target), fileName: file.name, bytes: file.bytes, description: text });
      return reply.status(201).send(item);
    });
  });

  app.post('/api/evidence/link', { config: { access: { permission: 'enter' } },
    schema: { tags: ['evidence'], summary: 'Attach an http(s) link to a value or a submission', body: linkBody },
  }, async (req, reply) => {
    const { url, description: text, ...target } = req.body;
    return reply.status(201).send(await service.attachLink(principalOf(req), toTarget(target), url, text));
  });

  app.get('/api/evidence', { config: { access: { permission: 'read' } },
    schema: {
      tags: ['evidence'],
      summary: 'The evidence of one value (indicator, orgUnit, period, disaggregation) or of one submission',
      querystring: z.object({
        submissionId: z.coerce.number().int().positive().optional(),
        indicator: valueKey.indicator.optional(),
        orgUnit: valueKey.orgUnit.optional(),
        period: valueKey.period.optional(),
        disaggregation: valueKey.disaggregation,
      }).transform((q, ctx): EvidenceTarget => {
        const { submissionId, indicator, orgUnit, period, disaggregation } = q;
        if (submissionId !== undefined && !indicator && !orgUnit && !period) return { submissionId };
        if (submissionId === undefined && indicator && orgUnit && period) return { indicator, orgUnit, period, disaggregation };
        ctx.addIssue({ code: 'custom', message: 'name either submissionId, or indicator, orgUnit and period' });
        return z.NEVER;
      }),
    },
  }, async (req) => service.list(principalOf(req), req.query));

  app.get('/api/evidence/coverage', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    preValidation: (req) => topReadUnit(db, req),
    schema: {
      tags: ['evidence'],
      summary: 'The paperwork index: the share of reported values in a period that carry evidence, by institution, pillar or province',
      querystring: z.object({
        framework: z.string().min(1).max(100).optional(),
        period: z.string().min(1).max(20).describe('This period and the periods inside it'),
        orgUnit: z.string().min(1).max(100).optional().describe('This unit and everything under it; by default your highest org unit'),
        by: z.enum(COVERAGE_BY).default('province'),
        stage: stageParam,
      }),
    },
  }, async (req) => {
    // topReadUnit has named the unit when the request did not.
    const orgUnit = req.query.orgUnit!;
    const stage = effectiveStage(principalOf(req), req.query.stage);
    return { orgUnit, period: req.query.period, framework: req.query.framework ?? null, by: req.query.by, stage: stage ?? null,
      rows: await evidenceCoverage(db, { ...req.query, orgUnit, stage }) };
  });

  app.get('/api/evidence/:id/file', { config: { access: { permission: 'read' } },
    schema: { tags: ['evidence'], summary: 'Download an evidence file, always as an attachment', params: idParams },
  }, async (req, reply) => {
    const { item, bytes } = await service.file(principalOf(req), req.params.id);
    const name = safeFileName(item.fileName ?? '', (await detectEvidenceType(bytes)).ext);
    // Whatever the file holds, the browser saves it rather than rendering it, and never runs it in the app's origin.
    return reply
      .type(item.mediaType ?? 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(bytes);
  });

  app.delete('/api/evidence/:id', { config: { access: { permission: 'enter' } },
    schema: { tags: ['evidence'], summary: 'Remove evidence (the uploader or an administrator, while the submission is not locked)', params: idParams },
  }, async (req, reply) => {
    await service.delete(principalOf(req), req.params.id);
    return reply.status(204).send();
  });
}
