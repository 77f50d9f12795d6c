import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase } from './test-database.ts';
import { loadTestFramework } from './fixture-framework.ts';
import { routeApp } from './route-app.ts';
import { signIn } from './sign-in.ts';
import type { Connection } from '../src/db/connect.ts';
import { ValueSaver } from '../src/datavalues/value-saver.ts';
import { evidenceRoutes } from '../src/api/routes/evidence-routes.ts';
import { evidenceStore } from '../src/evidence/evidence-store.ts';

const LIMIT = 64 * 1024;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const ELF = Buffer.concat([Buffer.from('7f454c4602010100000000000000000002003e00', 'hex'), Buffer.alloc(64)]);
const LHR_Q1 = { indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q1', disaggregation: '' };

type Headers = Record<string, string>;

/** A multipart body as a browser's FormData would send it. */
async function form(fields: Record<string, string>, file?: { name: string; bytes: Buffer; type?: string }): Promise<{ payload: Buffer; headers: Headers }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (file) fd.set('file', new Blob([file.bytes], { type: file.type ?? 'application/pdf' }), file.name);
  const r = new Response(fd);
  return { payload: Buffer.from(await r.arrayBuffer()), headers: { 'content-type': r.headers.get('content-type')! } };
}

describe('evidence over HTTP', () => {
  let conn: Connection;
  let app: FastifyInstance;
  let lahore: Headers;
  let sindh: Headers;

  const evidenceRows = async () => (await conn.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence')).rows[0]!.n;
  const upload = async (as: Headers, fields: Record<string, string>, file = { name: 'register.pdf', bytes: PDF }) => {
    const body = await form(fields, file);
    return app.inject({ method: 'POST', url: '/api/evidence', payload: body.payload, headers: { ...as, ...body.headers } });
  };

  beforeAll(async () => {
    conn = await createTestDatabase();
    await loadTestFramework(conn.db);
    const saver = new ValueSaver(conn.db);
    for (const v of [
      { ...LHR_Q1, value: '10' },
      { indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q3', disaggregation: '', value: '7' },
      // The coverage period: four Punjab values and one in Sindh.
      { indicator: 'T-COUNT', orgUnit: 'PK-PB-LHR', period: '2025Q2', disaggregation: '', value: '5' },
      { indicator: 'T-PCT', orgUnit: 'PK-PB-LHR', period: '2025Q2', disaggregation: '', numerator: '3', denominator: '4' },
      { indicator: 'T-COUNT', orgUnit: 'PK-PB-KSR', period: '2025Q2', disaggregation: '', value: '6' },
      { indicator: 'T-PCT', orgUnit: 'PK-PB-KSR', period: '2025Q2', disaggregation: '', numerator: '1', denominator: '2' },
      { indicator: 'T-COUNT', orgUnit: 'PK-SD-KHI', period: '2025Q2', disaggregation: '', value: '2' },
    ]) {
      expect((await saver.save(v, 'clerk')).status).not.toBe('error');
    }
    app = await routeApp(conn.db, (a) => evidenceRoutes(a, conn.db, evidenceStore(null), LIMIT));
    lahore = (await signIn(conn.db, 'data_clerk', 'PK-PB-LHR')).headers;
    sindh = (await signIn(conn.db, 'data_clerk', 'PK-SD')).headers;
  });
  afterAll(async () => {
    await app?.close();
    await conn?.close();
  });

  it('a PDF attached to a value is listed and downloads byte for byte as an attachment that cannot run script', async () => {
    const res = await upload(lahore, { ...LHR_Q1, description: 'Training register' }, { name: 'رجسٹر <Q1>.pdf', bytes: PDF });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    expect(item).toMatchObject({ kind: 'file', ...LHR_Q1, mediaType: 'application/pdf', sizeBytes: PDF.length, description: 'Training register' });
    // The name as given is kept for display; only the download's headers use a safe one.
    expect(item.fileName).toBe('رجسٹر <Q1>.pdf');
    expect(item.uploadedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const list = await app.inject({ method: 'GET', url: '/api/evidence?indicator=T-COUNT&orgUnit=PK-PB-LHR&period=2025Q1', headers: lahore });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().map((e: { id: number }) => e.id)).toEqual([item.id]);
    const vague = await app.inject({ method: 'GET', url: '/api/evidence?orgUnit=PK-PB-LHR', headers: lahore });
    expect(vague.statusCode).toBe(400);

    const file = await app.inject({ method: 'GET', url: `/api/evidence/${item.id}/file`, headers: lahore });
    expect(file.statusCode, file.body).toBe(200);
    expect(Buffer.compare(file.rawPayload, PDF)).toBe(0);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="Q1_.pdf"; filename*=UTF-8''Q1_.pdf`);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toMatch(/(^|;\s*)sandbox(;|$)/);
  });

  it('an executable named report.pdf is refused naming what it is, and nothing is stored', async () => {
    const before = await evidenceRows();
    const res = await upload(lahore, LHR_Q1, { name: 'report.pdf', bytes: ELF });
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toMatch(/x-elf/);
    expect(await evidenceRows()).toBe(before);
  });

  it('a file over the limit is a 413 that says the limit, and nothing is stored', async () => {
    const before = await evidenceRows();
    const big = Buffer.concat([PDF, Buffer.alloc(LIMIT)]);
    const res = await upload(lahore, LHR_Q1, { name: 'scan.pdf', bytes: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toContain(`${LIMIT} bytes`);
    expect(await evidenceRows()).toBe(before);
  });

  it('links must be http or https', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/evidence/link', headers: lahore,
      payload: { ...LHR_Q1, url: 'javascript:alert(document.cookie)', description: 'x' } });
    expect(bad.statusCode, bad.body).toBe(400);
    const good = await app.inject({ method: 'POST', url: '/api/evidence/link', headers: lahore,
      payload: { ...LHR_Q1, url: 'https://example.org/minutes', description: 'Minutes' } });
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json()).toMatchObject({ kind: 'link', url: 'https://example.org/minutes' });
  });

  it('a clerk in Sindh can neither list, download nor delete Lahore\'s evidence; an unknown id is a 404', async () => {
    const up = await upload(lahore, LHR_Q1);
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().id as number;
    const list = await app.inject({ method: 'GET', url: '/api/evidence?indicator=T-COUNT&orgUnit=PK-PB-LHR&period=2025Q1', headers: sindh });
    expect(list.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/evidence/${id}/file`, headers: sindh })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/api/evidence/${id}`, headers: sindh })).statusCode).toBe(403);
    expect((await upload(sindh, LHR_Q1)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/evidence/999999/file', headers: lahore })).statusCode).toBe(404);
    expect((await conn.db.query('SELECT 1 FROM evidence WHERE id = $1', [id])).rows).toHaveLength(1);
  });

  it('the uploader deletes evidence, and the deletion is audited', async () => {
    const up = await upload(lahore, LHR_Q1);
    const id = up.json().id as number;
    const del = await app.inject({ method: 'DELETE', url: `/api/evidence/${id}`, headers: lahore });
    expect(del.statusCode, del.body).toBe(204);
    expect((await conn.db.query('SELECT 1 FROM evidence WHERE id = $1', [id])).rows).toHaveLength(0);
    expect((await app.inject({ method: 'GET', url: `/api/evidence/${id}/file`, headers: lahore })).statusCode).toBe(404);
    const audit = (await conn.db.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_entry WHERE entity = 'evidence' AND entity_id = $1 ORDER BY id`, [String(id)])).rows;
    expect(audit.map((a) => a.action)).toEqual(['evidence.attach', 'evidence.delete']);
  });

  it('evidence of a submitted report cannot change: attach and delete are 409', async () => {
    const q3 = { ...LHR_Q1, period: '2025Q3' };
    const kept = await upload(lahore, q3);
    expect(kept.statusCode, kept.body).toBe(201);
    const sid = (await conn.db.query<{ id: number }>(
      `INSERT INTO submission (framework_id, org_unit_id, period_id, status, updated_by)
       SELECT f.id, o.id, p.id, 'submitted', 'clerk' FROM framework f, org_unit o, period p
        WHERE f.code = 'TEST' AND o.code = 'PK-PB-LHR' AND p.code = '2025Q3' RETURNING id`)).rows[0]!.id;
    const before = await evidenceRows();
    const toValue = await upload(lahore, q3);
    expect(toValue.statusCode, toValue.body).toBe(409);
    expect((await upload(lahore, { submissionId: String(sid) })).statusCode).toBe(409);
    const link = await app.inject({ method: 'POST', url: '/api/evidence/link', headers: lahore,
      payload: { submissionId: sid, url: 'https://example.org/a', description: '' } });
    expect(link.statusCode).toBe(409);
    expect((await app.inject({ method: 'DELETE', url: `/api/evidence/${kept.json().id}`, headers: lahore })).statusCode).toBe(409);
    expect(await evidenceRows()).toBe(before);

    // A lock exception opens the report's evidence as it opens its values.
    await conn.db.query(`INSERT INTO lock_exception (submission_id, reason, granted_by, expires_at) VALUES ($1, 'late register', 'admin', now() + interval '1 hour')`, [sid]);
    const excepted = await upload(lahore, q3);
    expect(excepted.statusCode, excepted.body).toBe(201);
  });

  it('coverage: the share of a period\'s values with evidence, by province, pillar and institution, within scope', async () => {
    const onePct = await upload(lahore, { indicator: 'T-PCT', orgUnit: 'PK-PB-LHR', period: '2025Q2' });
    expect(onePct.statusCode, onePct.body).toBe(201);
    const coverage = async (q: string, as?: Headers) => {
      const res = await app.inject({ method: 'GET', url: `/api/evidence/coverage?${q}`, headers: as });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().rows as { key: string; values: number; withEvidence: number; share: number }[];
    };
    expect(await coverage('period=2025Q2&orgUnit=PK&by=province')).toEqual([
      { key: 'PK-PB', nameEn: 'Punjab', nameUr: 'پنجاب', values: 4, withEvidence: 1, share: 0.25 },
      { key: 'PK-SD', nameEn: 'Sindh', nameUr: 'سندھ', values: 1, withEvidence: 0, share: 0 },
    ]);
    expect(await coverage('period=2025Q2&orgUnit=PK-PB&by=pillar&framework=TEST')).toMatchObject([{ key: 'P1', values: 4, withEvidence: 1, share: 0.25 }]);
    expect(await coverage('period=2025Q2&orgUnit=PK-PB&by=institution')).toMatchObject([{ key: 'T-HD', values: 4, withEvidence: 1, share: 0.25 }]);
    // A year holds its quarters (Q1 and Q3 have evidence from the tests above); a Lahore clerk's figure covers Lahore by default.
    expect(await coverage('period=2025&by=province', lahore)).toMatchObject([{ key: 'PK-PB', values: 4, withEvidence: 3 }]);

    // Evidence on Kasur's submission covers each of Kasur's values in it.
    await conn.db.query(
      `INSERT INTO submission (framework_id, org_unit_id, period_id, status, updated_by)
       SELECT f.id, o.id, p.id, 'draft', 'clerk' FROM framework f, org_unit o, period p WHERE f.code = 'TEST' AND o.code = 'PK-PB-KSR' AND p.code = '2025Q2'`);
    const sid = (await conn.db.query<{ id: number }>(`SELECT s.id FROM submission s JOIN org_unit o ON o.id = s.org_unit_id WHERE o.code = 'PK-PB-KSR'`)).rows[0]!.id;
    const link = await app.inject({ method: 'POST', url: '/api/evidence/link', payload: { submissionId: sid, url: 'https://example.org/ksr', description: '' } });
    expect(link.statusCode, link.body).toBe(201);
    expect(await coverage('period=2025Q2&orgUnit=PK-PB&by=pillar')).toMatchObject([{ key: 'P1', values: 4, withEvidence: 3, share: 0.75 }]);

    const outside = await app.inject({ method: 'GET', url: '/api/evidence/coverage?period=2025Q2&orgUnit=PK-PB&by=province', headers: sindh });
    expect(outside.statusCode).toBe(403);
  });
});
