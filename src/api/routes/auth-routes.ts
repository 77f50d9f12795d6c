/** Signing in and out, the caller's own account, password and API tokens. */
import { z } from 'zod';
// The cookie plugin's types: reply.setCookie and request.cookies (the plugin itself is registered in server.ts).
import type {} from '@fastify/cookie';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { CSRF_COOKIE, SESSION_COOKIE, principalOf } from '../../governance/authenticate.ts';
import { checkPassword } from '../../governance/sign-in.ts';
import { createSession, endSession, sessionLimits } from '../../governance/sessions.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../governance/api-tokens.ts';
import { changeOwnPassword, getUser } from '../../governance/user-admin.ts';
import { NotFoundError } from '../http-errors.ts';
import type { TypedApp } from '../server.ts';


function me(user: Awaited<ReturnType<typeof getUser>>) {
  return { username: user.username, displayName: user.displayName, grants: user.grants, mustChangePassword: user.mustChangePassword };
}

export function authRoutes(app: TypedApp, db: Database): void {
  const signedIn = { access: { permission: 'signed_in' as const } };

  app.post('/api/auth/sign-in', {
    config: { access: { permission: 'public' } },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with username and password: sets the session and CSRF cookies',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
    },
  }, async (req, reply) => {
    const result = await checkPassword(db, req.body.username, req.body.password, req.ip);
    if (!result.ok) {
      if (result.reason === 'locked') {
        return reply.status(429).header('retry-after', String(result.retryAfter)).send({
          error: 'locked', message: `too many failed sign-ins: try again in ${result.retryAfter} s`, retryAfter: result.retryAfter,
        });
      }
      return reply.status(401).send({ error: 'unauthenticated', message: 'wrong username or password' });
    }
    const limits = sessionLimits();
    // Always a new session id: a cookie the browser brought along (perhaps planted) is never adopted.
    const session = await createSession(db, result.userId, limits);
    const secure = req.protocol === 'https';
    reply.setCookie(SESSION_COOKIE, session.sessionId, { httpOnly: true, sameSite: 'strict', path: '/', secure, expires: session.expiresAt });
    reply.setCookie(CSRF_COOKIE, session.csrfToken, { httpOnly: false, sameSite: 'strict', path: '/', secure, expires: session.expiresAt });
    return { user: me(await getUser(db, result.username)), csrfToken: session.csrfToken };
  });

  app.post('/api/auth/sign-out', {
    config: signedIn,
    schema: { tags: ['auth'], summary: 'End this session (or do nothing for an API token)' },
  }, async (req, reply) => {
    const p = principalOf(req);
    const cookie = req.cookies[SESSION_COOKIE];
    if (p.via === 'session' && cookie) {
      await db.transaction(async (tx) => {
        await endSession(tx, cookie);
        await appendAudit(tx, { actor: p.username, action: 'session.sign_out', entity: 'app_user', entityId: p.username });
      });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/auth/me', {
    config: signedIn,
    schema: { tags: ['auth'], summary: 'Who is signed in, with their roles by org unit' },
  }, async (req) => me(await getUser(db, principalOf(req).username)));

  app.post('/api/auth/password', {
    config: signedIn,
    schema: {
      tags: ['auth'],
      summary: 'Change your own password; your other sessions end',
      body: z.object({ currentPassword: z.string().min(1), newPassword: z.string().min(1).max(1024) }),
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const keep = p.via === 'session' ? req.cookies[SESSION_COOKIE] : undefined;
    const ok = await changeOwnPassword(db, p.userId, req.body.currentPassword, req.body.newPassword, keep);
    if (!ok) return reply.status(400).send({ error: 'wrong_password', message: 'the current password is wrong' });
    return { ok: true };
  });

  app.get('/api/auth/tokens', {
    config: signedIn,
    schema: { tags: ['auth'], summary: 'Your API tokens (their prefixes; the full token is shown only when created)' },
  }, async (req) => listApiTokens(db, principalOf(req).userId));

  app.post('/api/auth/tokens', {
    config: signedIn,
    schema: {
      tags: ['auth'],
      summary: 'Create a personal API token for scripts: `Authorization: Bearer <token>`; shown once',
      body: z.object({ name: z.string().trim().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional() }),
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const created = await db.transaction(async (tx) => {
      const t = await createApiToken(tx, p.userId, req.body.name, req.body.expiresInDays);
      await appendAudit(tx, { actor: p.username, action: 'token.create', entity: 'api_token', entityId: t.id, detail: { name: t.name, prefix: t.prefix, expiresAt: t.expiresAt } });
      return t;
    });
    return reply.status(201).send(created);
  });

  app.delete('/api/auth/tokens/:id', {
    config: signedIn,
    schema: { tags: ['auth'], summary: 'Revoke one of your API tokens', params: z.object({ id: z.coerce.number().int() }) },
  }, async (req) => {
    const p = principalOf(req);
    const revoked = await db.transaction(async (tx) => {
      const t = await revokeApiToken(tx, p.userId, req.params.id);
      if (!t) throw new NotFoundError(`token ${req.params.id}`);
      await appendAudit(tx, { actor: p.username, action: 'token.revoke', entity: 'api_token', entityId: t.id, detail: { name: t.name, prefix: t.prefix } });
      return t;
    });
    return revoked;
  });
}
