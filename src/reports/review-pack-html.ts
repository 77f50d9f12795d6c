/**
 * The review pack as one printable HTML document (A4), fonts embedded so it renders the same offline and
 * becomes the PDF as it is. Values carry data attributes naming the indicator, area and period they answer,
 * so each figure can be traced to the analytics API.
 */
import { trendChartSvg } from '../charts/trend-chart.ts';
import { PROGRESS_STATUSES } from '../domain/progress.ts';
import { embeddedFontFaces } from '../publish/fonts.ts';
import { html, trusted, type SafeHtml } from '../publish/html.ts';
import {
  DIRECTION,
  formatDate,
  formatNumber,
  formatPeriod,
  formatShare,
  formatValue,
  named,
  STATUS_LABEL,
  SUPPRESSED_SYMBOL,
  suppressionNote,
  T,
  type Lang,
} from '../publish/locale.ts';
import type { PackKpi, PackValue, ReviewPackData } from './review-pack-data.ts';
import { PACK_TEXT } from './review-pack-text.ts';

const STYLE = `
@page{size:A4;margin:16mm 14mm 18mm}
*{box-sizing:border-box}html{font:10.5pt/1.45 "Noto Sans","Noto Sans Symbols 2",sans-serif;color:#1b1b1b}
[lang=ur]{font-family:"Noto Nastaliq Urdu","Noto Sans","Noto Sans Symbols 2",serif;line-height:2.05}
[lang=ur] table{line-height:1.75}
body{margin:0}h1{font-size:20pt;margin:0 0 .2em;color:#0b5d3b}h2{font-size:14pt;color:#0b5d3b;border-bottom:2px solid #0b5d3b;padding-bottom:.1em;margin:1.1em 0 .4em}
h3{font-size:11.5pt;margin:.8em 0 .3em}section{break-inside:auto}.break{break-before:page}
.cover{border-inline-start:6px solid #0b5d3b;padding-inline-start:10px;margin-bottom:1em}.muted{color:#555;font-size:9pt}
.notice{background:#fff4ce;border:1px solid #e0c060;padding:.3em .6em;margin:.5em 0}.restricted{background:#fde8e8;border:1px solid #d99}
table{border-collapse:collapse;width:100%;font-size:9pt;margin:.3em 0 .8em}th,td{border-bottom:1px solid #ccc;padding:2px 5px;text-align:start;vertical-align:top}
thead th{background:#eef4f0;border-bottom:1.5px solid #0b5d3b}tr{break-inside:avoid}td.n,th.n{text-align:end;font-variant-numeric:tabular-nums}
.s{font-weight:700}tr.here{background:#eef4f0;font-weight:700}.chart{break-inside:avoid;margin:.2em 0 .6em}.chart svg{width:100%;height:auto}ul{margin:.2em 0;padding-inline-start:1.3em}
`;

/** Stalled KPIs named in the executive summary; the rest are in the off-track table. */
const STALLED_SHOWN = 4;

function statusText(lang: Lang, k: Pick<PackKpi, 'status'>): SafeHtml {
  const symbol = PROGRESS_STATUSES.find((s) => s.status === k.status)?.symbol ?? '';
  return html`<span class="s">${symbol}</span> ${STATUS_LABEL[lang][k.status]}`;
}

function valueCell(lang: Lang, data: ReviewPackData, k: Pick<PackKpi, 'code' | 'unitType'>, v: PackValue): SafeHtml {
  const text = v.suppressed ? SUPPRESSED_SYMBOL[lang] : v.value === null ? '–' : formatValue(lang, k.unitType, v.value);
  return html`<td class="n" data-indicator="${k.code}" data-org-unit="${data.orgUnit.code}" data-period="${v.period}" data-value="${v.value ?? ''}">${text}<br><span class="muted">${formatPeriod(lang, v.period)}</span></td>`;
}

function targetText(lang: Lang, k: PackKpi): string {
  if (!k.target) return '–';
  const when = k.target.period ? formatPeriod(lang, k.target.period) : '';
  return `${formatValue(lang, k.unitType, k.target.value)}${when ? ` (${when})` : ''}`;
}

