/** Checks of a screen rendered in Urdu, shared by the browser tests. */
import type { Page } from 'playwright-core';

/** Text a reader sees (text, labels, titles) in Latin letters, outside codes, names of file formats and English-marked data. */
export async function englishOnScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const skip = (el: Element | null) => !el || Boolean(el.closest('[translate="no"], [lang="en"], script, style, noscript, code'));
    const latin = (s: string) => /[A-Za-z]/.test(s.replace(/\b(CSV|JSON|XLSX|DHIS2)\b/g, '').replace(/\b[A-Z]{2,4}[-.]\d{1,2}\b/g, ''));
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!skip(n.parentElement) && latin(n.textContent ?? '')) found.push(n.textContent!.trim());
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (skip(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v && latin(v)) found.push(`${a}="${v}"`);
      }
    }
    return found;
  });
}
