/**
 * The fonts a publication carries, from the bundled Fontsource packages (SIL Open Font License), so pages and
 * PDFs look the same on every machine and work offline: Noto Nastaliq Urdu for Urdu, Noto Sans for Latin text,
 * Noto Sans Symbols 2 for the status symbols (✓ ★ ◐ ⌛ ○) neither has.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const FILES = {
  urdu: '@fontsource/noto-nastaliq-urdu/files/noto-nastaliq-urdu-arabic-400-normal.woff2',
  latin: '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2',
  latinBold: '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff2',
  symbols: '@fontsource/noto-sans-symbols-2/files/noto-sans-symbols-2-symbols-400-normal.woff2',
} as const;

export type FontName = keyof typeof FILES;

const loaded = new Map<FontName, Buffer>();

export function fontFile(name: FontName): Buffer {
  let bytes = loaded.get(name);
  if (!bytes) {
    bytes = readFileSync(require.resolve(FILES[name]));
    loaded.set(name, bytes);
  }
  return bytes;
}

/** @font-face rules with the fonts inlined as data URLs: a document that needs nothing else to render. */
export function embeddedFontFaces(opts: { urdu: boolean }): string {
  const face = (family: string, name: FontName, weight: number) =>
    `@font-face{font-family:"${family}";font-weight:${weight};src:url(data:font/woff2;base64,${fontFile(name).toString('base64')}) format("woff2")}`;
  return [opts.urdu ? face('Noto Nastaliq Urdu', 'urdu', 400) : '', face('Noto Sans', 'latin', 400), face('Noto Sans', 'latinBold', 700),
    face('Noto Sans Symbols 2', 'symbols', 400)].join('');
}
