/**
 * What an evidence file really is, read from its bytes: the name a user gave it never decides, so an executable
 * renamed `report.pdf` or a web page that would run script when opened is refused.
 */
import { fileTypeFromBuffer } from 'file-type';

/** The media types kept as evidence: documents, images and spreadsheets a reviewer opens to check a figure. */
const ALLOWED = new Map<string, string>([
  ['application/pdf', 'pdf'],
  ['image/png', 'png'],
  ['image/jpeg', 'jpg'],
  ['image/webp', 'webp'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['application/x-cfb', 'xls'],
  ['application/vnd.ms-excel', 'xls'],
  ['application/vnd.oasis.opendocument.spreadsheet', 'ods'],
]);

export const CSV_MEDIA_TYPE = 'text/csv';

export class EvidenceTypeError extends Error {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';
  constructor(readonly detected: string) {
    super(`evidence must be a PDF, an image (PNG, JPEG, WebP), a spreadsheet (XLSX, XLS, ODS) or CSV text; this file is ${detected}`);
    this.name = 'EvidenceTypeError';
  }
}

export class EvidenceTooLargeError extends Error {
  readonly statusCode = 413;
  readonly code = 'too_large';
  constructor(readonly limit: number) {
    super(`evidence files may be at most ${limit} bytes (${(limit / 1024 / 1024).toFixed(0)} MiB)`);
    this.name = 'EvidenceTooLargeError';
  }
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export function evidenceMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.JAIZA_EVIDENCE_MAX_BYTES);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : DEFAULT_MAX_BYTES;
}

/** Text that is CSV-like: valid UTF-8 with no NUL bytes and no markup a browser would render as a page. */
function isCsvText(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // HTML or SVG saved as .csv would still be sniffed and rendered by some viewers.
  return !/^\s*</.test(text.replace(/^\uFEFF/, ''));
}

/** The stored media type and the extension to store under; throws EvidenceTypeError naming what was found. */
export async function detectEvidenceType(bytes: Uint8Array): Promise<{ mediaType: string; ext: string }> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) {
    const ext = ALLOWED.get(found.mime);
    if (ext) return { mediaType: found.mime === 'application/x-cfb' ? 'application/vnd.ms-excel' : found.mime, ext };
    throw new EvidenceTypeError(`${found.mime} (.${found.ext})`);
  }
  if (isCsvText(bytes)) return { mediaType: CSV_MEDIA_TYPE, ext: 'csv' };
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<')) throw new EvidenceTypeError(head.includes('<svg') ? 'an SVG image (may run script)' : 'HTML or XML markup (may run script)');
  throw new EvidenceTypeError('of an unknown binary type');
}

/**
 * A name safe to put in a header or on disk: letters, digits, dot, dash and underscore, no path, no leading dot,
 * with the detected extension. The original name is kept separately for display.
 */
export function safeFileName(original: string, ext: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '').normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return `${stem || 'evidence'}.${ext}`;
}
