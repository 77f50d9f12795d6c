/** Administering accounts: create, grants by org unit, disable, reset a password, unlock. */
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { principalOf } from '../../governance/authenticate.ts';
import { ROLES } from '../../governance/principal.ts';
import { createUser, listUsers, resetPassword, setGrants, unlockUser, updateUser } from '../../governance/user-admin.ts';
import type { TypedApp } from '../server.ts';

const grant = z.object({ role: z.enum(ROLES), orgUnit: z.string().min(1) });
const username = z.object({ username: z.string().min(1) });

export function userRoutes(app: TypedApp, db: Database): void {
  const administer = { access: { permission: 'administer' as const } };

  app.get('/api/users', {
    config: administer,
    schema: { tags: ['users'], summary: 'The accounts with a grant within your org units, with all their grants, lock and disabled state' },
  }, (req) => listUsers(db, principalOf(req)));

  app.post('/api/users', {
    config: administer,
    schema: {
      tags: ['users'],
      summary: 'Create an account with its roles by org unit',
      body: z.object({ username: z.string().min(1), displayName: z.string().trim().min(1).max(200), password: z.string().min(1).max(1024), grants: z.array(grant).default([]) }),
    },
  }, async (req, reply) => reply.status(201).send(await createUser(db, principalOf(req), { ...req.body, mustChangePassword: true })));

  app.patch('/api/users/:username', {
    config: administer,
    schema: {
      tags: ['users'],
      summary: 'Rename or disable (or re-enable) an account; disabling ends its sessions',
      params: username,
      body: z.object({ displayName: z.string().trim().min(1).max(200).optional(), disabled: z.boolean().optional() }),
    },
  }, (req) => updateUser(db, principalOf(req), req.params.username, req.body));

  app.put('/api/users/:username/grants', {
    config: administer,
    schema: { tags: ['users'], summary: "Replace an account's roles by org unit", params: username, body: z.array(grant) },
  }, (req) => setGrants(db, principalOf(req), req.params.username, req.body));

  app.post('/api/users/:username/reset-password', {
    config: administer,
    schema: {
      tags: ['users'],
      summary: 'Set a new password the user must change at next sign-in; their sessions end',
      params: username,
      body: z.object({ password: z.string().min(1).max(1024) }),
    },
  }, (req) => resetPassword(db, principalOf(req), req.params.username, req.body.password));

  app.post('/api/users/:username/unlock', {
    config: administer,
    schema: { tags: ['users'], summary: 'Lift a lock left by failed sign-ins', params: username },
  }, (req) => unlockUser(db, principalOf(req), req.params.username));
}
