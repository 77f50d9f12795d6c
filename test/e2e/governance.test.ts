/**
 * The approval workflow in the browser, signed in through the sign-in screen as the demo accounts: a district clerk
 * corrects and submits a returned report with its evidence, reviewers return, approve and bulk-approve it, an
 * administrator opens and closes a lock exception and verifies the audit chain; then the same screens in Urdu.
 * Screenshots land in screenshots/e2e/governance-*.png to be looked at.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startWebServer, type WebServer } from './web-server.ts';
import { apiHeaders } from './demo-users.ts';
import { DEMO_PASSWORD, seedDemoUsers } from '../../src/governance/demo-users.ts';
import { englishOnScreen } from './urdu-screen.ts';

const SHOTS = 'screenshots/e2e';
const FRAMEWORK = 'NPVE-2024';
const DISTRICT = 'PK-PB-LHR';
const DEMO_REASON = 'The sex breakdown of people trained does not add up to the total for the quarter.';
const NEW_REASON = 'RCH-06 still counts the October session: keep it to the quarter and resubmit.';
const PDF_NAME = 'lahore-training-register.pdf';
const LINK = 'https://example.org/lahore/training-register-2026';

/**
 * The demo's approval history ends at the last ended quarter (Lahore's report returned, the rest a mix); the quarter
 * before it is accepted everywhere.
 */
function quarters(now = new Date()): [string, string] {
  const q = Math.floor(now.getMonth() / 3) + 1;
  const y = now.getFullYear();
  const back = (yy: number, qq: number): [number, number] => (qq === 1 ? [yy - 1, 4] : [yy, qq - 1]);
  const [ly, lq] = back(y, q);
  const [oy, oq] = back(ly, lq);
  return [`${ly}Q${lq}`, `${oy}Q${oq}`];
}
const [LATEST, ACCEPTED] = quarters();

let server: WebServer;
let browser: Browser;
let admin: Record<string, string>;
let lahoreId: number;
let pdf: Buffer;
/** The clerk's data-entry page and the Lahore reviewer's submission page, kept open from one step to the next. */
let clerkPage: Page;
let reviewerPage: Page;

async function api(method: string, path: string, headers = admin, body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
const submission = (id: number): Promise<{ status: string; lockedUntil: string | null }> => api('GET', `/api/submissions/${id}`);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
  await seedDemoUsers(server.conn.db);
  admin = await apiHeaders(server.conn.db, 'nacta.admin');
  [{ id: lahoreId }] = await api('GET', `/api/submissions?framework=${FRAMEWORK}&orgUnit=${DISTRICT}&period=${LATEST}`);
  // A real PDF, as Chromium prints one.
  const printer = await browser.newPage();
  await printer.setContent('<h1>Training register, Lahore</h1><p>Sessions, participants by sex, trainers.</p>');
  pdf = await printer.pdf({ format: 'A4' });
  await printer.close();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a path in a fresh browser, which shows the sign-in screen first; signs in there as a demo user. */
async function signIn(path: string, username: string, lang: 'en' | 'ur' = 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang === 'ur' ? 'ur-PK' : 'en-GB' });
  await context.addInitScript((l) => window.localStorage.setItem('jaiza.lang', l), lang);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.locator('.sign-in input[name="username"]').fill(username);
  await page.locator('.sign-in input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('.sign-in button[type="submit"]').click();
  await page.locator('header .display-name').waitFor();
  return page;
}

/** The text of whatever matches now, without waiting for it to appear: polls stay within their own timeout. */
async function shown(within: Page | Locator, selector: string): Promise<string> {
  return (await within.locator(selector).allTextContents()).join(' ');
}

/** A screenshot of the page, down to what a long list or form shows first. */
async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), 1600);
  await page.screenshot({ path: `${SHOTS}/governance-${name}.png`, fullPage: true, clip: { x: 0, y: 0, width: 1366, height } });
}

async function expectUrdu(page: Page, name: string): Promise<void> {
  expect(await page.locator('html').getAttribute('dir'), name).toBe('rtl');
  expect(await page.locator('html').getAttribute('lang'), name).toBe('ur');
  expect(await englishOnScreen(page), name).toEqual([]);
}

/** Every field of the data-entry form that takes a value or a comment, and how many of them can still be typed into. */
async function editableFields(page: Page): Promise<{ all: number; editable: number }> {
  return page.locator('.entry-grid input, .entry-grid select, .indicator-entry label.comment input').evaluateAll((els) => ({
    all: els.length,
    editable: els.filter((e) => !(e as HTMLInputElement).disabled && !(e as HTMLInputElement).readOnly).length,
  }));
}

