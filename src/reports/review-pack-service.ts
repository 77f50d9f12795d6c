/** A review pack from request to document: the figures, then HTML, then (when asked) the PDF made from it. */
import type { Queryable } from '../db/database.ts';
import { escapeHtml } from '../publish/html.ts';
import { DIRECTION, type Lang } from '../publish/locale.ts';
import { COMMITTEE_SCOPE, publicScope } from '../publish/publication-scope.ts';
import type { DisclosureRule } from '../domain/disclosure-control.ts';
import { htmlToPdf } from './html-to-pdf.ts';
import { reviewPackData, type ReviewPackData } from './review-pack-data.ts';
import { reviewPackHtml } from './review-pack-html.ts';

export interface ReviewPackRequest {
  period: string;
  orgUnit?: string;
  lang: Lang;
  /** Marked for release: the public scope (public indicators, accepted values, disclosure control). */
  release?: { rule: DisclosureRule } | null;
  generatedAt?: Date;
}

export interface ReviewPack {
  data: ReviewPackData;
  html: string;
  fileName: string;
}

export async function buildReviewPack(db: Queryable, req: ReviewPackRequest): Promise<ReviewPack> {
  const scope = req.release ? publicScope(req.release.rule) : COMMITTEE_SCOPE;
  const data = await reviewPackData(db, scope, { period: req.period, orgUnit: req.orgUnit, generatedAt: req.generatedAt });
  const html = reviewPackHtml(data, req.lang);
  return { data, html, fileName: `jaiza-review-pack-${data.orgUnit.code}-${data.period}-${req.lang}${req.release ? '-release' : ''}` };
}

export function reviewPackPdf(pack: ReviewPack, lang: Lang): Promise<Buffer> {
  // Chromium draws the footer outside the page, without the document's fonts: codes only, which any font has.
  const footer = escapeHtml(`Jaiza · ${pack.data.orgUnit.code} · ${pack.data.period}`);
  return htmlToPdf(pack.html, { footer, rtl: DIRECTION[lang] === 'rtl' });
}
