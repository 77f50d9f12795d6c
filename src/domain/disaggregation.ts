/**
 * A disaggregation is written `sex=F;age=15-19`; the empty string is the total.
 * The canonical key sorts categories by code so the same cell always has the same key.
 */
export type DisaggregationKey = string;

export class DisaggregationError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`"${input}" is not a valid disaggregation: ${reason}`);
    this.name = 'DisaggregationError';
  }
}

/** Parses `sex=F;age=15-19` into a category → option map; throws naming the input. */
export function parseDisaggregation(input: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = input.trim();
  if (text === '' || text.toLowerCase() === 'total') return out;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new DisaggregationError(input, `"${part}" is not category=option`);
    const cat = part.slice(0, eq).trim();
    const opt = part.slice(eq + 1).trim();
    if (!/^[a-z][a-z0-9_]*$/.test(cat)) throw new DisaggregationError(input, `"${cat}" is not a category code`);
    if (!/^[A-Za-z0-9+._-]+$/.test(opt)) throw new DisaggregationError(input, `"${opt}" is not an option code`);
    if (out.has(cat)) throw new DisaggregationError(input, `category "${cat}" appears twice`);
    out.set(cat, opt);
  }
  return out;
}

export function formatDisaggregation(parts: Map<string, string> | Record<string, string>): DisaggregationKey {
  const entries = parts instanceof Map ? [...parts.entries()] : Object.entries(parts);
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([c, o]) => `${c}=${o}`)
    .join(';');
}

export function canonicalDisaggregation(input: string): DisaggregationKey {
  return formatDisaggregation(parseDisaggregation(input));
}

/** The categories a key uses, sorted. */
export function disaggregationCategories(key: DisaggregationKey): string[] {
  return [...parseDisaggregation(key).keys()].sort();
}
