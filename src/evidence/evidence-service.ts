/**
 * Means of verification: files and links attached to one reported value (by its key) or to a submission.
 * Every attach and delete is audited in the transaction that makes it.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { canonicalDisaggregation } from '../domain/disaggregation.ts';
import { InputError } from '../domain/row-error.ts';
import { ForbiddenError } from '../governance/authenticate.ts';
import { actorName, type Principal } from '../governance/principal.ts';
import { unitsInScope } from '../governance/scope.ts';
import type { Permission } from '../governance/route-access.ts';
import { detectEvidenceType, EvidenceTooLargeError, safeFileName } from './evidence-file-type.ts';
import type { EvidenceStore } from './evidence-store.ts';

/** What evidence is attached to: a value's key, or a submission. */
export type EvidenceTarget =
  | { indicator: string; orgUnit: string; period: string; disaggregation?: string }
  | { submissionId: number };

interface ResolvedTarget {
  submissionId: number | null;
  indicatorId: number | null;
  orgUnitId: number | null;
  periodId: number | null;
  disagg: string | null;
  /** The org unit the evidence belongs to, for the scope check and the audit entry. */
  orgUnit: string;
  /** The submission whose status decides whether the evidence may still change, if there is one. */
  lockingSubmission: number | null;
}

export interface EvidenceItem {
  id: number;
  kind: 'file' | 'link';
  submissionId: number | null;
  indicator: string | null;
  orgUnit: string;
  period: string | null;
  disaggregation: string | null;
  url: string | null;
  fileName: string | null;
  mediaType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  description: string;
  uploadedBy: string;
  uploadedAt: string;
}

const LOCKED = new Set(['submitted', 'approved_district', 'approved_province', 'accepted']);

class NotFoundError extends Error {
  readonly statusCode = 404;
  readonly code = 'not_found';
}

class LockedError extends Error {
  readonly statusCode = 409;
  readonly code = 'locked';
}

function fail(field: string, message: string): never {
  throw new InputError([{ row: 0, field, code: 'invalid', message }]);
}

async function resolveTarget(db: Queryable, t: EvidenceTarget): Promise<ResolvedTarget> {
  if ('submissionId' in t) {
    const s = (await db.query<{ id: number; code: string }>(
      'SELECT s.id, o.code FROM submission s JOIN org_unit o ON o.id = s.org_unit_id WHERE s.id = $1', [t.submissionId])).rows[0];
    if (!s) throw new NotFoundError(`no submission ${t.submissionId}`);
    return { submissionId: s.id, indicatorId: null, orgUnitId: null, periodId: null, disagg: null, orgUnit: s.code, lockingSubmission: s.id };
  }
  const disagg = t.disaggregation ? canonicalDisaggregation(t.disaggregation) : '';
  const r = (await db.query<{ indicator_id: number | null; org_unit_id: number | null; period_id: number | null; framework_id: number | null }>(
    `SELECT (SELECT id FROM indicator WHERE code = $1) AS indicator_id, (SELECT id FROM org_unit WHERE code = $2) AS org_unit_id,
            (SELECT id FROM period WHERE code = $3) AS period_id,
            (SELECT p.framework_id FROM indicator i JOIN objective ob ON ob.id = i.objective_id JOIN pillar p ON p.id = ob.pillar_id WHERE i.code = $1) AS framework_id`,
    [t.indicator, t.orgUnit, t.period])).rows[0]!;
  if (r.indicator_id === null) fail('indicator', `unknown indicator ${t.indicator}`);
  if (r.org_unit_id === null) fail('orgUnit', `unknown org unit ${t.orgUnit}`);
  if (r.period_id === null) fail('period', `unknown period ${t.period}`);
  const sub = (await db.query<{ id: number }>(
    'SELECT id FROM submission WHERE framework_id = $1 AND org_unit_id = $2 AND period_id = $3', [r.framework_id, r.org_unit_id, r.period_id])).rows[0];
  return {
    submissionId: null, indicatorId: r.indicator_id, orgUnitId: r.org_unit_id, periodId: r.period_id, disagg,
    orgUnit: t.orgUnit, lockingSubmission: sub?.id ?? null,
  };
}

async function assertInScope(db: Queryable, p: Principal, permission: Permission, orgUnit: string): Promise<void> {
  if (!(await unitsInScope(db, p, permission, [orgUnit])).ok) throw new ForbiddenError(`outside your org units: ${orgUnit}`);
}

