/**
 * The audit entries of applied data changes, written in the import's own transaction: one entry per value for
 * a form's saves (who changed which cell from what to what), one entry per file import (counts and a sha256 over
 * the applied rows in key order, so the entry pins exactly what the import wrote without a row per value).
 */
import type { Queryable } from '../db/database.ts';
import { appendAudit, type AuditEvent } from './audit-log.ts';

interface ChangeCounts {
  imported: number;
  updated: number;
  deleted: number;
}

export async function auditAppliedImport(
  tx: Queryable, importId: number, opts: { user: string; format: string; fileName?: string }, counts: ChangeCounts,
): Promise<void> {
  if (opts.format === 'form') {
    const cells = (await tx.query<{ indicator: string; org_unit: string; period: string; disagg: string; action: string; old_value: unknown; new_value: unknown }>(
      `SELECT i.code AS indicator, o.code AS org_unit, p.code AS period, f.disagg, f.action, f.old_value, f.new_value
         FROM import_final f JOIN indicator i ON i.id = f.indicator_id JOIN org_unit o ON o.id = f.org_unit_id JOIN period p ON p.id = f.period_id
        WHERE f.action IN ('create', 'update', 'delete') ORDER BY f.indicator_id, f.org_unit_id, f.period_id, f.disagg`)).rows;
    const events: AuditEvent[] = cells.map((c) => ({
      actor: opts.user, action: c.action === 'delete' ? 'data.delete' : 'data.save', entity: 'data_value',
      entityId: `${c.indicator}/${c.org_unit}/${c.period}/${c.disagg}`, orgUnit: c.org_unit,
      detail: { indicator: c.indicator, orgUnit: c.org_unit, period: c.period, disaggregation: c.disagg, importId,
        oldValue: c.old_value === null ? null : String(c.old_value), newValue: c.action === 'delete' || c.new_value === null ? null : String(c.new_value) },
    }));
    await appendAudit(tx, events);
    return;
  }
  const digest = (await tx.query<{ sha256: string | null }>(
    `SELECT encode(sha256(convert_to(string_agg(concat_ws(',', indicator_id, org_unit_id, period_id, disagg, action,
              CASE WHEN action = 'delete' THEN NULL ELSE new_value::text END), E'\\n' ORDER BY indicator_id, org_unit_id, period_id, disagg), 'UTF8')), 'hex') AS sha256
       FROM import_final WHERE action IN ('create', 'update', 'delete')`)).rows[0]!.sha256;
  await appendAudit(tx, {
    actor: opts.user, action: 'import.apply', entity: 'import_job', entityId: importId,
    detail: { importJobId: importId, format: opts.format, fileName: opts.fileName ?? null,
      created: counts.imported, updated: counts.updated, deleted: counts.deleted, appliedRowsSha256: digest },
  });
}
