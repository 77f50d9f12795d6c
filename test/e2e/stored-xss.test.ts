/**
 * Stored XSS: script-shaped text saved through the API in every free-text field the web app shows (value comments,
 * display names, return reasons, evidence descriptions, file names and links, lock-exception reasons) stays text on
 * every screen that shows it: nothing runs, no dialog opens, and the reader sees exactly what was typed.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startWebServer, type WebServer } from './web-server.ts';
import { apiHeaders, signInContext } from './demo-users.ts';
import { DEMO_PASSWORD, seedDemoUsers } from '../../src/governance/demo-users.ts';

const SHOTS = 'screenshots/e2e';
const PAYLOADS = ['<img src=x onerror="window.__xss=1">', '"><script>window.__xss=1</script>', 'javascript:window.__xss=1'];
const FRAMEWORK = 'NPVE-2024';
const DISTRICT = 'PK-PB-LHR';
const COMMENTED = ['RCH-05', 'RCH-06', 'REV-04'] as const;

/**
 * The quarter under way, which the demo data and its approval history stop before: its report is the one returned
 * three times. The last ended quarter is the one locked, by the demo's own approvals or by submitting it here.
 */
function quarters(now = new Date()): [string, string] {
  const q = Math.floor(now.getMonth() / 3) + 1;
  const y = now.getFullYear();
  return [`${y}Q${q}`, q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`];
}
const [RETURNED, LOCKED] = quarters();

let server: WebServer;
let browser: Browser;
let admin: Record<string, string>;
let clerk: Record<string, string>;
let reviewer: Record<string, string>;
let returnedId: number;
let lockedId: number;
/** The evidence as the server stored it: the multipart encoding and the URL parser may have changed what was sent. */
const stored = { fileNames: [] as string[], urls: [] as string[] };
const xssUsers = PAYLOADS.map((_, i) => `xss.user${i + 1}`);

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: body === undefined || body instanceof FormData ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  return { status: res.status, json };
}

async function ok(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<any> {
  const r = await call(method, path, headers, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
  await seedDemoUsers(server.conn.db);
  admin = await apiHeaders(server.conn.db, 'nacta.admin');
  clerk = await apiHeaders(server.conn.db, 'lahore.clerk');
  reviewer = await apiHeaders(server.conn.db, 'lahore.reviewer');

  // Three of the district's values, each with a comment.
  for (const [i, indicator] of COMMENTED.entries()) {
    const saved = await ok('PUT', '/api/data-values', clerk, { indicator, orgUnit: DISTRICT, period: RETURNED, value: 10 * (i + 1), comment: PAYLOADS[i] });
    expect(saved.status, indicator).not.toBe('error');
  }
  for (const [i, username] of xssUsers.entries()) {
    await ok('POST', '/api/users', admin, { username, displayName: PAYLOADS[i], password: DEMO_PASSWORD, grants: [{ role: 'data_clerk', orgUnit: DISTRICT }] });
  }
  // Submitted and returned once per payload: the history holds every reason, the report ends returned.
  for (const reason of PAYLOADS) {
    returnedId = (await ok('POST', '/api/submissions/submit', clerk, { framework: FRAMEWORK, orgUnit: DISTRICT, period: RETURNED })).id;
    await ok('POST', `/api/submissions/${returnedId}/return`, reviewer, { reason });
  }
  for (const text of PAYLOADS) {
    stored.urls.push((await ok('POST', '/api/evidence/link', clerk, { submissionId: returnedId, url: `https://example.org/report?q=${text}`, description: text })).url);
    const form = new FormData();
    form.set('submissionId', String(returnedId));
    form.set('description', text);
    form.set('file', new Blob(['indicator,value\nRCH-05,3\n'], { type: 'text/csv' }), `${text}.csv`);
    stored.fileNames.push((await ok('POST', '/api/evidence', clerk, form)).fileName);
  }
  // The demo may have accepted the older quarter already; otherwise submitting it locks it.
  const [older] = await ok('GET', `/api/submissions?framework=${FRAMEWORK}&orgUnit=${DISTRICT}&period=${LOCKED}`, admin) as { id: number; status: string }[];
  lockedId = older && older.status !== 'draft' && older.status !== 'returned'
    ? older.id
    : (await ok('POST', '/api/submissions/submit', clerk, { framework: FRAMEWORK, orgUnit: DISTRICT, period: LOCKED })).id;
  for (const reason of PAYLOADS) await ok('POST', '/api/lock-exceptions', admin, { submissionId: lockedId, reason, hours: 24 });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a screen signed in, watching for dialogs; returns the page and the dialogs' messages. */
async function open(path: string, user: string, ready: string): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await signInContext(context, server.url, user);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor({ timeout: 20_000 });
  await page.waitForLoadState('networkidle');
  return { page, dialogs };
}

