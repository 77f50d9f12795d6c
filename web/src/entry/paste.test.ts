import { describe, expect, it } from 'vitest';
import { isBlock, parseClipboardBlock } from './paste.ts';

describe('a block of cells pasted from a spreadsheet', () => {
  it('splits into rows and cells, without the trailing line break Excel adds', () => {
    expect(parseClipboardBlock('10\t20\t30\r\n40\t50\t60\r\n')).toEqual([['10', '20', '30'], ['40', '50', '60']]);
  });

  it('drops thousands separators but keeps text a user must correct', () => {
    expect(parseClipboardBlock('1,234\t12,5\tabc')).toEqual([['1234', '12,5', 'abc']]);
  });

  it('tells a block from text meant for one cell', () => {
    expect(isBlock('42')).toBe(false);
    expect(isBlock('42\r\n')).toBe(false);
    expect(isBlock('42\t43')).toBe(true);
    expect(isBlock('42\n43')).toBe(true);
  });
});
