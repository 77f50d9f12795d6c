/**
 * Typed values not yet stored on the server live in the browser's storage, per org unit and period, from the
 * first keystroke: a closed tab, a crash or a lost connection loses nothing.
 */
import type { Typed } from './entry-grid.ts';

const key = (orgUnit: string, period: string) => `jaiza.entry.v1:${orgUnit}:${period}`;

export function loadTyped(orgUnit: string, period: string): Typed {
  try {
    const raw = window.localStorage.getItem(key(orgUnit, period));
    return raw ? (JSON.parse(raw) as { typed: Typed }).typed : {};
  } catch {
    return {};
  }
}

export function storeTyped(orgUnit: string, period: string, typed: Typed): void {
  if (Object.keys(typed).length === 0) window.localStorage.removeItem(key(orgUnit, period));
  else window.localStorage.setItem(key(orgUnit, period), JSON.stringify({ typed, at: new Date().toISOString() }));
}
