/** A Fastify app with one group of routes, the real validator, error handler and request gate, for route tests. */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorHandler } from '../src/api/http-errors.ts';
import type { TypedApp } from '../src/api/server.ts';
import type { Database } from '../src/db/database.ts';
import { registerAuthentication } from '../src/governance/authenticate.ts';
import { injectAsAdmin } from './sign-in.ts';

/** Requests are signed in as a national administrator unless a test sends its own authorization. */
export async function routeApp(db: Database, register: (app: TypedApp) => void): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  await app.register(cookie);
  registerAuthentication(app, db);
  register(app.withTypeProvider<ZodTypeProvider>());
  await app.ready();
  await injectAsAdmin(app, db);
  return app;
}
