/**
 * The gate every request passes: who is asking (session cookie or API token), whether a browser's state-changing
 * request carries its CSRF token, and whether the route's declared access lets this principal act on the org
 * units the request names. Routes declare access in their options; one without a declaration is refused at start-up.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { resolveOrgUnits } from '../analytics/analytics-query.ts';
import { InputError } from '../domain/row-error.ts';
import { principalFromSession } from './sessions.ts';
import { principalFromToken } from './api-tokens.ts';
import { grantRoots } from './permissions.ts';
import type { Principal } from './principal.ts';
import { scopeUnitIds } from './scope.ts';
import type { Permission, RouteAccess } from './route-access.ts';

export const SESSION_COOKIE = 'jaiza_session';
export const CSRF_COOKIE = 'jaiza_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes outside the API and the portal (the web app's files, the API docs) are public by nature. */
function needsDeclaration(url: string): boolean {
  return (url.startsWith('/api/') && !url.startsWith('/api/docs')) || url === '/portal' || url.startsWith('/portal/');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function deny(reply: FastifyReply, status: 401 | 403, error: string, message: string): FastifyReply {
  return reply.status(status).send({ error, message });
}

/** The access a route declared; undefined for the public files around the API. */
export function routeAccess(req: FastifyRequest): RouteAccess | undefined {
  return req.routeOptions.config.access;
}

/** Whether the principal holds the permission anywhere (its org-unit scope is checked separately). */
export function holds(p: Principal | null, permission: Permission): boolean {
  if (permission === 'public') return true;
  if (!p) return false;
  return permission === 'signed_in' || grantRoots(p, permission).length > 0;
}

/** Reads `body.orgUnit`-style paths off a request; comma-separated lists and arrays give several codes. */
function namedUnits(req: FastifyRequest, paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    const [where, ...rest] = path.split('.');
    let v: unknown = where === 'body' ? req.body : where === 'query' ? req.query : where === 'params' ? req.params : undefined;
    for (const key of rest) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) {
      if (typeof x === 'string') out.push(...x.split(',').map((s) => s.trim()).filter(Boolean));
    }
  }
  return out;
}

/** Throws a 403 unless every org unit (by code or selector) lies within the principal's scope for the permission. */
export async function assertUnitsInScope(db: Database, p: Principal, permission: Permission, selectors: string[]): Promise<void> {
  if (selectors.length === 0) return;
  let units;
  try {
    units = await resolveOrgUnits(db, selectors);
  } catch (e) {
    // Unknown units are the handler's to name; the known ones are still checked.
    if (!(e instanceof InputError)) throw e;
    const known = [];
    for (const s of selectors) known.push(...await resolveOrgUnits(db, [s]).catch(() => []));
    units = known;
  }
  const scope = await scopeUnitIds(db, p, permission);
  const outside = units.filter((u) => !scope.has(u.id)).map((u) => u.code);
  if (outside.length) throw new ForbiddenError(`outside your org units: ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ` and ${outside.length - 5} more` : ''}`);
}

export class ForbiddenError extends Error {
  readonly statusCode = 403;
  readonly code = 'forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The signed-in principal of a route that is not public (the hook has already refused anonymous callers). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new ForbiddenError('sign in first');
  return req.principal;
}

export function registerAuthentication(app: FastifyInstance, db: Database): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    if (needsDeclaration(route.url) && !(route.config as { access?: RouteAccess } | undefined)?.access) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule (config.access)`);
    }
  });

  // Who is asking is settled before the body is read, so an anonymous upload is refused unread.
  app.addHook('onRequest', async (req, reply) => {
    const access = routeAccess(req);
    const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookie = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE];
    let csrf: string | null = null;
    if (bearer) {
      req.principal = await principalFromToken(db, bearer);
      if (!req.principal) return deny(reply, 401, 'unauthenticated', 'the API token is unknown, revoked or expired');
    } else if (cookie) {
      const found = await principalFromSession(db, cookie);
      if (found) {
        req.principal = found.principal;
        csrf = found.csrfToken;
      }
    }
    if (!access || access.permission === 'public') return;
    if (!req.principal) {
      return deny(reply, 401, 'unauthenticated', cookie ? 'your session has expired: sign in again' : 'sign in to use this');
    }
    if (req.principal.via === 'session' && UNSAFE.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || csrf === null || !sameText(sent, csrf)) {
        return deny(reply, 403, 'csrf', 'the request lacks this session\'s CSRF token (x-csrf-token): reload the page and try again');
      }
    }
    if (!holds(req.principal, access.permission)) {
      return deny(reply, 403, 'forbidden', `your roles do not allow this (${access.permission.replace('_', ' ')} is needed)`);
    }
  });

  // The org units a request names are known once its query, params and body are parsed and validated.
  app.addHook('preHandler', async (req) => {
    const access = routeAccess(req);
    if (!access?.orgUnits?.length || !req.principal) return;
    const named = namedUnits(req, access.orgUnits);
    // A request that names no org unit asks about the whole country, and needs national scope.
    const units = named.length ? named : (await db.query<{ code: string }>('SELECT code FROM org_unit WHERE parent_id IS NULL')).rows.map((r) => r.code);
    await assertUnitsInScope(db, req.principal, access.permission, units);
  });
}