function kpiTable(lang: Lang, data: ReviewPackData, rows: PackKpi[], withPrevious: boolean): SafeHtml {
  const t = PACK_TEXT[lang];
  return html`<table><thead><tr><th>${t.kpi}</th><th>${t.status}</th><th class="n">${t.value}</th>${withPrevious ? html`<th class="n">${t.previous}</th>` : ''}<th class="n">${t.target}</th><th>${t.owner}</th></tr></thead>
<tbody>${rows.map((k) => html`<tr><td><strong>${k.code}</strong> ${named(lang, k)}</td><td>${statusText(lang, k)}</td>${valueCell(lang, data, k, k.current)}
${withPrevious ? valueCell(lang, data, k, k.previous) : ''}<td class="n">${targetText(lang, k)}</td><td>${k.owner ? named(lang, k.owner) : '–'}</td></tr>`)}</tbody></table>`;
}

export function reviewPackHtml(data: ReviewPackData, lang: Lang): string {
  const t = PACK_TEXT[lang];
  const unitName = named(lang, data.orgUnit);
  const period = formatPeriod(lang, data.period);
  const national = data.orgUnit.level === 'country';
  const threshold = data.scope.disclosure?.threshold ?? null;
  const pillarName = new Map(data.pillars.map((p) => [p.code, named(lang, p)]));
  const onTrack = (data.statusCounts.on_track ?? 0) + (data.statusCounts.achieved ?? 0);

  const cover = html`<div class="cover"><h1>${t.title}: ${unitName}, ${period}</h1>
<div>${national ? t.forNational : t.forProvince(unitName)}</div>
<div class="muted">${t.generated}: ${formatDate(lang, data.generatedAt)}</div></div>
<p class="notice ${threshold === null ? 'restricted' : ''}">${threshold === null ? t.restricted : t.release(threshold)}</p>
${data.synthetic ? html`<p class="notice">${T[lang].syntheticNotice}</p>` : ''}`;

  if (!data.hasData) return document(lang, `${t.title} ${unitName} ${data.period}`, html`${cover}<h2>${t.summary}</h2><p>${t.noData(period)}</p>`);

  const summary = html`<h2>${t.summary}</h2><p>${t.summaryLead(data.annex.length, onTrack, data.stalled.length)}</p>
<p>${PROGRESS_STATUSES.filter((s) => data.statusCounts[s.status]).map((s, i) => html`${i ? ' · ' : ''}<span class="s">${s.symbol}</span> ${STATUS_LABEL[lang][s.status]}: ${formatNumber(lang, data.statusCounts[s.status])}`)}</p>
<h3>${t.moved}</h3>${data.moved.length ? kpiTable(lang, data, data.moved, true) : html`<p>${t.movedNone}</p>`}
<h3>${t.stalled}</h3>${data.stalled.length ? html`<ul>${data.stalled.slice(0, STALLED_SHOWN).map((k) => html`<li><strong>${k.code}</strong> ${named(lang, k)}: ${statusText(lang, k)}</li>`)}
${data.stalled.length > STALLED_SHOWN ? html`<li>${t.andMore(data.stalled.length - STALLED_SHOWN)}</li>` : ''}</ul>` : html`<p>${t.stalledNone}</p>`}`;

  const cell = (pillar: string, unit: string) => data.grid.cells.find((c) => c.pillar === pillar && c.orgUnit === unit);
  const scorecard = html`<h2 class="break">${t.scorecard}</h2><p class="muted">${t.scorecardNote}</p>
<table><thead><tr><th>${t.area}</th>${data.pillars.map((p) => html`<th class="n">${named(lang, p)}</th>`)}</tr></thead><tbody>
${data.grid.orgUnits.map((u) => html`<tr${u.code === data.orgUnit.code ? trusted(' class="here"') : ''}><th>${named(lang, u)}</th>${data.pillars.map((p) => {
    const c = cell(p.code, u.code);
    return c && c.onTrackShare !== null
      ? html`<td class="n" data-pillar="${p.code}" data-org-unit="${u.code}" data-share="${c.onTrackShare}">${formatShare(lang, c.onTrackShare)} <span class="muted">(${formatNumber(lang, c.indicators)})</span></td>`
      : html`<td class="n muted">${t.notAssessed}</td>`;
  })}</tr>`)}</tbody></table>`;

  const offTrack = html`<h2>${t.offTrack}</h2>${data.stalled.length ? kpiTable(lang, data, data.stalled, false) : html`<p>${t.stalledNone}</p>`}`;

  const c = data.completeness;
  const rate = (r: number | null) => (r === null ? '–' : formatShare(lang, r));
  const completeness = html`<h2 class="break">${t.completeness}</h2><p class="muted">${t.completenessNote(c.deadlineDays)}</p>
<table><thead><tr><th>${t.institution}</th><th class="n">${t.expected}</th><th class="n">${t.received}</th><th class="n">${t.onTime}</th><th class="n">${t.reportingRate}</th><th class="n">${t.timelinessRate}</th></tr></thead>
<tbody>${c.institutions.map((i) => html`<tr><td>${named(lang, i)}</td><td class="n">${formatNumber(lang, i.expected)}</td><td class="n">${formatNumber(lang, i.received)}</td>
<td class="n">${formatNumber(lang, i.onTime)}</td><td class="n">${rate(i.reportingRate)}</td><td class="n">${rate(i.timelinessRate)}</td></tr>`)}</tbody></table>`;

  // Each share is also drawn as a bar: institutions are compared at a glance, and the number stays beside it.
  const bar = (share: number) => trusted(`<svg class="bar" width="100" height="10" role="img" aria-hidden="true"><rect width="100" height="10" fill="#e5e7eb"/><rect width="${Math.round(share * 100)}" height="10" fill="#1d4ed8"/></svg>`);
  const evidence = html`<h2>${t.evidence}</h2><p class="muted">${t.evidenceNote}</p>
${data.evidence.length ? html`<table><thead><tr><th>${t.institution}</th><th class="n">${t.values}</th><th class="n">${t.withEvidence}</th><th class="n">${t.coverage}</th></tr></thead>
<tbody>${data.evidence.map((e) => html`<tr data-institution="${e.key}" data-share="${e.share}"><td>${named(lang, e)}</td><td class="n">${formatNumber(lang, e.values)}</td>
<td class="n">${formatNumber(lang, e.withEvidence)}</td><td class="n">${bar(e.share)} ${formatShare(lang, e.share)}</td></tr>`)}</tbody></table>` : html`<p>${t.evidenceNone}</p>`}`;

  const font = lang === 'ur' ? 'Noto Nastaliq Urdu, Noto Sans, serif' : 'Noto Sans, sans-serif';
  const trends = html`<h2 class="break">${t.trends}</h2><p class="muted">${t.trendsNote}</p>
${data.trends.map((tr) => html`<div class="chart"><h3>${tr.code} ${named(lang, tr)}</h3>${trusted(trendChartSvg({
    width: 700, height: 210, fontFamily: font,
    categories: tr.values.map((v) => formatPeriod(lang, v.period)),
    series: [{ name: unitName, values: tr.values.map((v) => v.value) }],
    target: tr.target ? { value: tr.target.value, label: T[lang].target } : null,
    format: (v) => formatValue(lang, tr.unitType === 'milestone' || tr.unitType === 'yes_no' ? 'index' : tr.unitType, v),
  }))}</div>`)}`;

  const annex = html`<h2 class="break">${t.annex}</h2><p class="muted">${t.annexNote}</p>
${data.pillars.map((p) => {
    const rows = data.annex.filter((k) => k.pillar === p.code);
    return rows.length ? html`<h3>${pillarName.get(p.code)}</h3>${kpiTable(lang, data, rows, true)}` : '';
  })}${threshold !== null ? html`<p class="muted">${suppressionNote(lang, threshold)}</p>` : ''}`;

  return document(lang, `${t.title} ${unitName} ${data.period}`, html`${cover}${summary}${scorecard}${offTrack}${completeness}${evidence}${trends}${annex}`);
}

function document(lang: Lang, title: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="${lang}" dir="${DIRECTION[lang]}"><head><meta charset="utf-8"><title>${title}</title>
<style>${trusted(embeddedFontFaces({ urdu: lang === 'ur' }))}${trusted(STYLE)}</style></head><body>${body}</body></html>`.text;
}
