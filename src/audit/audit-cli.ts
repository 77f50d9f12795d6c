/** `jaiza audit verify` and `jaiza audit log`: the operator's check of the trail, on the server machine. */
import type { Command } from 'commander';
import type { Connection } from '../db/connect.ts';
import { verifyAudit } from './audit-log.ts';
import { recentAudit } from './audit-query.ts';

export function registerAuditCommands(program: Command, withConnection: <T>(fn: (conn: Connection) => Promise<T>) => Promise<T>): void {
  const audit = program.command('audit').description('The hash-chained audit trail');
  audit.command('verify')
    .description('Check every entry\'s hash and link; exits 1 naming the first broken entry')
    .action(() => withConnection(async (conn) => {
      let last = 0;
      const result = await verifyAudit(conn.db, (checked, total) => {
        // Progress for long trails, on stderr so the verdict on stdout stays one line for scripts.
        if (checked - last >= 50_000 || checked === total) {
          process.stderr.write(`checked ${checked} of ${total} entries\n`);
          last = checked;
        }
      });
      if (result.ok) {
        const head = (await conn.db.query<{ last_hash: string }>('SELECT last_hash FROM audit_head')).rows[0];
        console.log(`OK: ${result.entries} entries, head ${head?.last_hash ?? 'none (empty trail)'}`);
        return;
      }
      const b = result.broken!;
      console.log(`BROKEN at entry ${b.entryId ?? 'none'} (${b.reason}): ${b.message}`);
      process.exitCode = 1;
    }));
  audit.command('log')
    .description('Print the most recent entries, newest first')
    .option('--limit <n>', 'how many entries', '20')
    .option('--actor <name>')
    .option('--action <action>', 'e.g. data.save, import.apply, evidence.attach')
    .action((o: { limit: string; actor?: string; action?: string }) => withConnection(async (conn) => {
      for (const e of await recentAudit(conn.db, { limit: Number(o.limit), actor: o.actor, action: o.action })) {
        console.log(`${e.id}\t${e.at}\t${e.actor}\t${e.action}\t${e.entity}${e.entityId ? `:${e.entityId}` : ''}\t${e.orgUnit ?? ''}\t${JSON.stringify(e.detail)}`);
      }
    }));
}