/** A locked submission's evidence is as fixed as its values, and an active lock exception opens both alike. */
async function assertUnlocked(db: Queryable, submissionId: number | null): Promise<void> {
  if (submissionId === null) return;
  const s = (await db.query<{ status: string; excepted: boolean }>(
    `SELECT status, EXISTS (SELECT 1 FROM lock_exception le WHERE le.submission_id = s.id AND le.revoked_at IS NULL AND le.expires_at > now()) AS excepted
       FROM submission s WHERE s.id = $1`, [submissionId])).rows[0];
  if (s && LOCKED.has(s.status) && !s.excepted) throw new LockedError(`the submission is ${s.status.replace('_', ' ')}: its evidence cannot change`);
}

const SELECT_ITEM = `
  SELECT e.id, e.kind, e.submission_id AS "submissionId", i.code AS indicator, COALESCE(o.code, so.code) AS "orgUnit",
         COALESCE(pe.code, sp.code) AS period, e.disagg AS disaggregation, e.url, e.file_name AS "fileName",
         e.media_type AS "mediaType", e.size_bytes::float8 AS "sizeBytes", e.sha256, e.description,
         e.uploaded_by AS "uploadedBy", e.uploaded_at AS "uploadedAt", e.storage, e.storage_ref AS "storageRef"
    FROM evidence e
    LEFT JOIN indicator i ON i.id = e.indicator_id
    LEFT JOIN org_unit o ON o.id = e.org_unit_id
    LEFT JOIN period pe ON pe.id = e.period_id
    LEFT JOIN submission s ON s.id = e.submission_id
    LEFT JOIN org_unit so ON so.id = s.org_unit_id
    LEFT JOIN period sp ON sp.id = s.period_id`;

type StoredItem = EvidenceItem & { storage: string | null; storageRef: string | null };

function publicItem(r: StoredItem): EvidenceItem {
  const { storage: _s, storageRef: _r, ...item } = r;
  return { ...item, uploadedAt: new Date(item.uploadedAt).toISOString() };
}

async function loadItem(db: Queryable, id: number): Promise<StoredItem> {
  const r = (await db.query<StoredItem>(`${SELECT_ITEM} WHERE e.id = $1`, [id])).rows[0];
  if (!r) throw new NotFoundError(`no evidence ${id}`);
  return r;
}

export interface FileUpload {
  target: EvidenceTarget;
  fileName: string;
  bytes: Uint8Array;
  description?: string;
}

export class EvidenceService {
  constructor(private readonly db: Database, private readonly store: EvidenceStore, private readonly maxBytes: number) {}

  async attachFile(p: Principal, upload: FileUpload): Promise<EvidenceItem> {
    if (upload.bytes.length > this.maxBytes) throw new EvidenceTooLargeError(this.maxBytes);
    const target = await resolveTarget(this.db, upload.target);
    await assertInScope(this.db, p, 'enter', target.orgUnit);
    const { mediaType, ext } = await detectEvidenceType(upload.bytes);
    const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
    // The original name is kept for display (rendered as text); headers and disk only ever see the safe one.
    const fileName = upload.fileName.trim().slice(0, 255) || safeFileName('', ext);
    const id = await this.db.transaction(async (tx) => {
      await assertUnlocked(tx, target.lockingSubmission);
      const ref = await this.store.put(tx, sha256, upload.bytes);
      const id = await this.insert(tx, p, target, {
        kind: 'file', fileName, mediaType, sizeBytes: upload.bytes.length, sha256, storage: this.store.kind, storageRef: ref,
        description: upload.description ?? '',
      });
      await appendAudit(tx, {
        actor: actorName(p), action: 'evidence.attach', entity: 'evidence', entityId: id, orgUnit: target.orgUnit,
        detail: { ...describeTarget(upload.target), kind: 'file', fileName, mediaType, sizeBytes: upload.bytes.length, sha256 },
      });
      return id;
    });
    return publicItem(await loadItem(this.db, id));
  }

