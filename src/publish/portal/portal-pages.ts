/**
 * The transparency portal's pages, rendered on the server from what the public API returns: readable
 * without JavaScript, small (system fonts for English, one Urdu font file cached by the browser), every value
 * escaped.
 */
import { trendChartSvg } from '../../charts/trend-chart.ts';
import { PROGRESS_STATUSES } from '../../domain/progress.ts';
import type { OpenDataRow } from '../open-data.ts';
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
  SUPPRESSION_REASON,
  suppressionNote,
  T,
  UNIT_LABEL,
  type Lang,
} from '../locale.ts';
import type { IndicatorDataset, PublicIndicator, PublicScorecard, ReportingStatus } from '../public-datasets.ts';
import { html, trusted, type SafeHtml } from '../html.ts';
import { FREQUENCY_LABEL, PORTAL_TEXT } from './portal-text.ts';

export interface PortalContext {
  lang: Lang;
  /** The page's path without the language prefix, e.g. /indicators/REV-04, for the language switch. */
  path: string;
  synthetic: boolean;
  threshold: number;
}

export const URDU_FONT_PATH = '/portal/assets/noto-nastaliq-urdu.woff2';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;background:#fff}
[lang=ur] body,[lang=ur] svg text{font-family:"Noto Nastaliq Urdu",serif;line-height:2.1}
header{background:#0b5d3b;color:#fff;padding:.6rem 1rem}header a{color:#fff}header .site{font-weight:700;font-size:1.15rem;text-decoration:none}
nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem;margin-top:.3rem}nav a{text-decoration:none}nav a[aria-current]{text-decoration:underline}
.lang{float:inline-end}main{max-width:68rem;margin:0 auto;padding:1rem}
.notice{background:#fff4ce;border:1px solid #e0c060;padding:.4rem .7rem;margin:.5rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}caption{text-align:start;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:start;vertical-align:top}td.n,th.n{text-align:end;font-variant-numeric:tabular-nums}
.wrap{overflow-x:auto}.muted{color:#555;font-size:.9rem}.s{font-weight:700}.c{color:#7a3b00}
svg{max-width:100%;height:auto}footer{border-top:1px solid #ddd;margin-top:2rem;padding:1rem;color:#444;font-size:.9rem;max-width:68rem;margin-inline:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
`;

const URDU_FONT_FACE = `@font-face{font-family:"Noto Nastaliq Urdu";src:url(${URDU_FONT_PATH}) format("woff2");font-display:swap}`;

function layout(ctx: PortalContext, title: string, current: string, body: SafeHtml): string {
  const t = PORTAL_TEXT[ctx.lang];
  const other: Lang = ctx.lang === 'en' ? 'ur' : 'en';
  const link = (href: string, label: string) => html`<a href="/portal/${ctx.lang}${href}"${href === current ? trusted(' aria-current="page"') : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="${ctx.lang}" dir="${DIRECTION[ctx.lang]}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · ${t.siteName}</title>
<style>${trusted(ctx.lang === 'ur' ? URDU_FONT_FACE : '')}${trusted(STYLE)}</style></head>
<body>
<header><a class="lang" href="/portal/${other}${ctx.path}" lang="${other}">${t.otherLanguage}</a>
<a class="site" href="/portal/${ctx.lang}">${t.siteName}</a>
<nav>${link('', t.navScorecard)}${link('/indicators', t.navIndicators)}${link('/reporting', t.navReporting)}${link('/downloads', t.navDownloads)}</nav></header>
<main>${ctx.synthetic ? html`<p class="notice">${T[ctx.lang].syntheticNotice}</p>` : ''}
${body}</main>
<footer><p>${t.footer}</p><p id="suppression">${suppressionNote(ctx.lang, ctx.threshold)}</p></footer>
</body></html>`.text;
}

function statusCell(lang: Lang, status: keyof (typeof STATUS_LABEL)['en']): SafeHtml {
  const symbol = PROGRESS_STATUSES.find((s) => s.status === status)?.symbol ?? '';
  return html`<span class="s" aria-hidden="true">${symbol}</span> ${STATUS_LABEL[lang][status]}`;
}

/** The national or a provincial scorecard: areas × pillars, then each indicator's status at the area. */
export function scorecardPage(ctx: PortalContext, card: PublicScorecard): string {
  const { lang } = ctx;
  const t = PORTAL_TEXT[lang];
  const national = card.orgUnit.code === 'PK';
  const title = national ? t.nationalScorecard : `${t.provincialScorecard}: ${named(lang, card.orgUnit)}`;
  if (!card.period) return layout(ctx, title, national ? '' : ctx.path, html`<h1>${title}</h1><p>${t.noData}</p>`);
  const cell = (pillar: string, unit: string) => card.cells.find((c) => c.pillar === pillar && c.orgUnit === unit);
  const rows = card.columns.map((u) => html`<tr><th scope="row">${national
    ? html`<a href="/portal/${lang}/provinces/${u.code}">${named(lang, u)}</a>` : named(lang, u)}</th>${card.pillars.map((p) => {
    const c = cell(p.code, u.code);
    return c?.onTrackShare === null || c === undefined
      ? html`<td class="n muted">${t.notAssessed}</td>`
      : html`<td class="n">${formatShare(lang, c.onTrackShare)} <span class="muted">(${t.indicatorsAssessed(c.indicators)})</span></td>`;
  })}</tr>`);
  const byPillar = card.pillars.map((p) => {
    const items = card.indicators.filter((i) => i.pillar === p.code);
    if (items.length === 0) return '';
    return html`<h3>${named(lang, p)}</h3><div class="wrap"><table><thead><tr><th>${t.indicator}</th><th>${t.status}</th><th>${t.latestPeriod}</th></tr></thead><tbody>${items.map((i) => html`<tr>
<td><a href="/portal/${lang}/indicators/${i.code}">${i.code}</a> ${named(lang, i)}</td><td>${statusCell(lang, i.status)}</td>
<td>${i.latestPeriod ? formatPeriod(lang, i.latestPeriod) : '–'}</td></tr>`)}</tbody></table></div>`;
  });
  return layout(ctx, title, national ? '' : ctx.path, html`<h1>${title}</h1><p>${t.tagline}</p>
<p><strong>${t.asOf}:</strong> ${formatPeriod(lang, card.period)}</p>
<div class="wrap"><table><caption>${t.gridCaption}</caption><thead><tr><th>${t.area}</th>${card.pillars.map((p) => html`<th class="n">${named(lang, p)}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>
<h2>${t.statusHeading}</h2>${byPillar}`);
}

export function indicatorListPage(ctx: PortalContext, indicators: PublicIndicator[]): string {
  const { lang } = ctx;
  const t = PORTAL_TEXT[lang];
  const pillars = [...new Set(indicators.map((i) => `${i.framework}/${i.pillar}`))];
  return layout(ctx, t.indicatorsHeading, '/indicators', html`<h1>${t.indicatorsHeading}</h1><p>${t.indicatorsIntro}</p>
${pillars.map((fp) => {
    const items = indicators.filter((i) => `${i.framework}/${i.pillar}` === fp);
    return html`<h2>${fp.replace('/', ' · ')}</h2><div class="wrap"><table><thead><tr><th>${t.indicator}</th><th>${t.unit}</th><th>${t.frequency}</th><th>${t.lastUpdated}</th></tr></thead>
<tbody>${items.map((i) => html`<tr><td><a href="/portal/${lang}/indicators/${i.code}">${i.code}</a> ${named(lang, i)}</td><td>${UNIT_LABEL[lang][i.unitType]}</td>
<td>${FREQUENCY_LABEL[lang][i.frequency]}</td><td>${i.lastUpdated ? formatDate(lang, i.lastUpdated) : '–'}</td></tr>`)}</tbody></table></div>`;
  })}`);
}

function valueText(lang: Lang, unitType: PublicIndicator['unitType'], row: OpenDataRow | undefined): SafeHtml {
  if (!row) return html`–`;
  if (row.value === null) {
    return html`<a class="c" href="#suppression" title="${SUPPRESSION_REASON[lang][row.suppressed!]}">${SUPPRESSED_SYMBOL[lang]}</a>`;
  }
  return html`${formatValue(lang, unitType, row.value)}`;
}

/** Definition, chart, table, methodology, source and downloads of one indicator. */
export function indicatorPage(ctx: PortalContext, data: IndicatorDataset, opts: { period: string | null; area: { code: string; nameEn: string; nameUr: string } | null }): string {
  const { lang } = ctx;
  const t = PORTAL_TEXT[lang];
  const ind = data.indicator;
  const title = `${ind.code} ${named(lang, ind)}`;
  const totals = (r: OpenDataRow) => data.categories.every((c) => r[c] === null);
  const national = data.observations.filter((r) => r.org_unit === 'PK' && totals(r));
  const period = opts.period ?? ind.periods.at(-1) ?? null;
  const nationalTarget = ind.targets.filter((x) => x.orgUnit === 'PK').sort((a, b) => a.period.localeCompare(b.period)).at(-1) ?? null;
  const chart = national.length ? trusted(trendChartSvg({
    width: 720, height: 280, fontFamily: lang === 'ur' ? 'Noto Nastaliq Urdu, serif' : 'system-ui, sans-serif',
    categories: ind.periods.map((p) => formatPeriod(lang, p)),
    series: [{ name: named(lang, { nameEn: 'Pakistan', nameUr: 'پاکستان' }), values: ind.periods.map((p) => national.find((r) => r.period === p)?.value ?? null) }],
    target: nationalTarget ? { value: nationalTarget.value, label: `${T[lang].target} ${formatPeriod(lang, nationalTarget.period)}` } : null,
    format: (v) => formatValue(lang, ind.unitType === 'milestone' || ind.unitType === 'yes_no' ? 'index' : ind.unitType, v),
  })) : html`<p>${t.noData}</p>`;

  // Columns: the total, then each option that holds data; rows: the areas shown.
  const inPeriod = data.observations.filter((r) => r.period === period);
  const optionName = (key: string) => {
    const [category, option] = key.split('=') as [string, string];
    const o = ind.disaggregations.find((d) => d.code === category)?.options.find((x) => x.code === option);
    return o ? named(lang, o) : option;
  };
  const keyOf = (r: OpenDataRow) => {
    const cat = data.categories.find((c) => r[c] !== null);
    return cat ? `${cat}=${r[cat]}` : '';
  };
  const columns = [...new Set(inPeriod.map(keyOf))].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
    .map((k) => [k, k === '' ? T[lang].total : optionName(k)] as const);
  const area = opts.area;
  const units = [...new Map(inPeriod.map((r) => [r.org_unit, named(lang, { nameEn: r.org_unit_name, nameUr: r.org_unit_name_ur })])).entries()].filter(([code]) =>
    area ? code === area.code || code.startsWith(`${area.code}-`) : code.split('-').length <= 2);
  const rowOf = (unit: string, column: string) => inPeriod.find((r) => r.org_unit === unit && keyOf(r) === column);
  const hasDistricts = data.observations.some((r) => r.org_unit.split('-').length > 2);
  const table = period ? html`<div class="wrap"><table><caption>${t.tableFor(formatPeriod(lang, period))}${area ? html` · ${t.districtsOf(named(lang, area))}` : ''}</caption>
<thead><tr><th>${t.area}</th>${columns.map(([, label]) => html`<th class="n">${label}</th>`)}</tr></thead>
<tbody>${units.map(([code, name]) => html`<tr><th scope="row">${hasDistricts && !area && code !== 'PK'
    ? html`<a href="/portal/${lang}/indicators/${ind.code}?period=${period}&amp;area=${code}">${name}</a>` : name}</th>${columns.map(([column]) =>
    html`<td class="n">${valueText(lang, ind.unitType, rowOf(code, column))}</td>`)}</tr>`)}</tbody></table></div>
${area ? html`<p><a href="/portal/${lang}/indicators/${ind.code}?period=${period}">${t.backToProvinces}</a></p>` : ''}
<p class="muted">${t.period}: ${ind.periods.map((p, i) => html`${i ? ' · ' : ''}${p === period ? html`<strong>${formatPeriod(lang, p)}</strong>`
    : html`<a href="/portal/${lang}/indicators/${ind.code}?period=${p}${area ? `&area=${area.code}` : ''}">${formatPeriod(lang, p)}</a>`}`)}</p>` : html`<p>${t.noData}</p>`;

  return layout(ctx, title, ctx.path, html`<h1>${title}</h1>
<p class="muted">${ind.framework} · ${ind.pillar} · ${ind.objective} · ${t.lastUpdated}: ${ind.lastUpdated ? formatDate(lang, ind.lastUpdated) : '–'}</p>
<h2>${t.definition}</h2><p>${lang === 'ur' && ind.definitionUr ? ind.definitionUr : ind.definitionEn}</p>
<h2>${t.chart}</h2><p class="muted">${t.chartNote}</p>${chart}
<h2>${t.table}</h2>${table}
<h2>${t.methodology}</h2><dl>
<dt>${t.unit}</dt><dd>${UNIT_LABEL[lang][ind.unitType]}</dd>
<dt>${t.frequency}</dt><dd>${FREQUENCY_LABEL[lang][ind.frequency]}</dd>
<dt>${t.aggregation}</dt><dd>${t.aggregationText[ind.aggregation.overOrgUnits as 'sum']}; ${t.aggregationTime[ind.aggregation.overTime as 'sum']}</dd>
<dt>${t.disaggregations}</dt><dd>${ind.disaggregations.length ? ind.disaggregations.map((d) => named(lang, d)).join(lang === 'ur' ? '، ' : ', ') : t.none}</dd>
<dt>${t.disclosure}</dt><dd>${suppressionNote(lang, ctx.threshold)}</dd></dl>
<h2>${t.source}</h2><dl><dt>${t.responsible}</dt><dd>${ind.institutions.map((i) => named(lang, i)).join(lang === 'ur' ? '، ' : ', ')}</dd>
<dt>${t.verification}</dt><dd>${ind.meansOfVerification}</dd></dl>
<h2>${t.download}</h2><p><a href="/api/public/indicators/${ind.code}/data.csv">CSV</a> · <a href="/api/public/indicators/${ind.code}/data.json">JSON</a></p>`);
}

export function reportingPage(ctx: PortalContext, status: ReportingStatus | null): string {
  const { lang } = ctx;
  const t = PORTAL_TEXT[lang];
  if (!status) return layout(ctx, t.reportingHeading, '/reporting', html`<h1>${t.reportingHeading}</h1><p>${t.noData}</p>`);
  const rate = (r: number | null) => (r === null ? '–' : formatShare(lang, r));
  const row = (name: string, c: ReportingStatus['totals']) => html`<td class="n">${formatNumber(lang, c.expected)}</td><td class="n">${formatNumber(lang, c.received)}</td>
<td class="n">${formatNumber(lang, c.onTime)}</td><td class="n">${rate(c.reportingRate)}</td><td class="n">${rate(c.timelinessRate)}</td>`;
  return layout(ctx, t.reportingHeading, '/reporting', html`<h1>${t.reportingHeading}</h1>
<p>${t.reportingIntro(formatPeriod(lang, status.from), formatPeriod(lang, status.to), status.deadlineDays)}</p>
<div class="wrap"><table><thead><tr><th>${t.institution}</th><th class="n">${t.expected}</th><th class="n">${t.received}</th><th class="n">${t.onTime}</th>
<th class="n">${t.reportingRate}</th><th class="n">${t.timelinessRate}</th></tr></thead><tbody>
<tr><th scope="row">${t.allInstitutions}</th>${row('', status.totals)}</tr>
${status.institutions.map((i) => html`<tr><th scope="row">${named(lang, i)}</th>${row(i.code, i)}</tr>`)}</tbody></table></div>`);
}

export function downloadsPage(ctx: PortalContext): string {
  const { lang } = ctx;
  const t = PORTAL_TEXT[lang];
  return layout(ctx, t.downloadsHeading, '/downloads', html`<h1>${t.downloadsHeading}</h1><p>${t.downloadsIntro}</p>
<ul><li><a href="/api/public/data.csv">${t.bulkCsv}</a></li><li><a href="/api/public/data.json">${t.bulkJson}</a></li>
<li><a href="/api/public/indicators.csv">${t.indicatorsCsv}</a></li><li><a href="/api/public/datapackage.json">${t.dataPackage}</a></li>
<li><a href="/api/docs">${t.api}</a>: <code dir="ltr">/api/public/…</code></li></ul>
<h2>${t.licence}</h2><p>${t.licenceText}</p>
<h2>${t.disclosure}</h2><p>${suppressionNote(lang, ctx.threshold)}</p>`);
}

export function notFoundPage(ctx: PortalContext): string {
  const t = PORTAL_TEXT[ctx.lang];
  return layout(ctx, t.notFound, '', html`<h1>${t.notFound}</h1><p>${t.notFoundText}</p><p><a href="/portal/${ctx.lang}">${t.home}</a></p>`);
}
