/**
 * The review pack as a committee member gets it: built over the synthetic demo, every figure checked against
 * the analytics API, and its first pages rendered from the PDF and compared with the checked-in screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Connection } from '../../src/db/connect.ts';
import { buildServer } from '../../src/api/server.ts';
import { seedDemoValues, seedReferenceData } from '../../src/seed/seed.ts';
import { buildReviewPack, reviewPackPdf } from '../../src/reports/review-pack-service.ts';
import { createTestDatabase } from '../test-database.ts';
import { injectAsAdmin } from '../sign-in.ts';

let conn: Connection;
let app: FastifyInstance;
const GENERATED_AT = new Date('2026-01-15T06:00:00Z');
const SCREENSHOTS = new URL('./screenshots/', import.meta.url);
const out = mkdtempSync(join(tmpdir(), 'jaiza-pack-'));

beforeAll(async () => {
  conn = await createTestDatabase();
  await seedReferenceData(conn.db);
  await seedDemoValues(conn.db);
  app = await buildServer(conn);
  await injectAsAdmin(app, conn.db);
}, 300_000);
afterAll(async () => {
  await app?.close();
  await conn?.close();
});

/** Every value cell of the pack: the indicator, area and period it answers, and the number behind the text. */
function packFigures(html: string): { indicator: string; orgUnit: string; period: string; value: number | null }[] {
  return parse(html).querySelectorAll('td[data-indicator]').map((td) => ({
    indicator: td.getAttribute('data-indicator')!,
    orgUnit: td.getAttribute('data-org-unit')!,
    period: td.getAttribute('data-period')!,
    value: td.getAttribute('data-value') === '' ? null : Number(td.getAttribute('data-value')),
  }));
}

