/** A Jaiza server for the browser tests: its own in-memory database with the reference and demo data, on a free port. */
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.ts';
import type { Connection } from '../../src/db/connect.ts';
import { connect } from '../../src/db/connect.ts';
import { seedDemoValues, seedReferenceData } from '../../src/seed/seed.ts';
import { buildWebApp } from '../../web/build.ts';

export interface WebServer {
  url: string;
  conn: Connection;
  close(): Promise<void>;
}

export async function startWebServer(): Promise<WebServer> {
  buildWebApp();
  const conn = await connect({ dataDir: null });
  await seedReferenceData(conn.db);
  await seedDemoValues(conn.db);
  const app: FastifyInstance = await buildServer(conn);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    conn,
    async close() {
      await app.close();
      await conn.close();
    },
  };
}
