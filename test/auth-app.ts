/** An app with the cookie plugin, the request gate and the auth, user and audit routes, over a seeded test database. */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorHandler } from '../src/api/http-errors.ts';
import { auditRoutes } from '../src/api/routes/audit-routes.ts';
import { authRoutes } from '../src/api/routes/auth-routes.ts';
import { userRoutes } from '../src/api/routes/user-routes.ts';
import type { Database } from '../src/db/database.ts';
import { registerAuthentication } from '../src/governance/authenticate.ts';

export async function authApp(db: Database): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  await app.register(cookie);
  registerAuthentication(app, db);
  const typed = app.withTypeProvider<ZodTypeProvider>();
  authRoutes(typed, db);
  userRoutes(typed, db);
  auditRoutes(typed, db);
  await app.ready();
  return app;
}

/** The cookies a response set, as name → value. */
export function setCookies(res: { cookies: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}
