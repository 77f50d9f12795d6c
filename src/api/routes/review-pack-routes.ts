import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { DisclosureRule } from '../../domain/disclosure-control.ts';
import { LANGS } from '../../publish/locale.ts';
import { buildReviewPack, reviewPackPdf } from '../../reports/review-pack-service.ts';
import type { TypedApp } from '../server.ts';

export function reviewPackRoutes(app: TypedApp, db: Database, rule: DisclosureRule): void {
  app.get('/api/review-packs', { config: { access: { permission: 'read', orgUnits: ['query.orgUnit'] } },
    schema: {
      tags: ['reports'],
      summary: 'The quarterly review pack for the Apex Committee (national) or a province, as printable HTML or PDF',
      description: 'The committee\'s pack reads every approved value, exact; release=true gives the pack marked for release ' +
        '(public indicators, accepted values, small counts suppressed). A quarter without approved data gives a pack that says so.',
      querystring: z.object({
        period: z.string().min(1).max(20).describe('Quarter, e.g. 2025Q4'),
        orgUnit: z.string().min(1).max(50).default('PK').describe('PK, or a province such as PK-KP'),
        lang: z.enum(LANGS).default('en'),
        format: z.enum(['pdf', 'html']).default('pdf'),
        release: z.enum(['true', 'false']).default('false'),
      }).strict(),
    },
  }, async (req, reply) => {
    const q = req.query;
    const pack = await buildReviewPack(db, { period: q.period, orgUnit: q.orgUnit, lang: q.lang, release: q.release === 'true' ? { rule } : null });
    if (q.format === 'html') return reply.type('text/html; charset=utf-8').send(pack.html);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${pack.fileName}.pdf"`).send(await reviewPackPdf(pack, q.lang));
  });
}
