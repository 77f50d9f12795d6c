/**
 * The transparency portal at /portal: server-rendered pages built only from the public API's answers (fetched
 * in-process), so the portal can show nothing the public API does not publish.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fontFile } from '../../publish/fonts.ts';
import { LANGS, type Lang } from '../../publish/locale.ts';
import {
  downloadsPage,
  indicatorListPage,
  indicatorPage,
  notFoundPage,
  reportingPage,
  scorecardPage,
  URDU_FONT_PATH,
  type PortalContext,
} from '../../publish/portal/portal-pages.ts';
import type { IndicatorDataset, PublicIndicator, PublicScorecard, ReportingStatus } from '../../publish/public-datasets.ts';
import type { TypedApp } from '../server.ts';

const HTML = 'text/html; charset=utf-8';
const lang = z.object({ lang: z.enum(LANGS) });
const period = z.string().min(1).max(20);

class ApiAnswer extends Error {
  constructor(readonly status: number) {
    super(`public API answered ${status}`);
  }
}

export function portalRoutes(app: TypedApp): void {
  const get = async <T>(url: string): Promise<T> => {
    const res = await (app as unknown as FastifyInstance).inject({ method: 'GET', url });
    if (res.statusCode !== 200) throw new ApiAnswer(res.statusCode);
    return res.json() as T;
  };
  const context = async (l: Lang, path: string): Promise<PortalContext> => {
    const about = await get<{ smallCellThreshold: number; synthetic: boolean }>('/api/public/about');
    return { lang: l, path, synthetic: about.synthetic, threshold: about.smallCellThreshold };
  };
  /** Renders a page; a 404 from the public API becomes the portal's own not-found page. */
  const page = async (l: Lang, path: string, render: (ctx: PortalContext) => Promise<string>, reply: { code: (n: number) => unknown; type: (t: string) => unknown }) => {
    const ctx = await context(l, path);
    reply.type(HTML);
    try {
      return await render(ctx);
    } catch (e) {
      if (!(e instanceof ApiAnswer) || e.status !== 404) throw e;
      reply.code(404);
      return notFoundPage(ctx);
    }
  };
  const q = (params: Record<string, string | undefined>) => {
    const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return s ? `?${s}` : '';
  };

  app.get('/portal', { config: { access: { permission: 'public' } }, schema: { hide: true } }, (_req, reply) => reply.redirect('/portal/en'));

  app.get(URDU_FONT_PATH, { config: { access: { permission: 'public' } }, schema: { hide: true } }, (_req, reply) =>
    reply.type('font/woff2').header('cache-control', 'public, max-age=31536000, immutable').send(fontFile('urdu')));

  app.get('/portal/:lang', { config: { access: { permission: 'public' } },
    schema: { hide: true, params: lang, querystring: z.object({ period: period.optional() }).strict() },
  }, (req, reply) => page(req.params.lang, '', async (ctx) =>
    scorecardPage(ctx, await get<PublicScorecard>(`/api/public/scorecard${q({ period: req.query.period })}`)), reply));

  app.get('/portal/:lang/provinces/:code', { config: { access: { permission: 'public' } },
    schema: { hide: true, params: lang.extend({ code: z.string().min(1).max(50) }), querystring: z.object({ period: period.optional() }).strict() },
  }, (req, reply) => page(req.params.lang, `/provinces/${req.params.code}`, async (ctx) =>
    scorecardPage(ctx, await get<PublicScorecard>(`/api/public/scorecard${q({ orgUnit: req.params.code, period: req.query.period })}`)), reply));

  app.get('/portal/:lang/indicators', { config: { access: { permission: 'public' } },
    schema: { hide: true, params: lang, querystring: z.object({}).strict() },
  }, (req, reply) => page(req.params.lang, '/indicators', async (ctx) =>
    indicatorListPage(ctx, await get<PublicIndicator[]>('/api/public/indicators')), reply));

  app.get('/portal/:lang/indicators/:code', { config: { access: { permission: 'public' } },
    schema: {
      hide: true,
      params: lang.extend({ code: z.string().min(1).max(50) }),
      querystring: z.object({ period: period.optional(), area: z.string().min(1).max(50).optional() }).strict(),
    },
  }, (req, reply) => page(req.params.lang, `/indicators/${req.params.code}`, async (ctx) => {
    const data = await get<IndicatorDataset>(`/api/public/indicators/${encodeURIComponent(req.params.code)}/data.json`);
    const period = req.query.period && data.indicator.periods.includes(req.query.period) ? req.query.period : null;
    const areaRow = req.query.area ? data.observations.find((r) => r.org_unit === req.query.area) : undefined;
    const area = areaRow ? { code: areaRow.org_unit, nameEn: areaRow.org_unit_name, nameUr: areaRow.org_unit_name_ur } : null;
    return indicatorPage(ctx, data, { period, area });
  }, reply));

  app.get('/portal/:lang/reporting', { config: { access: { permission: 'public' } },
    schema: { hide: true, params: lang, querystring: z.object({ to: period.optional() }).strict() },
  }, (req, reply) => page(req.params.lang, '/reporting', async (ctx) => {
    const status = await get<ReportingStatus | { from: null }>(`/api/public/reporting-status${q({ to: req.query.to })}`);
    return reportingPage(ctx, status.from === null ? null : (status as ReportingStatus));
  }, reply));

  app.get('/portal/:lang/downloads', { config: { access: { permission: 'public' } },
    schema: { hide: true, params: lang, querystring: z.object({}).strict() },
  }, (req, reply) => page(req.params.lang, '/downloads', async (ctx) => downloadsPage(ctx), reply));
}
