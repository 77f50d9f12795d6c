/** Turning the text of a value cell into a number, strictly: a data officer must see a typo, not a silent 0. */
import type { UnitType } from './framework.ts';

export type ParsedNumber = { ok: true; value: number | null } | { ok: false; message: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const YES = new Set(['yes', 'y', 'true', '1', 'ہاں']);
const NO = new Set(['no', 'n', 'false', '0', 'نہیں']);

/** Empty text is null (no value); anything else must be a plain decimal number. */
export function parseNumberText(text: string | null | undefined): ParsedNumber {
  if (text === null || text === undefined) return { ok: true, value: null };
  const t = text.trim();
  if (t === '') return { ok: true, value: null };
  if (!NUMBER.test(t)) return { ok: false, message: `"${text}" is not a number` };
  const n = Number(t);
  if (!Number.isFinite(n)) return { ok: false, message: `"${text}" is out of range` };
  return { ok: true, value: n };
}

/** Parses a value cell for a unit type: yes/no accepts Yes/No/True/False/1/0 as well as ہاں/نہیں. */
export function parseValueText(unitType: UnitType, text: string | null | undefined): ParsedNumber {
  if (unitType === 'yes_no' && text != null && text.trim() !== '') {
    const t = text.trim().toLowerCase();
    if (YES.has(t)) return { ok: true, value: 1 };
    if (NO.has(t)) return { ok: true, value: 0 };
    return { ok: false, message: `"${text}" is not yes or no` };
  }
  return parseNumberText(text);
}

/** A percentage's value is derived from its parts, so it can never disagree with them. */
export function percentageValue(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return (100 * numerator) / denominator;
}
