import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { SUBMISSION_STATUSES } from '../../domain/workflow.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { principalOf } from '../../governance/authenticate.ts';
import { findSubmissions, submissionById } from '../../workflow/submission-queries.ts';
import { bulkApprove, reviewSubmission, submitReport } from '../../workflow/submission-service.ts';
import { grantLockException, listLockExceptions, MAX_EXCEPTION_HOURS, revokeLockException } from '../../workflow/lock-exceptions.ts';
import { NotFoundError } from '../http-errors.ts';
import type { TypedApp } from '../server.ts';

const reportKey = { framework: z.string().min(1).max(100), orgUnit: z.string().min(1).max(100), period: z.string().min(1).max(20) };
const idParams = z.object({ id: z.coerce.number().int().positive() });

export function workflowRoutes(app: TypedApp, db: Database): void {
  // The list is scoped by its query, so a reader below the country lists their own units without naming one.
  app.get('/api/submissions', { config: { access: { permission: 'read' } },
    schema: {
      tags: ['workflow'],
      summary: 'Submissions within your org units, newest period first; with inbox=true, those awaiting your review',
      querystring: z.object({
        framework: z.string().max(100).optional(),
        orgUnit: z.string().max(100).optional().describe('Exactly this unit'),
        period: z.string().max(20).optional(),
        status: z.enum(SUBMISSION_STATUSES).optional(),
        inbox: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
        limit: z.coerce.number().int().min(1).max(5000).default(500),
      }),
    },
  }, async (req) => findSubmissions(db, principalOf(req), req.query));

  app.get('/api/submissions/:id', { config: { access: { permission: 'read' } },
    schema: { tags: ['workflow'], summary: 'One submission with its history (every step, who, when, and the reasons for returns)', params: idParams },
  }, async (req) => submissionById(db, principalOf(req), req.params.id));

  app.post('/api/submissions/submit', { config: { access: { permission: 'enter', orgUnits: ['body.orgUnit'] } },
    schema: { tags: ['workflow'], summary: 'Submit a unit\'s report for a period for review (a draft or a returned one)', body: z.object(reportKey) },
  }, async (req) => submitReport(db, principalOf(req), req.body));

  app.post('/api/submissions/:id/approve', { config: { access: { permission: 'review' } },
    schema: { tags: ['workflow'], summary: 'Approve the step a submission waits for (acceptance, at the last step)', params: idParams, body: z.object({}).optional() },
  }, async (req) => reviewSubmission(db, principalOf(req), req.params.id, 'approve'));

  app.post('/api/submissions/:id/return', { config: { access: { permission: 'review' } },
    schema: {
      tags: ['workflow'],
      summary: 'Return a submission to its submitter with a reason; its values become editable again',
      params: idParams,
      body: z.object({ reason: z.string().max(4000) }),
    },
  }, async (req) => reviewSubmission(db, principalOf(req), req.params.id, 'return', req.body.reason));

  app.post('/api/submissions/bulk-approve', { config: { access: { permission: 'review' } },
    schema: {
      tags: ['workflow'],
      summary: 'Approve several submissions; each is approved or reported on its own',
      body: z.object({ ids: z.array(z.number().int().positive()).min(1).max(1000) }),
    },
  }, async (req) => bulkApprove(db, principalOf(req), req.body.ids));

  app.get('/api/lock-exceptions', { config: { access: { permission: 'administer' } },
    schema: {
      tags: ['workflow'],
      summary: 'Lock exceptions on submissions within the org units you administer',
      querystring: z.object({
        active: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
        submissionId: z.coerce.number().int().positive().optional(),
      }),
    },
  }, async (req) => listLockExceptions(db, principalOf(req), req.query));

  // The submission's unit is checked in the handler: a request may name it by id.
  app.post('/api/lock-exceptions', { config: { access: { permission: 'administer' } },
    schema: {
      tags: ['workflow'],
      summary: 'Let a locked or closed report be changed for a limited time',
      body: z.union([
        z.object({ submissionId: z.number().int().positive(), reason: z.string().max(4000), hours: z.number().int().min(1).max(MAX_EXCEPTION_HOURS) }),
        z.object({ ...reportKey, reason: z.string().max(4000), hours: z.number().int().min(1).max(MAX_EXCEPTION_HOURS) }),
      ]),
    },
  }, async (req, reply) => {
    const { reason, hours, ...target } = req.body;
    return reply.status(201).send(await grantLockException(db, principalOf(req), target, reason, hours));
  });

  app.delete('/api/lock-exceptions/:id', { config: { access: { permission: 'administer' } },
    schema: { tags: ['workflow'], summary: 'End a lock exception before it expires', params: idParams },
  }, async (req) => revokeLockException(db, principalOf(req), req.params.id));

  app.put('/api/frameworks/:code/entry-expiry', { config: { access: { permission: 'manage_framework' } },
    schema: {
      tags: ['workflow'],
      summary: 'How many days after a period ends its values may still be entered (null: periods never close)',
      params: z.object({ code: z.string().min(1).max(100) }),
      body: z.object({ days: z.number().int().min(0).max(3650).nullable() }),
    },
  }, async (req) => {
    const p = principalOf(req);
    return db.transaction(async (tx) => {
      const fw = (await tx.query<{ id: number; old: number | null }>(
        `SELECT id, entry_expiry_days AS old FROM framework WHERE code = $1 FOR UPDATE`, [req.params.code])).rows[0];
      if (!fw) throw new NotFoundError(`framework ${req.params.code}`);
      await tx.query('UPDATE framework SET entry_expiry_days = $2 WHERE id = $1', [fw.id, req.body.days]);
      await appendAudit(tx, {
        actor: p.username, action: 'framework.entry_expiry', entity: 'framework', entityId: req.params.code,
        detail: { from: fw.old, to: req.body.days },
      });
      return { framework: req.params.code, entryExpiryDays: req.body.days };
    });
  });
}
