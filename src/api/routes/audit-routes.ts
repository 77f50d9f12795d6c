import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { verifyAudit } from '../../audit/audit-log.ts';
import { recentAudit } from '../../audit/audit-query.ts';
import { assertUnitsInScope, principalOf } from '../../governance/authenticate.ts';
import { scopeUnitIds } from '../../governance/scope.ts';
import type { TypedApp } from '../server.ts';

const administer = { access: { permission: 'administer' as const } };

export function auditRoutes(app: TypedApp, db: Database): void {
  app.get('/api/audit', {
    config: administer,
    schema: {
      tags: ['audit'],
      summary: 'Audit entries about your org units, newest first (national administrators see every entry)',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z.coerce.number().int().positive().optional().describe('Entries with an id below this one'),
        actor: z.string().max(200).optional(),
        action: z.string().max(100).optional(),
      }),
    },
  }, async (req) => recentAudit(db, { ...req.query, orgUnitScope: [...await scopeUnitIds(db, principalOf(req), 'administer')] }));

  app.post('/api/audit/verify', {
    config: administer,
    schema: { tags: ['audit'], summary: 'Checks the whole hash chain; names the first broken entry (national administrators only)' },
  }, async (req) => {
    // The chain runs through every unit's entries, so checking it is a national administrator's.
    const roots = (await db.query<{ code: string }>('SELECT code FROM org_unit WHERE parent_id IS NULL')).rows.map((r) => r.code);
    await assertUnitsInScope(db, principalOf(req), 'administer', roots);
    return verifyAudit(db);
  });
}
