/**
 * The web app in Debian's Chromium, against a server with its own demo data: what a data clerk and an M&E officer
 * do every day, in English and Urdu. Screenshots of every screen land in screenshots/e2e/ to be looked at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startWebServer, type WebServer } from './web-server.ts';
import { apiHeaders, signInContext } from './demo-users.ts';
import { seedDemoUsers } from '../../src/governance/demo-users.ts';
import { englishOnScreen } from './urdu-screen.ts';

const SHOTS = 'screenshots/e2e';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: WebServer;
let browser: Browser;
let admin: Record<string, string>;

/** The quarter under way: the demo data stops before it, so the form starts empty. */
function currentQuarter(now = new Date()): { code: string; previous: string } {
  const q = Math.floor(now.getMonth() / 3) + 1;
  const y = now.getFullYear();
  return { code: `${y}Q${q}`, previous: q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}` };
}
const QUARTER = currentQuarter();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
  // The seed's own demo accounts, where the server's seed has not created them.
  await seedDemoUsers(server.conn.db);
  admin = await apiHeaders(server.conn.db, 'nacta.admin');
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A signed-in context: the national administrator may enter data anywhere, the Lahore clerk only in Lahore. */
async function signedIn(username = 'nacta.admin'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await signInContext(context, server.url, username);
  return context;
}

async function open(path: string, opts: { lang?: 'en' | 'ur'; context?: BrowserContext; user?: string } = {}): Promise<Page> {
  const context = opts.context ?? (await signedIn(opts.user));
  if (opts.lang) await context.addInitScript((l) => window.localStorage.setItem('jaiza.lang', l), opts.lang);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

async function stored(indicator: string, orgUnit: string, period: string, disaggregation = ''): Promise<number | null> {
  const res = await fetch(`${server.url}/api/data-values?indicator=${indicator}&orgUnit=${orgUnit}&period=${period}&disaggregation=${encodeURIComponent(disaggregation)}`, { headers: admin });
  const rows = (await res.json()) as { orgUnit: string; value: number | null }[];
  return rows.find((r) => r.orgUnit === orgUnit)?.value ?? null;
}

/** The text of whatever matches now, without waiting for it to appear: polls stay within their own timeout. */
async function shown(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).allTextContents()).join(' ');
}

async function paste(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).focus();
  await page.locator(selector).evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** A demo user's home page, with every API answer it refused (status 400 or above) collected as it loads. */
async function homeAs(username: string) {
  const context = await signedIn(username);
  const refused: string[] = [];
  const page = await context.newPage();
  page.on('response', (r) => { if (r.url().includes('/api/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`); });
  await page.goto(server.url);
  return { context, page, refused };
}

