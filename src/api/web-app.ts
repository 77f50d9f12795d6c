/**
 * Serves the built web app (web/dist) at / with a single-page-app fallback: any GET outside /api/, /assets/ and the portal
 * answers index.html so a bookmarked screen opens. Hashed assets are cached for a year, index.html never, and
 * pre-compressed .br/.gz files are sent to browsers that accept them (slow connections).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function registerWebApp(app: FastifyInstance, dir: string = WEB_DIST): Promise<void> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.status(503).type('text/plain; charset=utf-8').send('The web app is not built: run `npm run build` (npm start does it), then reload.'));
    return;
  }
  const assets = join(dir, 'assets');
  await app.register(fastifyStatic, {
    root: dir,
    preCompressed: true,
    index: ['index.html'],
    setHeaders(reply, path) {
      reply.header('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    if (req.method === 'GET' && !['/api/', '/assets/', '/portal/'].some((p) => path.startsWith(p)) && path !== '/portal') {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({ error: 'not_found', message: `${req.method} ${path} was not found` });
  });
}