/** Nothing the payloads carry ran or was parsed into the page: no flag, no dialog, no injected image or script. */
async function expectInert(page: Page, dialogs: string[], shot: string, height?: number): Promise<void> {
  // A long form is shot to the height that holds what the test reads.
  await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true, clip: height ? { x: 0, y: 0, width: 1366, height } : undefined });
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => [...document.scripts].filter((s) => s.textContent?.includes('__xss')).length)).toBe(0);
  expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

describe('script-shaped text stored through the API', () => {
  it('is refused as an evidence link that is not http(s)', async () => {
    const r = await call('POST', '/api/evidence/link', clerk, { submissionId: returnedId, url: PAYLOADS[2], description: 'x' });
    expect(r.status).toBe(400);
  });

  it('stays text in the data-entry form: value comments and the return reason', async () => {
    const { page, dialogs } = await open(`/data-entry?orgUnit=${DISTRICT}&period=${RETURNED}`, 'lahore.clerk', `#entry-${COMMENTED[0]} label.comment input`);
    await expectInert(page, dialogs, 'xss-data-entry', 1500);
    for (const [i, indicator] of COMMENTED.entries()) expect(await page.locator(`#entry-${indicator} label.comment input`).inputValue()).toBe(PAYLOADS[i]);
    expect(await texts(page, '.returned-reason')).toEqual([expect.stringContaining(PAYLOADS[2]!)]);
    await page.context().close();
  });

  it('stays text on the indicator page with its value history', async () => {
    // The history names who changed which value; the API gives it no comments, so here nothing may run at all.
    const { page, dialogs } = await open(`/indicators/${COMMENTED[0]}?orgUnit=${DISTRICT}`, 'lahore.clerk', '.chart svg');
    await expectInert(page, dialogs, 'xss-indicator');
    await page.context().close();
  });

  it('stays text in the users list and in the header of a user so named', async () => {
    const { page, dialogs } = await open('/admin/users', 'nacta.admin', 'table.users td.display-name');
    await expectInert(page, dialogs, 'xss-users');
    const names = await texts(page, 'table.users td.display-name');
    for (const p of PAYLOADS) expect(names).toContain(p);
    await page.context().close();

    for (const [i, user] of xssUsers.entries()) {
      // Created by an administrator, the account must change its password first: the header names it meanwhile.
      const signedIn = await open('/', user, 'header .display-name');
      await expectInert(signedIn.page, signedIn.dialogs, `xss-header-${i + 1}`);
      expect(await texts(signedIn.page, 'header .display-name')).toEqual([PAYLOADS[i]]);
      await signedIn.page.context().close();
    }
  });

  it('stays text on the submission screen: return reasons, evidence descriptions, file names and links', async () => {
    const { page, dialogs } = await open(`/submissions/${returnedId}`, 'nacta.admin', '.evidence-list li');
    await expectInert(page, dialogs, 'xss-submission');
    expect((await texts(page, 'table.history td.reason')).filter(Boolean)).toEqual(PAYLOADS);
    expect(stored.fileNames.some((n) => n.includes('<img'))).toBe(true);
    expect(await texts(page, '.evidence-file')).toEqual(expect.arrayContaining(stored.fileNames));
    expect(await texts(page, '.evidence-link')).toEqual(expect.arrayContaining(stored.urls));
    expect(await texts(page, '.evidence-description')).toEqual(expect.arrayContaining(PAYLOADS.map((p) => ` — ${p}`)));
    for (const href of await page.locator('.evidence-link').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).protocol))) expect(href).toBe('https:');
    await page.context().close();
  });

  it('stays text in the lock exceptions list', async () => {
    const { page, dialogs } = await open('/admin/lock-exceptions', 'nacta.admin', 'table.locks tbody tr');
    await expectInert(page, dialogs, 'xss-lock-exceptions');
    expect(await page.locator('table.locks tbody tr td:nth-child(2)').allTextContents()).toEqual(expect.arrayContaining(PAYLOADS));
    await page.context().close();
  });

  it('stays text in the audit viewer\'s details', async () => {
    const { page, dialogs } = await open('/admin/audit', 'nacta.admin', 'table.audit tbody tr');
    await expectInert(page, dialogs, 'xss-audit');
    const shown = await texts(page, 'table.audit .audit-fields dd');
    // Each payload as a display name, a return reason and a lock reason; the evidence file names as stored.
    for (const p of PAYLOADS) expect(shown.filter((t) => t === p).length, p).toBeGreaterThanOrEqual(3);
    expect(shown).toEqual(expect.arrayContaining(stored.fileNames));
    await page.context().close();
  });
});
