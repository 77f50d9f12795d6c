import { z } from 'zod';
import type { Connection } from '../../db/connect.ts';
import { schemaVersion } from '../../db/migrate.ts';
import type { TypedApp } from '../server.ts';

export function healthRoutes(app: TypedApp, conn: Connection): void {
  app.get('/api/health', { config: { access: { permission: 'public' } },
    schema: {
      tags: ['system'],
      summary: 'Database kind, migration version and whether demo data is synthetic',
      response: {
        200: z.object({
          status: z.literal('ok'),
          database: z.enum(['pglite', 'postgres']),
          migrationVersion: z.number(),
          syntheticValues: z.number().describe('How many stored values are synthetic demo data'),
        }),
      },
    },
  }, async () => {
    const synthetic = await conn.db.query<{ n: number }>('SELECT count(*)::int AS n FROM data_value WHERE synthetic');
    return {
      status: 'ok' as const,
      database: conn.db.kind,
      migrationVersion: await schemaVersion(conn.db),
      syntheticValues: synthetic.rows[0]?.n ?? 0,
    };
  });
}
