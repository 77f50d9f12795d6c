import { describe, expect, it } from 'vitest';
import { detectEvidenceType, EvidenceTypeError, safeFileName } from './evidence-file-type.ts';

const bytes = (hex: string, pad = 64) => Buffer.concat([Buffer.from(hex, 'hex'), Buffer.alloc(pad)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PNG = bytes('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489');
const ELF = bytes('7f454c4602010100000000000000000002003e00');
const PE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x40, 0, 0, 0]), Buffer.from('PE\0\0'), Buffer.alloc(64)]);

describe('evidence file types are read from the bytes', () => {
  it('accepts a PDF, a PNG and CSV text', async () => {
    expect(await detectEvidenceType(PDF)).toEqual({ mediaType: 'application/pdf', ext: 'pdf' });
    expect(await detectEvidenceType(PNG)).toEqual({ mediaType: 'image/png', ext: 'png' });
    expect(await detectEvidenceType(Buffer.from('district,cases\nPK-PB-LHR,12\n'))).toEqual({ mediaType: 'text/csv', ext: 'csv' });
  });

  it('refuses executables whatever they are called, naming what they are', async () => {
    await expect(detectEvidenceType(ELF)).rejects.toThrow(/x-elf/);
    await expect(detectEvidenceType(PE)).rejects.toBeInstanceOf(EvidenceTypeError);
  });

  it('refuses HTML, SVG, zips and binary text', async () => {
    await expect(detectEvidenceType(Buffer.from('<html><script>alert(1)</script></html>'))).rejects.toThrow(/HTML/);
    await expect(detectEvidenceType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'))).rejects.toThrow(/415|SVG|markup/);
    await expect(detectEvidenceType(bytes('504b0304140000000800'))).rejects.toThrow(/zip/);
    await expect(detectEvidenceType(Buffer.from('a,b\n1,\u0000\n'))).rejects.toThrow(/unknown/);
  });

  it('makes stored names safe and keeps the detected extension', () => {
    expect(safeFileName('../../etc/passwd.exe', 'pdf')).toBe('passwd.pdf');
    expect(safeFileName('<img src=x onerror=1>.pdf', 'pdf')).toBe('img_src_x_onerror_1_.pdf');
    expect(safeFileName('', 'png')).toBe('evidence.png');
  });
});