describe('the approval workflow in a browser', () => {
  it('lets the Lahore clerk correct the returned report, attach a PDF and a link, and submit it; the form then locks and says why', async () => {
    clerkPage = await signIn(`/data-entry?orgUnit=${DISTRICT}&period=${LATEST}`, 'lahore.clerk');
    const page = clerkPage;
    await expect.poll(() => shown(page, '#submission-status'), { timeout: 20_000 }).toContain('Approval status: Returned');
    expect(await shown(page, '.returned-reason')).toContain(DEMO_REASON);

    const cell = page.locator('#cell-RCH-06-total-value');
    const corrected = Number(await cell.inputValue()) + 3;
    await cell.fill(String(corrected));
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => shown(page, '.save-status'), { timeout: 10_000 }).toMatch(/Saved at .*: 1\./);
    const [stored] = await api('GET', `/api/data-values?indicator=RCH-06&orgUnit=${DISTRICT}&period=${LATEST}&disaggregation=`) as { orgUnit: string; value: number }[];
    expect(stored!.value).toBe(corrected);

    // The report's own evidence: the file and the link go in one go.
    const evidence = page.locator('.report-evidence');
    await evidence.locator('input[type="file"]').setInputFiles({ name: PDF_NAME, mimeType: 'application/pdf', buffer: pdf });
    await evidence.getByLabel('Link').fill(LINK);
    await evidence.getByLabel('Description').fill('Training register for the quarter');
    await evidence.getByRole('button', { name: 'Attach evidence' }).click();
    await expect.poll(() => shown(evidence, '[role="status"]'), { timeout: 10_000 }).toContain('Evidence attached: 2.');
    await expect.poll(() => evidence.locator('.evidence-file').allTextContents()).toEqual([PDF_NAME]);
    expect(await evidence.locator('.evidence-link').allTextContents()).toEqual([LINK]);
    // Nothing left in the form to attach twice.
    expect(await evidence.locator('input[type="file"]').evaluate((el) => (el as HTMLInputElement).files?.length ?? 0)).toBe(0);
    expect(await evidence.getByLabel('Link').inputValue()).toBe('');
    const attached = await api('GET', `/api/evidence?submissionId=${lahoreId}`) as { fileName: string | null; url: string | null; mediaType: string | null }[];
    expect(attached.map((e) => e.fileName ?? e.url)).toEqual([PDF_NAME, LINK]);
    expect(attached[0]!.mediaType).toBe('application/pdf');

    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await expect.poll(() => shown(page, '#submission-status'), { timeout: 10_000 }).toContain('Approval status: Submitted');
    expect((await submission(lahoreId)).status).toBe('submitted');
    await expect.poll(() => shown(page, '#entry-read-only')).toContain('Read-only');
    expect(await shown(page, '#entry-read-only')).toMatch(/submitted for approval.*a reviewer returns it/i);
    const fields = await editableFields(page);
    expect(fields.all).toBeGreaterThan(50);
    expect(fields.editable).toBe(0);
    expect(await page.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Submit for approval' }).isDisabled()).toBe(true);
    // Nothing more can be attached to a locked report, to the report or to any of its values.
    expect(await evidence.locator('.evidence-upload').count()).toBe(0);
    expect(await page.locator('.entry-evidence').count()).toBe(0);
    // The read-only message explains the locked fields to a screen reader too.
    expect(await cell.getAttribute('aria-describedby')).toContain('entry-read-only');
    await shot(page, 'data-entry-submitted-en');
  });

  it('lets the Lahore reviewer see it in the inbox with its history and evidence, and return it only with a reason; the clerk sees the reason', async () => {
    reviewerPage = await signIn('/inbox', 'lahore.reviewer');
    const page = reviewerPage;
    const row = page.locator('table.inbox tbody tr', { has: page.locator(`a[href="/submissions/${lahoreId}"]`) });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toMatch(/^Lahore PK-PB-LHR.*Submitted/);
    await row.getByRole('link', { name: 'Open' }).click();

    await page.locator('table.history tbody tr').nth(2).waitFor();
    const history = await page.locator('table.history tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)));
    expect(history).toEqual([
      ['demo-seed', 'Draft → Submitted', ''],
      ['demo-seed', 'Submitted → Returned', expect.stringContaining(DEMO_REASON)],
      ['lahore.clerk', 'Returned → Submitted', ''],
    ]);
    expect(await page.locator('.evidence-file').allTextContents()).toEqual([PDF_NAME]);
    expect(await page.locator('.evidence-link').allTextContents()).toEqual([LINK]);
    expect(await page.locator('.evidence-link').getAttribute('href')).toBe(LINK);
    // A reviewer attaches nothing: the report is the submitter's.
    expect(await page.locator('.evidence-upload').count()).toBe(0);

    await page.getByRole('button', { name: 'Return…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Return with this reason' }).click();
    expect(await shown(dialog, '[role="alert"]')).toContain('A return needs a reason.');
    expect(await dialog.getByLabel('Reason (the submitter sees it)').getAttribute('aria-invalid')).toBe('true');
    expect((await submission(lahoreId)).status).toBe('submitted');
    await shot(page, 'submission-return-en');
    await dialog.getByLabel('Reason (the submitter sees it)').fill(NEW_REASON);
    await dialog.getByRole('button', { name: 'Return with this reason' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => shown(page, '[role="status"]')).toContain('Returned to the submitter.');
    await expect.poll(() => shown(page, '.facts')).toContain('Returned');
    expect((await submission(lahoreId)).status).toBe('returned');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    await clerkPage.reload();
    await expect.poll(() => shown(clerkPage, '.returned-reason'), { timeout: 20_000 }).toContain(NEW_REASON);
    expect(await shown(clerkPage, '.returned-reason')).not.toContain(DEMO_REASON);
    expect((await editableFields(clerkPage)).editable).toBeGreaterThan(50);
    expect(await clerkPage.locator('#entry-read-only').count()).toBe(0);
  });

  it('takes the resubmitted report through the Lahore reviewer\'s approval and the Punjab reviewer\'s bulk approval, naming what failed', async () => {
    await clerkPage.getByRole('button', { name: 'Submit for approval' }).click();
    await expect.poll(() => shown(clerkPage, '#submission-status'), { timeout: 10_000 }).toContain('Approval status: Submitted');
    await clerkPage.context().close();

    await reviewerPage.reload();
    await reviewerPage.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => shown(reviewerPage, '[role="status"]'), { timeout: 10_000 }).toContain('Approved.');
    await expect.poll(() => shown(reviewerPage, '.facts')).toContain('Approved at district');
    expect(await reviewerPage.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await reviewerPage.context().close();

    const page = await signIn('/inbox', 'punjab.reviewer');
    const rows = page.locator('table.inbox tbody tr');
    await rows.first().waitFor({ timeout: 20_000 });
    const inbox = await api('GET', '/api/submissions?inbox=true', await apiHeaders(server.conn.db, 'punjab.reviewer')) as { id: number; orgUnit: string; orgUnitName: string }[];
    expect(await rows.count()).toBe(inbox.length);
    const others = inbox.filter((s) => s.id !== lahoreId).slice(0, 3);
    expect(others.length).toBe(3);
    const picked = [lahoreId, ...others.map((s) => s.id)];
    for (const id of picked) await page.locator('table.inbox tbody tr', { has: page.locator(`a[href="/submissions/${id}"]`) }).getByRole('checkbox').check();
    // Another reviewer approves one of them meanwhile: at the next step it waits for NACTA, not for this reviewer.
    const gone = others[2]!;
    await api('POST', `/api/submissions/${gone.id}/approve`, admin, {});

    await page.getByRole('button', { name: 'Approve selected (4)' }).click();
    const result = page.locator('#bulk-result');
    await expect.poll(() => shown(page, '#bulk-result'), { timeout: 15_000 }).toContain('Approved: 3.');
    expect(await result.locator('.bulk-approved li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Lahore'), ...others.slice(0, 2).map((s) => expect.stringContaining(s.orgUnitName))]));
    expect(await result.locator('.bulk-failed li').allTextContents()).toEqual([expect.stringMatching(new RegExp(`${gone.orgUnitName}.*not yours to approve`))]);
    for (const id of picked) expect((await submission(id)).status, String(id)).toBe('approved_province');
    // The approved reports have left the inbox, and nothing stays selected.
    await expect.poll(() => rows.count()).toBe(inbox.length - 4);
    expect(await page.getByRole('button', { name: 'Approve selected (0)' }).isDisabled()).toBe(true);
    await shot(page, 'inbox-en');
    await page.context().close();
  });

  it('lets the national administrator grant a lock exception on an accepted report, see it listed and revoke it, and verify the audit chain', async () => {
    const [accepted] = await api('GET', `/api/submissions?framework=${FRAMEWORK}&orgUnit=${DISTRICT}&period=${ACCEPTED}`) as { id: number; status: string }[];
    expect(accepted!.status).toBe('accepted');
    const page = await signIn('/admin/lock-exceptions', 'nacta.admin');
    await page.locator('#lock-unit-province').selectOption('PK-PB');
    await page.locator('#lock-unit-district').selectOption(DISTRICT);
    await page.locator('#lock-period').fill(ACCEPTED);
    await page.locator('#lock-reason').fill('The district found two unreported training sessions in its register.');
    await page.locator('#lock-hours').fill('6');
    await page.getByRole('button', { name: 'Grant exception' }).click();
    await expect.poll(() => shown(page, '[role="status"]'), { timeout: 10_000 }).toContain('Exception granted.');
    const row = page.locator('table.locks tbody tr', { hasText: 'two unreported training sessions' });
    await row.waitFor();
    expect(await row.locator('td').first().textContent()).toMatch(/^Lahore, .*Accepted by NACTA$/);
    expect(await row.locator(`a[href="/submissions/${accepted!.id}"]`).count()).toBe(1);
    const until = Date.parse((await submission(accepted!.id)).lockedUntil!);
    expect(Math.abs(until - Date.now() - 6 * 3_600_000)).toBeLessThan(120_000);
    await shot(page, 'lock-exceptions-en');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => shown(page, '[role="status"]'), { timeout: 10_000 }).toContain('Exception revoked.');
    await expect.poll(() => row.count()).toBe(0);
    expect((await submission(accepted!.id)).lockedUntil).toBeNull();

    await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.locator('#audit-verify').waitFor({ timeout: 30_000 });
    await shot(page, 'audit-verify-en');
    const entries = Number((await server.conn.db.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_entry')).rows[0]!.n);
    expect(await shown(page, '#audit-verify')).toBe(`✓ The chain is intact: ${new Intl.NumberFormat('en-PK').format(entries)} entries checked.`);
    await page.context().close();
  }, 120_000);

  it('shows the inbox, the return dialog, lock exceptions and the audit check in Urdu, right to left, with no English label', async () => {
    const page = await signIn('/inbox', 'nacta.reviewer', 'ur');
    const rows = page.locator('table.inbox tbody tr');
    await rows.first().waitFor({ timeout: 20_000 });
    await expectUrdu(page, 'inbox');
    // One quarter's reports, all of them at once.
    await page.locator('.scope-bar select').first().selectOption(LATEST);
    const quarter = await rows.count();
    expect(quarter).toBeGreaterThan(2);
    expect(await rows.evaluateAll((trs) => trs.filter((tr) => tr.querySelectorAll('td')[3]?.textContent !== trs[0]!.querySelectorAll('td')[3]?.textContent).length)).toBe(0);
    await page.locator('table.inbox thead input[type="checkbox"]').check();
    const digits = new Intl.NumberFormat('ur-PK').format(quarter);
    expect(await page.locator('.bulk-approve').textContent()).toContain(`(${digits})`);
    await rows.first().getByRole('checkbox').uncheck();
    await page.locator('.bulk-approve').click();
    await expect.poll(() => shown(page, '#bulk-result'), { timeout: 30_000 }).toContain(`منظور شدہ: ${new Intl.NumberFormat('ur-PK').format(quarter - 1)}۔`);
    await expect.poll(() => rows.count()).toBe(1);
    await shot(page, 'inbox-ur');
    await expectUrdu(page, 'inbox after approving');
    await page.locator('.scope-bar select').first().selectOption('');

    await rows.first().locator('a').click();
    await page.locator('table.history tbody tr').first().waitFor();
    await page.locator('.review-actions button:not(.primary)').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('button.primary').click();
    expect(await shown(dialog, '[role="alert"]')).toContain('واپسی کے لیے وجہ ضروری ہے۔');
    await shot(page, 'submission-return-ur');
    await expectUrdu(page, 'submission with the return dialog');
    await page.context().close();

    const adminPage = await signIn('/admin/lock-exceptions', 'nacta.admin', 'ur');
    await adminPage.locator('#lock-unit-province').selectOption('PK-PB');
    await adminPage.locator('#lock-unit-district').selectOption(DISTRICT);
    await adminPage.locator('#lock-period').fill(ACCEPTED);
    await adminPage.locator('#lock-reason').fill('ضلع کے رجسٹر میں دو غیر درج تربیتی نشستیں ملیں۔');
    await adminPage.locator('#lock-hours').fill('6');
    await adminPage.locator('form.lock-grant button[type="submit"]').click();
    await adminPage.locator('table.locks tbody tr').first().waitFor();
    await shot(adminPage, 'lock-exceptions-ur');
    await expectUrdu(adminPage, 'lock exceptions');
    await adminPage.locator('table.locks tbody tr button').first().click();
    await expect.poll(() => adminPage.locator('table.locks tbody tr').count()).toBe(0);

    await adminPage.goto(`${server.url}/admin/audit`);
    await adminPage.locator('table.audit tbody tr').first().waitFor({ timeout: 20_000 });
    await adminPage.locator('section > p > button.primary').click();
    await adminPage.locator('#audit-verify').waitFor({ timeout: 30_000 });
    await shot(adminPage, 'audit-verify-ur');
    await expectUrdu(adminPage, 'audit');
    expect(await shown(adminPage, '#audit-verify')).toContain('زنجیر درست ہے');
    await adminPage.context().close();
  }, 120_000);
});
