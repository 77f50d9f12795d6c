import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { ur } from './ur.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the English and Urdu dictionaries', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(ur).sort()).toEqual(Object.keys(en).sort());
  });

  it('fill in the same values in every label', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ur[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('give every label in Urdu script, with no English words left', () => {
    for (const [key, text] of Object.entries(ur)) {
      expect(text.trim(), key).not.toBe('');
      // File formats (CSV, JSON, XLSX, DHIS2) keep their names; placeholders are filled with local values.
      const words = text.replace(/\{\w+\}/g, '').replace(/\b(CSV|JSON|XLSX|DHIS2)\b/g, '');
      expect(words, key).not.toMatch(/[A-Za-z]/);
    }
  });
});
