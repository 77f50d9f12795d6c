/** Checks that a byte stream is text before a parser sees it, so a wrong file gets a clear message, not a parse error. */
import { Readable } from 'node:stream';
import { InputError } from '../domain/row-error.ts';

const SNIFF_BYTES = 4096;

/** The same bytes, less a UTF-8 byte-order mark; fails with InputError (row 0) when the file is empty or its start is not text. */
export function textInput(input: NodeJS.ReadableStream, expected: string): Readable {
  async function* checked(): AsyncGenerator<Buffer> {
    // The start is gathered up to SNIFF_BYTES first, so a stream of tiny chunks is judged like any other.
    let head: Buffer[] | null = [];
    let headLength = 0;
    const release = () => {
      let start = Buffer.concat(head!);
      head = null;
      rejectBinary(start.subarray(0, SNIFF_BYTES), expected);
      if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) start = start.subarray(3);
      return start;
    };
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (head === null) {
        yield bytes;
        continue;
      }
      head.push(bytes);
      headLength += bytes.length;
      if (headLength >= SNIFF_BYTES) yield release();
    }
    if (head !== null) {
      const start = release();
      if (start.toString('utf8').trim() === '') throw new InputError([{ row: 0, field: 'file', code: 'empty_file', message: 'the file is empty' }]);
      yield start;
    }
  }
  return Readable.from(checked(), { objectMode: false });
}

function rejectBinary(start: Buffer, expected: string): void {
  const fail = (what: string) => {
    throw new InputError([{ row: 0, field: 'file', code: 'not_text', message: `${what}, not ${expected}` }]);
  };
  if (start[0] === 0x50 && start[1] === 0x4b && start[2] === 0x03 && start[3] === 0x04) fail('the file is a ZIP archive (an XLSX workbook?)');
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) fail('the file is UTF-16 text; save it as UTF-8');
  if (start.includes(0)) fail('the file is binary');
}
