/**
 * Screenshots of every screen in English and Urdu, to look at: `npm run screenshots -- http://localhost:8080 [dir]`.
 * The home page in both languages also goes to docs/ for the README.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './chromium.ts';

const base = process.argv[2] ?? 'http://localhost:8080';
const out = process.argv[3] ?? 'screenshots';
/** Who the screenshots are taken as: the national administrator sees every screen. */
const user = process.env.JAIZA_SCREENSHOT_USER ?? 'nacta.admin';
const password = process.env.JAIZA_SCREENSHOT_PASSWORD ?? 'jaiza-demo-2026';
const SCREENS: [string, string][] = [
  ['home', '/'],
  ['province', '/org-units/PK-PB'],
  ['district', '/org-units/PK-PB-LHR'],
  ['pillar', '/pillars/RCH'],
  ['objective', '/objectives/RCH.2?orgUnit=PK-PB'],
  ['indicator', '/indicators/RCH-06?orgUnit=PK-PB-LHR'],
  ['indicator-national', '/indicators/REV-04'],
  ['data-entry', '/data-entry?orgUnit=PK-PB-LHR&period=2026Q3'],
  ['import', '/import'],
  ['completeness', '/completeness'],
  ['completeness-districts', '/completeness?level=district'],
  ['framework', '/framework?q=REV'],
  ['inbox', '/inbox'],
  ['users', '/admin/users'],
  ['lock-exceptions', '/admin/lock-exceptions'],
  ['audit', '/admin/audit'],
];

mkdirSync(out, { recursive: true });
const browser = await launchChromium();
try {
  for (const lang of ['en', 'ur']) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang === 'ur' ? 'ur-PK' : 'en-GB' });
    await context.addInitScript((l) => window.localStorage.setItem('jaiza.lang', l), lang);
    const signIn = await context.request.post(`${base}/api/auth/sign-in`, { data: { username: user, password } });
    if (!signIn.ok()) throw new Error(`sign-in as ${user}: HTTP ${signIn.status()}`);
    const page = await context.newPage();
    for (const [name, path] of SCREENS.filter(([n]) => !process.argv[4] || process.argv[4].split(',').includes(n))) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState('networkidle', { timeout: 120_000 });
      await page.waitForTimeout(400);
      const file = join(out, `${name}-${lang}.png`);
      await page.screenshot({ path: file, fullPage: name !== 'completeness-districts' && name !== 'data-entry' });
      process.stdout.write(`${file}\n`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
if (!process.argv[4]) {
  copyFileSync(join(out, 'home-en.png'), 'docs/web-home.png');
  copyFileSync(join(out, 'home-ur.png'), 'docs/web-home-ur.png');
}
