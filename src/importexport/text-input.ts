/** Checks that an uploaded stream is text before any parser sees it: a binary file renamed .csv must be refused by name. */
import { PassThrough, type Readable } from 'node:stream';
import { InputError } from '../domain/row-error.ts';

const SNIFF_BYTES = 8192;

export function looksBinary(head: Buffer): boolean {
  if (head.includes(0)) return true;
  let control = 0;
  for (const b of head) if (b < 9 || (b > 13 && b < 32)) control++;
  if (control > head.length * 0.01 + 2) return true;
  const text = head.toString('utf8');
  // Replacement characters beyond a cut multi-byte sequence at the end mean this is not UTF-8 text.
  return (text.slice(0, -3).match(/\uFFFD/g)?.length ?? 0) > 0;
}

/**
 * Re-emits the stream after checking its first bytes; rejects an empty or binary input
 * with an InputError naming the file as a whole (row 0).
 */
export async function requireText(input: Readable, what: string): Promise<Readable> {
  const out = new PassThrough();
  const it = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as string);
    chunks.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(chunks);
  if (head.length === 0 || head.toString('utf8').trim() === '') {
    throw new InputError([{ row: 0, field: 'file', code: 'empty', message: `the file is empty: expected ${what}` }]);
  }
  if (looksBinary(head.subarray(0, SNIFF_BYTES))) {
    throw new InputError([{ row: 0, field: 'file', code: 'not_text', message: `the file is not ${what}: it contains binary data` }]);
  }
  out.write(head);
  if (done) out.end();
  else {
    (async () => {
      try {
        for (let n = await it.next(); !n.done; n = await it.next()) {
          if (!out.write(n.value)) await new Promise((r) => out.once('drain', r));
        }
        out.end();
      } catch (e) {
        out.destroy(e as Error);
      }
    })();
  }
  return out;
}
