/** A Fastify app with one group of routes and the real validator and error handler, for route tests. */
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorHandler } from '../src/api/http-errors.ts';
import type { TypedApp } from '../src/api/server.ts';

export async function routeApp(register: (app: TypedApp) => void): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  register(app.withTypeProvider<ZodTypeProvider>());
  await app.ready();
  return app;
}
