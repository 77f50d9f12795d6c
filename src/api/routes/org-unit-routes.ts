import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { getOrgUnit, listOrgUnits } from '../../orgunits/org-unit-store.ts';
import { parsePeriod, periodLabel, periodMonths } from '../../domain/period.ts';
import { NotFoundError } from '../http-errors.ts';
import type { TypedApp } from '../server.ts';

export function orgUnitRoutes(app: TypedApp, db: Database): void {
  app.get('/api/org-units', { config: { access: { permission: 'read' } },
    schema: {
      tags: ['org units'],
      summary: 'Org units (country, provinces and territories, divisions, districts) with validity dates',
      querystring: z.object({ level: z.enum(['country', 'province', 'division', 'district']).optional(), parent: z.string().optional() }),
    },
  }, (req) => listOrgUnits(db, req.query));

  app.get('/api/org-units/:code', { config: { access: { permission: 'read' } },
    schema: { tags: ['org units'], summary: 'One org unit with its predecessors and successors (splits, merges)', params: z.object({ code: z.string() }) },
  }, async (req) => {
    const unit = await getOrgUnit(db, req.params.code);
    if (!unit) throw new NotFoundError(`org unit "${req.params.code}"`);
    return unit;
  });

  app.get('/api/institutions', { config: { access: { permission: 'read' } }, schema: { tags: ['org units'], summary: 'Reporting institutions and the org unit each covers' } }, async () =>
    (await db.query(
      `SELECT i.code, i.name_en AS "nameEn", i.name_ur AS "nameUr", i.kind, o.code AS "orgUnit", p.code AS parent
         FROM institution i JOIN org_unit o ON o.id = i.org_unit_id LEFT JOIN institution p ON p.id = i.parent_id ORDER BY i.id`,
    )).rows);

  app.get('/api/periods/:code', { config: { access: { permission: 'read' } },
    schema: { tags: ['org units'], summary: 'Parse a period code (2025Q3, 202509, 2025S2, 2025, 2025July)', params: z.object({ code: z.string() }) },
  }, async (req) => {
    const p = parsePeriod(req.params.code);
    return { code: p.code, type: p.type, start: p.start, end: p.end, months: periodMonths(p), label: periodLabel(p) };
  });
}
