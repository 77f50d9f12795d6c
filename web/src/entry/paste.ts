/** A block of cells copied from Excel or LibreOffice arrives as tab-separated lines. */

/** Rows of cell texts; a trailing line break (Excel adds one) makes no extra row. Thousands separators go. */
export function parseClipboardBlock(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines.map((line) => line.split('\t').map((cell) => {
    const t = cell.trim();
    return /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replace(/,/g, '') : t;
  }));
}

/** Whether a paste is a block (more than one cell) rather than text for one cell. */
export function isBlock(text: string): boolean {
  return /[\t\n]/.test(text.replace(/\r?\n$/, ''));
}