describe('quarterly review pack', () => {
  for (const orgUnit of ['PK', 'PK-KP']) {
    it(`shows for ${orgUnit} the analytics API's own value for every KPI of the demo`, async () => {
      const pack = await buildReviewPack(conn.db, { period: '2025Q4', orgUnit, lang: 'en', generatedAt: GENERATED_AT });
      const figures = packFigures(pack.html);
      const kpis = new Set(figures.map((f) => f.indicator));
      expect(kpis.size).toBe(pack.data.annex.length);
      expect(kpis.size).toBeGreaterThan(orgUnit === 'PK' ? 100 : 90);
      let compared = 0;
      for (const f of figures) {
        // The committee's pack reads approved values: the analytics API answers the same at the same stage.
        const res = await app.inject({ url: `/api/analytics?indicator=${f.indicator}&orgUnit=${f.orgUnit}&period=${f.period}&stage=approved` });
        expect(res.statusCode).toBe(200);
        const [cell] = res.json() as { value: number | null }[];
        expect(f.value, `${f.indicator} ${f.orgUnit} ${f.period}`).toBe(cell!.value);
        if (f.value !== null) compared++;
      }
      expect(compared).toBeGreaterThan(150);
    });
  }

  it('shows the scorecard API\'s shares in its pillar × province grid', async () => {
    const pack = await buildReviewPack(conn.db, { period: '2025Q4', lang: 'ur', generatedAt: GENERATED_AT });
    const grid = (await app.inject({ url: '/api/scorecard?framework=NPVE-2024&assessedAt=2025Q4' })).json();
    const cells = parse(pack.html).querySelectorAll('td[data-pillar]');
    expect(cells.length).toBeGreaterThan(20);
    for (const td of cells) {
      const cell = grid.cells.find((c: { pillar: string; orgUnit: string }) => c.pillar === td.getAttribute('data-pillar') && c.orgUnit === td.getAttribute('data-org-unit'));
      expect(Number(td.getAttribute('data-share'))).toBe(cell.onTrackShare);
    }
  });

  it('shows the evidence coverage API\'s shares, by institution, for the values it reviews', async () => {
    // One KP report of the quarter carries a link; its values count as evidenced, the others do not.
    await conn.db.query(
      `INSERT INTO evidence (kind, submission_id, url, description, uploaded_by)
       SELECT 'link', s.id, 'https://kp.gov.pk/pve/register-2025q4.pdf', 'Quarterly register', 'test'
         FROM submission s JOIN org_unit o ON o.id = s.org_unit_id JOIN period p ON p.id = s.period_id JOIN framework f ON f.id = s.framework_id
        WHERE o.code = 'PK-KP' AND p.code = '2025Q4' AND f.code = 'NPVE-2024'`);
    const pack = await buildReviewPack(conn.db, { period: '2025Q4', orgUnit: 'PK-KP', lang: 'en', generatedAt: GENERATED_AT });
    const api = (await app.inject({ url: '/api/evidence/coverage?period=2025Q4&orgUnit=PK-KP&by=institution&framework=NPVE-2024&stage=approved' })).json();
    expect(api.rows.length).toBeGreaterThan(3);
    expect(api.rows.some((r: { share: number }) => r.share > 0)).toBe(true);
    const rows = parse(pack.html).querySelectorAll('tr[data-institution]');
    expect(rows.map((tr) => [tr.getAttribute('data-institution'), Number(tr.getAttribute('data-share'))]))
      .toEqual(api.rows.map((r: { key: string; share: number }) => [r.key, r.share]));
    expect(pack.html).toContain('Evidence coverage by institution');
  });

  it('says so when the quarter has no approved data, instead of failing', async () => {
    // Every report of the latest demo quarter back to submitted: values are stored, none approved.
    await conn.db.query(`UPDATE submission s SET status = 'submitted' FROM period p WHERE p.id = s.period_id AND p.start_date >= '2026-07-01'`);
    const stored = (await app.inject({ url: '/api/analytics?indicator=RCH-05&orgUnit=PK&period=2026Q3' })).json();
    expect(stored[0].value).not.toBeNull();
    const latest = await buildReviewPack(conn.db, { period: '2026Q3', lang: 'en', generatedAt: GENERATED_AT });
    expect(latest.data.hasData).toBe(false);
    expect(latest.html).toContain('No approved data has been reported for Jul–Sept 2026');
    const pack = await buildReviewPack(conn.db, { period: '2030Q1', lang: 'en', generatedAt: GENERATED_AT });
    expect(pack.data.hasData).toBe(false);
    expect(pack.html).toContain('No approved data has been reported for Jan–Mar 2030');
    const res = await app.inject({ url: '/api/review-packs?period=2030Q1&lang=ur&format=html' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('کوئی منظور شدہ ڈیٹا رپورٹ نہیں ہوا');
    expect((await app.inject({ url: '/api/review-packs?period=2025Q4&orgUnit=PK-PB-LHR' })).statusCode).toBe(422);
    expect((await app.inject({ url: '/api/review-packs?period=2025Q4&colour=red' })).statusCode).toBe(400);
  });

  it('marked for release, shows only public KPIs, each as the public API publishes it', async () => {
    const pack = await buildReviewPack(conn.db, { period: '2025Q4', orgUnit: 'PK-KP', lang: 'en', release: { rule: { threshold: 10 } }, generatedAt: GENERATED_AT });
    const codes = new Set(pack.data.annex.map((k) => k.code));
    for (const internal of ['RSK-03', 'RSK-08', 'RIN-06']) expect(codes.has(internal)).toBe(false);
    for (const k of pack.data.annex) {
      if (k.unitType === 'count' && k.current.value !== null) expect(k.current.value === 0 || k.current.value >= 10, k.code).toBe(true);
      const published = (await app.inject({ url: `/api/public/indicators/${k.code}/data.json?orgUnit=PK-KP&period=${k.current.period}` })).json();
      const total = published.observations.find((o: Record<string, unknown>) => published.categories.every((c: string) => o[c] === null));
      expect({ value: k.current.value, suppressed: k.current.suppressed }, k.code).toEqual(
        total ? { value: total.value, suppressed: total.suppressed } : { value: null, suppressed: null });
    }
    expect(pack.html).toContain('For release');
  });

  for (const lang of ['en', 'ur'] as const) {
    it(`renders its first pages in ${lang === 'en' ? 'English' : 'Urdu'} as the checked-in screenshots show`, async () => {
      const pack = await buildReviewPack(conn.db, { period: '2025Q4', lang, generatedAt: GENERATED_AT });
      const pdf = join(out, `pack-${lang}.pdf`);
      writeFileSync(pdf, await reviewPackPdf(pack, lang));
      const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
      expect(fonts).toMatch(lang === 'ur' ? /NotoNastaliqUrdu\S*\s.*\byes\b/ : /NotoSans\S*\s.*\byes\b/);
      execFileSync('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', '2', pdf, join(out, `page-${lang}`)]);
      const pages = readdirSync(out).filter((f) => f.startsWith(`page-${lang}-`)).sort();
      expect(pages).toHaveLength(2);
      for (const [i, file] of pages.entries()) {
        const actual = PNG.sync.read(readFileSync(join(out, file)));
        const expected = PNG.sync.read(readFileSync(new URL(`review-pack-${lang}-page${i + 1}.png`, SCREENSHOTS)));
        expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
        const diff = pixelmatch(actual.data, expected.data, undefined, actual.width, actual.height, { threshold: 0.2 });
        // Antialiasing may differ a little between Chromium builds; the layout, text and direction may not.
        expect(diff / (actual.width * actual.height), `${file} differs from its screenshot`).toBeLessThan(0.01);
      }
    });
  }
});
