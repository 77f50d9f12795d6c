/**
 * Builds the web app into web/dist when its sources changed since the last build, and writes .br and .gz copies of
 * the text assets so the server sends small files over slow connections. `npm start` and the browser tests call it.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const WEB = fileURLToPath(new URL('.', import.meta.url));
const DIST = join(WEB, 'dist');
const STAMP = join(DIST, '.built');
const SOURCES = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(WEB, '..', 'package-lock.json')];
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

export function webAppIsCurrent(): boolean {
  return existsSync(STAMP) && statSync(STAMP).mtimeMs >= Math.max(...SOURCES.filter(existsSync).map(newest));
}

export function buildWebApp(opts: { force?: boolean; log?: (line: string) => void } = {}): void {
  if (!opts.force && webAppIsCurrent()) return;
  opts.log?.('Building the web app (web/dist)…');
  // A child process with NODE_ENV=production: called from the test runner (NODE_ENV=test) Vite would bundle React's
  // development build, three times the size.
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (run.status !== 0) throw new Error(`the web app did not build (vite exited with ${run.status ?? run.signal})`);
  for (const file of files(DIST).filter((f) => COMPRESSIBLE.test(f))) {
    const body = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  }
  writeFileSync(STAMP, new Date().toISOString());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWebApp({ force: process.argv.includes('--force'), log: (l) => process.stderr.write(`${l}\n`) });
}