  async attachLink(p: Principal, target0: EvidenceTarget, url: string, description = ''): Promise<EvidenceItem> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      fail('url', 'the link is not a valid URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') fail('url', 'only http and https links can be evidence');
    const target = await resolveTarget(this.db, target0);
    await assertInScope(this.db, p, 'enter', target.orgUnit);
    const id = await this.db.transaction(async (tx) => {
      await assertUnlocked(tx, target.lockingSubmission);
      const id = await this.insert(tx, p, target, { kind: 'link', url: parsed.href, description });
      await appendAudit(tx, {
        actor: actorName(p), action: 'evidence.attach', entity: 'evidence', entityId: id, orgUnit: target.orgUnit,
        detail: { ...describeTarget(target0), kind: 'link', url: parsed.href },
      });
      return id;
    });
    return publicItem(await loadItem(this.db, id));
  }

  /** Evidence of one value or one submission, within the caller's read scope. */
  async list(p: Principal, target0: EvidenceTarget): Promise<EvidenceItem[]> {
    const target = await resolveTarget(this.db, target0);
    await assertInScope(this.db, p, 'read', target.orgUnit);
    const rows = target.submissionId !== null
      ? (await this.db.query<StoredItem>(`${SELECT_ITEM} WHERE e.submission_id = $1 ORDER BY e.id`, [target.submissionId])).rows
      : (await this.db.query<StoredItem>(`${SELECT_ITEM} WHERE e.indicator_id = $1 AND e.org_unit_id = $2 AND e.period_id = $3 AND e.disagg = $4 ORDER BY e.id`,
        [target.indicatorId, target.orgUnitId, target.periodId, target.disagg])).rows;
    return rows.map(publicItem);
  }

  async file(p: Principal, id: number): Promise<{ item: EvidenceItem; bytes: Buffer }> {
    const r = await loadItem(this.db, id);
    await assertInScope(this.db, p, 'read', r.orgUnit);
    if (r.kind !== 'file' || !r.storageRef) throw new NotFoundError(`evidence ${id} is a link, not a file`);
    return { item: publicItem(r), bytes: await this.store.get(this.db, r.storageRef) };
  }

  /** The uploader or an administrator over the unit may delete, while the submission is not locked. */
  async delete(p: Principal, id: number): Promise<void> {
    const r = await loadItem(this.db, id);
    await assertInScope(this.db, p, 'enter', r.orgUnit);
    const admin = (await unitsInScope(this.db, p, 'administer', [r.orgUnit])).ok;
    if (r.uploadedBy !== actorName(p) && !admin) throw new ForbiddenError('only the uploader or an administrator can delete evidence');
    const target = await resolveTarget(this.db, r.submissionId !== null
      ? { submissionId: r.submissionId }
      : { indicator: r.indicator!, orgUnit: r.orgUnit, period: r.period!, disaggregation: r.disaggregation ?? '' });
    await this.db.transaction(async (tx) => {
      await assertUnlocked(tx, target.lockingSubmission);
      await tx.query('DELETE FROM evidence WHERE id = $1', [id]);
      if (r.storageRef) await this.store.remove(tx, r.storageRef);
      await appendAudit(tx, {
        actor: actorName(p), action: 'evidence.delete', entity: 'evidence', entityId: id, orgUnit: r.orgUnit,
        detail: { kind: r.kind, fileName: r.fileName, sha256: r.sha256, url: r.url, uploadedBy: r.uploadedBy },
      });
    });
  }

  private async insert(tx: Queryable, p: Principal, t: ResolvedTarget, e: {
    kind: 'file' | 'link'; url?: string; fileName?: string; mediaType?: string; sizeBytes?: number; sha256?: string;
    storage?: string; storageRef?: string; description: string;
  }): Promise<number> {
    const r = await tx.query<{ id: number }>(
      `INSERT INTO evidence (kind, submission_id, indicator_id, org_unit_id, period_id, disagg, url, file_name, media_type, size_bytes,
         sha256, storage, storage_ref, description, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
      [e.kind, t.submissionId, t.indicatorId, t.orgUnitId, t.periodId, t.disagg, e.url ?? null, e.fileName ?? null, e.mediaType ?? null,
        e.sizeBytes ?? null, e.sha256 ?? null, e.storage ?? null, e.storageRef ?? null, e.description.slice(0, 2000), actorName(p)]);
    return r.rows[0]!.id;
  }
}

function describeTarget(t: EvidenceTarget): Record<string, unknown> {
  return 'submissionId' in t ? { submissionId: t.submissionId } : { indicator: t.indicator, orgUnit: t.orgUnit, period: t.period, disaggregation: t.disaggregation ?? '' };
}
