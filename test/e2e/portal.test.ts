/**
 * The portal as a journalist sees it: every page rendered in Chromium with JavaScript off, checked for values
 * that must never appear (an internal indicator's, a small count), and weighed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import type { Connection } from '../../src/db/connect.ts';
import { buildServer } from '../../src/api/server.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/reports/html-to-pdf.ts';
import { createTestDatabase } from '../test-database.ts';
import { loadTestFramework } from '../fixture-framework.ts';
import { injectAsAdmin } from '../sign-in.ts';
import { acceptAll } from '../accept-all.ts';

let conn: Connection;
let app: FastifyInstance;
let browser: Browser;
let base: string;

// Values no page may show: an internal indicator's (T-PKR), Kasur's 7 women (a small count), and Karachi's
// 2025Q3 report, submitted but not accepted.
const INTERNAL_VALUE = '987654';
const UNACCEPTED_VALUE = '4242';
const CSV = [
  'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment',
  'T-COUNT,PK-PB-LHR,2025Q3,,110,,,',
  'T-COUNT,PK-PB-LHR,2025Q4,,120,,,',
  'T-COUNT,PK-PB-LHR,2025Q4,sex=F,50,,,',
  'T-COUNT,PK-PB-LHR,2025Q4,sex=M,70,,,',
  'T-COUNT,PK-PB-KSR,2025Q4,,40,,,',
  'T-COUNT,PK-PB-KSR,2025Q4,sex=F,7,,,',
  'T-COUNT,PK-PB-KSR,2025Q4,sex=M,33,,,',
  'T-COUNT,PK-SD-KHI,2025Q4,,200,,,',
  'T-PCT,PK-PB-LHR,2025Q4,,,45,60,',
  `T-PKR,PK-PB,2025Q4,,${INTERNAL_VALUE},,,`,
  `T-PKR,PK-SD,2025Q4,,${INTERNAL_VALUE},,,`,
  `T-COUNT,PK-SD-KHI,2025Q3,,${UNACCEPTED_VALUE},,,`,
].join('\n');

beforeAll(async () => {
  conn = await createTestDatabase();
  await loadTestFramework(conn.db);
  await conn.db.query(`UPDATE indicator SET public = false WHERE code = 'T-PKR'`);
  app = await buildServer(conn);
  await injectAsAdmin(app, conn.db);
  const res = await app.inject({ method: 'POST', url: '/api/imports?format=csv', headers: { 'content-type': 'text/csv' }, payload: CSV });
  expect(res.json()).toMatchObject({ status: 'success' });
  await acceptAll(conn.db, [{ orgUnit: 'PK-SD-KHI', period: '2025Q3', status: 'approved_province' }]);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await conn?.close();
});

const PAGES = ['', '/provinces/PK-PB', '/indicators', '/indicators/T-COUNT', '/indicators/T-COUNT?period=2025Q4&area=PK-PB', '/indicators/T-PCT',
  '/reporting', '/downloads'];

/** The page as Chromium renders it without JavaScript, and the bytes that crossed the wire to load it. */
async function visit(path: string): Promise<{ status: number; text: string; html: string; bytes: number; dir: string | null }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  let bytes = 0;
  const requests: Promise<number>[] = [];
  page.on('requestfinished', (r) => requests.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
  const res = await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
  for (const size of await Promise.all(requests)) bytes += size;
  const text = await page.innerText('body');
  const html = await page.content();
  const dir = await page.getAttribute('html', 'dir');
  await context.close();
  return { status: res!.status(), text, html, bytes, dir };
}

describe('transparency portal in Chromium', () => {
  it('shows no value or name of an internal indicator, nor a value NACTA has not accepted, on any page, in either language', async () => {
    for (const lang of ['en', 'ur']) {
      for (const path of PAGES) {
        const page = await visit(`/portal/${lang}${path}`);
        expect(page.status, path).toBe(200);
        expect(page.html, path).not.toContain(INTERNAL_VALUE);
        expect(page.html, path).not.toContain('987,654');
        expect(page.html, path).not.toContain(UNACCEPTED_VALUE);
        expect(page.html, path).not.toContain('4,242');
        expect(page.text, path).not.toContain('T-PKR');
        expect(page.text, path).not.toContain('Budget');
      }
    }
    const hidden = await visit('/portal/en/indicators/T-PKR');
    expect(hidden.status).toBe(404);
    expect(hidden.text).toContain('There is no published page at this address.');
  });

  it('marks a suppressed cell with its symbol and explains it, and shows the published ones', async () => {
    const page = await visit('/portal/en/indicators/T-COUNT?period=2025Q4&area=PK-PB');
    expect(page.text).toMatch(/Kasur\s+40\s+\[c\]\s+\[c\]/);
    expect(page.text).toContain('Suppressed so that no one can be identified: a count from 1 to 9');
    expect(page.text).toMatch(/Definition[\s\S]*Trend[\s\S]*Values[\s\S]*Methodology[\s\S]*Source/);
    expect(page.html).toContain('<svg');
    const ur = await visit('/portal/ur/indicators/T-COUNT?period=2025Q4&area=PK-PB');
    expect(ur.dir).toBe('rtl');
    expect(ur.text).toContain('قصور');
    expect(ur.text).toContain('[پ]');
    expect(ur.text).toContain('تعریف');
  });

  it('is small enough for a slow connection: compressed, no script, English pages under 15 kB, Urdu under 200 kB with its font', async () => {
    for (const path of ['', '/indicators/T-COUNT']) {
      const en = await visit(`/portal/en${path}`);
      const ur = await visit(`/portal/ur${path}`);
      expect(en.html).not.toContain('<script');
      expect(en.bytes, path).toBeLessThan(15_000);
      expect(ur.bytes, path).toBeLessThan(200_000);
      // The Urdu font is the one extra file; the browser keeps it for a year.
      expect(ur.bytes - en.bytes, path).toBeGreaterThan(100_000);
    }
    const font = await fetch(`${base}/portal/assets/noto-nastaliq-urdu.woff2`);
    expect(font.headers.get('cache-control')).toContain('immutable');
  });
});