describe('the web app in a browser', () => {
  it('opens the national scorecard for a signed-in user in under 2 s on the demo data', async () => {
    const loads: { ms: number; kb: Record<string, number> }[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await signedIn('committee.viewer');
      const page = await context.newPage();
      const kb: Record<string, number> = {};
      const sizes: Promise<void>[] = [];
      page.on('requestfinished', (r) => {
        // What went over the wire (compressed bodies and headers), by kind: app, data, the Urdu font, the chart library.
        const kind = r.url().includes('/api/') ? 'data' : r.url().includes('echarts') ? 'charts (idle prefetch)' : r.resourceType() === 'font' ? 'Urdu font' : 'app';
        sizes.push(r.sizes().then((s) => { kb[kind] = (kb[kind] ?? 0) + (s.responseBodySize + s.responseHeadersSize) / 1024; }));
      });
      const started = Date.now();
      await page.goto(server.url);
      await page.locator('table.score-grid td.cell').first().waitFor();
      const ms = Date.now() - started;
      await expect.poll(() => shown(page, 'header')).toContain('Sign out');
      await page.waitForLoadState('networkidle');
      await Promise.all(sizes);
      loads.push({ ms, kb });
      await context.close();
    }
    const ms = loads.map((l) => l.ms).sort((a, b) => a - b);
    const weight = Object.entries(loads[0]!.kb).map(([k, v]) => `${k} ${v.toFixed(0)} KB`).join(', ');
    process.stdout.write(`home page first load: ${ms.join(' / ')} ms; transferred: ${weight}\n`);
    expect(ms[1]).toBeLessThan(2000);
  });

  it('opens a district clerk\'s home at their own district, with its figures, no access error and no review pack', async () => {
    const { context, page, refused } = await homeAs('lahore.clerk');
    await page.locator('.data-table tbody tr td code').first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${SHOTS}/home-district-clerk-en.png`, fullPage: true });
    expect(await page.locator('h1').textContent()).toContain('Lahore');
    const api = await (await fetch(`${server.url}/api/scorecard/indicators?framework=NPVE-2024&orgUnit=PK-PB-LHR&assessedAt=${QUARTER.previous}`, { headers: admin })).json() as
      { indicator: string; latest: { value: number } | null }[];
    const latest = new Map(api.map((s) => [s.indicator, s.latest]));
    const rows = await page.locator('.data-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const figures = rows.filter((r) => latest.get(r[0]!));
    expect(figures.length).toBeGreaterThan(10);
    const fmt = new Intl.NumberFormat('en-PK', { maximumFractionDigits: 1 });
    for (const r of figures) expect(r[3], r[0]).toMatch(new RegExp(`^${fmt.format(latest.get(r[0]!)!.value).replace(/[.]/g, '\\.')} `));
    expect(refused).toEqual([]);
    expect(await page.locator('[role="alert"], .notice.error').count()).toBe(0);
    expect(await shown(page, 'main')).not.toMatch(/forbidden|not allowed|outside your|sign in/i);
    expect(await page.locator('.review-pack').count()).toBe(0);
    await context.close();
  });

  it('opens a province reviewer\'s home at their province\'s district grid, with the province\'s review pack as HTML and PDF', async () => {
    const { context, page, refused } = await homeAs('punjab.reviewer');
    await page.locator('table.score-grid td.cell').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('h1').textContent()).toContain('Punjab');
    expect(await page.locator('table.score-grid thead th').allTextContents()).toContain('Lahore');
    await page.locator('#review-pack-period').selectOption(QUARTER.previous);
    await page.locator('#review-pack-lang').selectOption('ur');
    await page.locator('#review-pack-format').selectOption('html');
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${SHOTS}/home-province-reviewer-en.png`, fullPage: true });
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Open the review pack' }).click()]);
    await tab.waitForLoadState();
    expect(new URL(tab.url()).searchParams.toString()).toBe(`period=${QUARTER.previous}&orgUnit=PK-PB&lang=ur&format=html`);
    expect(await tab.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await tab.locator('h1').textContent()).toContain('سہ ماہی جائزہ رپورٹ');
    await tab.close();

    await page.locator('#review-pack-format').selectOption('pdf');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('link', { name: 'Download the review pack' }).click()]);
    expect(download.suggestedFilename()).toBe(`jaiza-review-pack-PK-PB-${QUARTER.previous}-ur.pdf`);
    expect(readFileSync(await download.path()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(refused).toEqual([]);
    await context.close();
  }, 120_000);

  it('enters a quarter of values for a district by keyboard and paste, warns once, saves, and the indicator chart shows the new value within a second', async () => {
    const previous = await (await fetch(`${server.url}/api/data-entry/form?orgUnit=PK-PB-LHR&period=${QUARTER.previous}`, { headers: admin })).json() as
      { indicators: { code: string; values: { disaggregation: string; value: number | null }[] }[] };
    const before = (code: string, key = '') => previous.indicators.find((i) => i.code === code)!.values.find((v) => v.disaggregation === key)!.value!;
    const participants = before('RCH-06') + 2;

    const page = await open(`/data-entry?orgUnit=PK-PB-LHR&period=${QUARTER.code}`);
    await page.locator('#cell-RCH-05-total-value').focus();
    await page.keyboard.type(String(before('RCH-05')));
    await page.keyboard.press('Enter');
    // Enter goes down the grid, to the next indicator's total.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cell-RCH-06-total-value');
    await page.keyboard.type(String(participants));
    await page.locator('#cell-REV-04-total-value').focus();
    await page.keyboard.type(String(before('REV-04')));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cell-REV-04-sex_F-value');
    await paste(page, '#cell-REV-04-sex_F-value', `${before('REV-04', 'sex=F')}\t${before('REV-04', 'sex=M')}\r\n`);
    await expect.poll(() => page.locator('#cell-REV-04-sex_M-value').inputValue()).toBe(String(before('REV-04', 'sex=M')));
    await expect.poll(() => shown(page, '.save-status')).toContain('Pasted: 2.');

    const warnings = page.locator('.notice.warning li');
    await expect.poll(() => warnings.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('Dialogues should average at least five participants')]);
    await expect.poll(() => shown(page, '#msg-RCH-05-total-value')).toContain('Dialogues should average');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => shown(page, '.save-status'), { timeout: 10_000 }).toMatch(/Saved at .*: 5\./);
    expect(await stored('RCH-06', 'PK-PB-LHR', QUARTER.code)).toBe(participants);
    expect(await page.locator('.dirty').count()).toBe(0);

    const started = Date.now();
    await page.locator('#entry-RCH-06 h5 a').click();
    await page.locator('.chart text', { hasText: new RegExp(`^${participants}$`) }).first().waitFor({ timeout: 5000 });
    const ms = Date.now() - started;
    process.stdout.write(`new value in the indicator chart after ${ms} ms\n`);
    expect(ms).toBeLessThan(1000);
    await page.screenshot({ path: `${SHOTS}/indicator-after-entry-en.png`, fullPage: true });
    await page.context().close();
  });

  it('answers text in a number cell, a negative count and a value above the maximum next to the cell, and loses nothing typed', async () => {
    const page = await open(`/data-entry?orgUnit=PK-PB-LHR&period=${QUARTER.code}`);
    await page.locator('#cell-REV-13-total-value').fill('abc');
    await page.locator('#cell-REV-20-total-value').fill('-5');
    await expect.poll(() => shown(page, '#msg-REV-13-total-value')).toContain('“abc” is not a number');
    await expect.poll(() => shown(page, '#msg-REV-20-total-value')).toContain('Cannot be negative');
    expect(await page.locator('#cell-REV-13-total-value').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => shown(page, '.save-status'), { timeout: 10_000 }).toContain('Kept here to correct: 2.');
    await page.reload();
    expect(await page.locator('#cell-REV-13-total-value').inputValue()).toBe('abc');
    expect(await page.locator('#cell-REV-20-total-value').inputValue()).toBe('-5');
    await page.context().close();

    const fiscal = await open(`/data-entry?orgUnit=PK-PB&period=${QUARTER.code.slice(0, 4)}July`);
    await fiscal.locator('#cell-RCH-23-total-value').fill('150');
    await expect.poll(() => shown(fiscal, '#msg-RCH-23-total-value')).toContain('Above the maximum of 100');
    await fiscal.context().close();
  });

  it('keeps typed values through a reload and a lost connection, and sends them when the connection returns', async () => {
    const page = await open(`/data-entry?orgUnit=PK-PB-KSR&period=${QUARTER.code}`);
    await page.locator('#cell-REV-13-total-value').fill('4');
    await page.reload();
    await expect.poll(() => shown(page, '.notice[role="status"]')).toContain('typed earlier and not yet saved: 1.');
    expect(await page.locator('#cell-REV-13-total-value').inputValue()).toBe('4');

    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => shown(page, '.save-status')).toContain('No connection. Kept on this device: 1;');
    expect(await stored('REV-13', 'PK-PB-KSR', QUARTER.code)).toBeNull();
    await page.context().setOffline(false);
    await expect.poll(() => shown(page, '.save-status'), { timeout: 15_000 }).toMatch(/Saved at .*: 1\./);
    expect(await stored('REV-13', 'PK-PB-KSR', QUARTER.code)).toBe(4);
    await page.context().close();
  });

  it('imports a CSV after a dry run that names its one bad row, and refuses a file that is not data', async () => {
    const page = await open('/import');
    const csv = [
      'indicator,org_unit,period,disaggregation,value,numerator,denominator,comment',
      `RCH-05,PK-SD-KCN,${QUARTER.code},,300,,,`,
      `RSK-02,PK-SD-KCN,${QUARTER.code},,lots,,,`,
      `REV-13,PK-SD-KCN,${QUARTER.code},,2,,,`,
    ].join('\n');
    await page.locator('#import-file').setInputFiles({ name: 'karachi.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    const errors = page.locator('table', { has: page.locator('caption', { hasText: 'Rows that cannot be imported' }) }).locator('tbody tr');
    await expect.poll(() => errors.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringMatching(/^3Value"lots" is not a number/)]);
    expect(await page.getByText('Nothing was written.').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/import-report-en.png`, fullPage: true });
    expect(await page.getByRole('button', { name: /Import now/ }).count()).toBe(0);

    await page.getByLabel('Import the good rows even if some are bad').check();
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await page.getByRole('button', { name: 'Import now (values to write: 2)' }).click();
    await expect.poll(() => page.locator('h2', { hasText: 'Import done' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await stored('RCH-05', 'PK-SD-KCN', QUARTER.code)).toBe(300);

    await page.locator('#import-file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]) });
    await expect.poll(() => shown(page, '#import-file-msg')).toContain('“photo.png” is not a data file');
    expect(await page.getByRole('button', { name: 'Check the file (dry run)' }).isDisabled()).toBe(true);
    await page.locator('#import-file').setInputFiles({ name: 'values.csv', mimeType: 'text/csv', buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]) });
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect.poll(() => errors.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('Whole fileFile')]);
    await page.context().close();
  });

  it('switches to Urdu at any time: right to left, Nastaliq, and no English label left on any screen', async () => {
    // The national grid needs a national grant: a district clerk's scope stops at their district.
    const page = await open('/', { user: 'committee.viewer' });
    await page.locator('table.score-grid').waitFor();
    await page.getByRole('button', { name: 'اردو' }).click();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ur');
    expect(await page.getByRole('navigation', { name: 'مرکزی فہرست' }).getByRole('link').allTextContents())
      .toEqual(['اسکور کارڈ', 'رپورٹنگ کی تکمیل', 'فریم ورک']);
    expect(await page.locator('h1').textContent()).toBe('قومی اسکور کارڈ');
    expect(await page.locator('table.score-grid thead th').nth(1).textContent()).toBe('پنجاب');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('h1')!).fontFamily)).toContain('Noto Nastaliq Urdu');
    await page.context().close();
  });

  it('shows every screen in both languages with no accessibility violation and, in Urdu, no English label', async () => {
    const screens: [string, string, string][] = [
      ['home', '/', 'table.score-grid td.cell'],
      ['province', '/org-units/PK-PB', 'table.score-grid td.cell'],
      ['district', '/org-units/PK-PB-LHR', '.data-table tbody tr'],
      ['pillar', '/pillars/RCH', 'table.status-matrix tbody tr'],
      ['objective', '/objectives/RCH.2?orgUnit=PK-PB', 'table.status-matrix tbody tr'],
      ['indicator', '/indicators/RCH-06?orgUnit=PK-PB-LHR', '.chart svg'],
      ['data-entry', `/data-entry?orgUnit=PK-PB-LHR&period=${QUARTER.previous}`, '#cell-RCH-05-total-value'],
      ['import', '/import', '#import-file'],
      ['completeness', '/completeness', 'table.heatmap tbody tr'],
      ['framework', '/framework?q=REV', '.tree-indicator'],
    ];
    const problems: string[] = [];
    for (const lang of ['en', 'ur'] as const) {
      const context = await signedIn();
      for (const [name, path, ready] of screens) {
        const page = await open(path, { lang, context });
        await page.locator(ready).first().waitFor({ timeout: 20_000 });
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: `${SHOTS}/${name}-${lang}.png`, fullPage: true });
        if (lang === 'ur') {
          expect(await page.locator('html').getAttribute('dir'), name).toBe('rtl');
          for (const text of await englishOnScreen(page)) problems.push(`${name} (ur): English "${text}"`);
        }
        for (const v of await accessibilityViolations(page)) problems.push(`${name} (${lang}): ${v}`);
        await page.close();
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
