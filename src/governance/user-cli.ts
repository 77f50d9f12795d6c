/**
 * `jaiza user add|reset-password|grant`: the operator on the server machine manages accounts, first of all the
 * first administrator of a fresh database. The password is read from standard input (or JAIZA_NEW_PASSWORD),
 * never from the command line, where other users of the machine could see it in the process list.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Connection } from '../db/connect.ts';
import { addGrants, createUser, resetPassword, systemActor, type GrantInput, type SystemActor, type UserInfo } from './user-admin.ts';

/** The CLI is trusted: it acts as the operator's own OS account. */
export function cliActor(): SystemActor {
  return systemActor(`cli:${userInfo().username}`);
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.JAIZA_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** `role@ORG-UNIT`, as `admin@PK` or `reviewer@PK-PB`. */
function parseGrant(text: string, previous: GrantInput[] = []): GrantInput[] {
  const [role, orgUnit] = text.split('@');
  if (!role || !orgUnit) throw new Error(`a grant is written role@ORG-UNIT (as admin@PK), not "${text}"`);
  return [...previous, { role, orgUnit }];
}

function show(u: UserInfo): void {
  console.log(JSON.stringify(u, null, 2));
}

export function registerUserCommands(program: Command, withConnection: <T>(fn: (conn: Connection) => Promise<T>) => Promise<T>): void {
  const user = program.command('user').description('Accounts: create one (the first administrator too), reset a password, grant a role');
  user.command('add <username>')
    .description('Create an account; the password is read from standard input or JAIZA_NEW_PASSWORD')
    .option('--name <displayName>', 'the name shown in the app (default: the username)')
    .option('--grant <role@ORG-UNIT>', 'a role over an org unit and everything under it, as admin@PK (repeatable)', parseGrant, [])
    .action((username: string, o: { name?: string; grant: GrantInput[] }) => withConnection(async (conn) => {
      const password = await readPassword();
      show(await createUser(conn.db, cliActor(), { username, displayName: o.name ?? username, password, grants: o.grant }));
    }));
  user.command('reset-password <username>')
    .description('Set a new password (from standard input or JAIZA_NEW_PASSWORD) that must be changed at next sign-in; ends the user\'s sessions')
    .action((username: string) => withConnection(async (conn) => {
      show(await resetPassword(conn.db, cliActor(), username, await readPassword()));
    }));
  user.command('grant <username> <grants...>')
    .description('Add roles over org units, each as role@ORG-UNIT (admin@PK, data_clerk@PK-PB-LHR)')
    .action((username: string, grants: string[]) => withConnection(async (conn) => {
      show(await addGrants(conn.db, cliActor(), username, grants.flatMap((g) => parseGrant(g))));
    }));
}
