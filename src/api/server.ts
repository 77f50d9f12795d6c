/** The HTTP API: thin routes over the services, described by OpenAPI 3.1 at /api/docs. */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { Connection } from '../db/connect.ts';
import { registerAuthentication } from '../governance/authenticate.ts';
import { actorName } from '../governance/principal.ts';
import { errorHandler } from './http-errors.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { frameworkRoutes } from './routes/framework-routes.ts';
import { orgUnitRoutes } from './routes/org-unit-routes.ts';
import { dataValueRoutes } from './routes/data-value-routes.ts';
import { importExportRoutes } from './routes/import-export-routes.ts';
import { validationRoutes } from './routes/validation-routes.ts';
import { dhis2Routes } from './routes/dhis2-routes.ts';
import { analyticsRoutes } from './routes/analytics-routes.ts';
import { completenessRoutes } from './routes/completeness-routes.ts';
import { scorecardRoutes } from './routes/scorecard-routes.ts';
import { calculatedIndicatorRoutes } from './routes/calculated-indicator-routes.ts';
import { publicRoutes } from './routes/public-routes.ts';
import { portalRoutes } from './routes/portal-routes.ts';
import { reviewPackRoutes } from './routes/review-pack-routes.ts';
import { disclosureRuleFromEnv, publicScope } from '../publish/publication-scope.ts';
import { dataEntryRoutes } from './routes/data-entry-routes.ts';
import { indicatorDetailRoutes } from './routes/indicator-detail-routes.ts';
import { registerWebApp } from './web-app.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import { workflowRoutes } from './routes/workflow-routes.ts';
import { evidenceRoutes } from './routes/evidence-routes.ts';
import { evidenceStore } from '../evidence/evidence-store.ts';

export type App = FastifyInstance;
export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface ServerOptions {
  logger?: boolean;
  /** The built web app served at /; web/dist by default. */
  webDir?: string;
  /** Where the disclosure rule is read from (JAIZA_SMALL_CELL_THRESHOLD); process.env by default. */
  env?: NodeJS.ProcessEnv;
}

export async function buildServer(conn: Connection, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const published = publicScope(disclosureRuleFromEnv(opts.env));
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 2 * 1024 * 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Files are streamed to the import pipeline as they arrive, never buffered whole.
  for (const type of ['text/csv', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']) {
    app.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
  }

  await app.register(cookie);
  registerAuthentication(app, conn.db);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Jaiza API',
        version: '0.1.0',
        description:
          'Results framework, reporting data, import/export (Jaiza CSV/JSON, XLSX templates, DHIS2) and validation for the National Prevention of Violent Extremism Policy 2024.',
        license: { name: 'BSD-3-Clause', identifier: 'BSD-3-Clause' },
      },
      tags: ['system', 'frameworks', 'org units', 'data values', 'import and export', 'validation', 'analytics', 'data entry', 'dhis2', 'reports', 'public', 'workflow', 'evidence', 'auth', 'users', 'audit'].map((name) => ({ name })),
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { access: { permission: 'public' } }, schema: { hide: true } }, async () => app.swagger());

  const typed = app.withTypeProvider<ZodTypeProvider>();
  healthRoutes(typed, conn);
  frameworkRoutes(typed, conn.db);
  orgUnitRoutes(typed, conn.db);
  dataValueRoutes(typed, conn.db);
  importExportRoutes(typed, conn.db);
  validationRoutes(typed, conn.db);
  dhis2Routes(typed, conn.db);
  analyticsRoutes(typed, conn.db);
  completenessRoutes(typed, conn.db);
  scorecardRoutes(typed, conn.db);
  calculatedIndicatorRoutes(typed, conn.db);
  // The portal and open data travel compressed to a browser that accepts it: readers are often on slow connections.
  await app.register(async (compressed) => {
    await compressed.register(compress, { globalDecompression: false });
    const routes = compressed.withTypeProvider<ZodTypeProvider>();
    publicRoutes(routes, conn.db, published);
    portalRoutes(routes);
  });
  reviewPackRoutes(typed, conn.db, published.disclosure!);
  dataEntryRoutes(typed, conn.db);
  indicatorDetailRoutes(typed, conn.db);
  authRoutes(typed, conn.db);
  userRoutes(typed, conn.db);
  auditRoutes(typed, conn.db);
  workflowRoutes(typed, conn.db);
  evidenceRoutes(typed, conn.db, evidenceStore(conn.dataDir));
  await registerWebApp(app, opts.webDir);
  return app;
}

/** Who is acting, as stored values and audit entries record it. */
export function actor(req: FastifyRequest): string {
  return actorName(req.principal);
}
