/**
 * HTML to PDF with headless Chromium (Debian's /usr/bin/chromium unless JAIZA_CHROMIUM names another):
 * the pack prints exactly as its HTML renders, fonts embedded, page numbers in the footer.
 */
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAIZA_CHROMIUM || '/usr/bin/chromium';
}

export async function htmlToPdf(html: string, opts: { footer: string; rtl: boolean }): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    // The document needs nothing from outside (fonts are inlined): no request leaves the browser.
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluateHandle('document.fonts.ready').catch(() => undefined);
    const footer = `<div style="font-size:8px;width:100%;padding:0 14mm;color:#555;direction:${opts.rtl ? 'rtl' : 'ltr'};font-family:sans-serif">` +
      `${opts.footer} · <span class="pageNumber"></span> / <span class="totalPages"></span></div>`;
    return await page.pdf({
      format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: footer,
      margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
    });
  } finally {
    await browser.close();
  }
}
