/** Org units with effective dates: boundaries change (Punjab 36→41 districts, KP 35→40, 2022–2026). */
export const ORG_UNIT_LEVELS = ['country', 'province', 'division', 'district'] as const;
export type OrgUnitLevel = (typeof ORG_UNIT_LEVELS)[number];

export interface OrgUnitDef {
  code: string;
  nameEn: string;
  nameUr: string;
  level: OrgUnitLevel;
  parent: string | null;
  kind?: string | null;
  status?: string;
  /** First day the unit exists (ISO date), null = always. */
  validFrom: string | null;
  /** First day the unit no longer exists (exclusive), null = still exists. */
  validTo: string | null;
  note?: string | null;
  aliases?: string[];
}

export interface OrgUnitChange {
  code: string;
  kind: 'split' | 'merge' | 'rename';
  effective: string;
  predecessors: string[];
}

/** True when the unit exists on at least one day of [start, end]. */
export function orgUnitValidDuring(unit: Pick<OrgUnitDef, 'validFrom' | 'validTo'>, start: string, end: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= end) && (unit.validTo === null || unit.validTo > start);
}

/** Every (ancestor, descendant, depth) pair including each unit itself, for the closure table. */
export function closurePairs(units: { code: string; parent: string | null }[]): [string, string, number][] {
  const parentOf = new Map(units.map((u) => [u.code, u.parent]));
  const pairs: [string, string, number][] = [];
  for (const u of units) {
    let depth = 0;
    const seen = new Set<string>();
    for (let a: string | null | undefined = u.code; a; a = parentOf.get(a)) {
      if (seen.has(a)) throw new Error(`org unit ${u.code} has a cycle in its parents at ${a}`);
      seen.add(a);
      pairs.push([a, u.code, depth++]);
    }
  }
  return pairs;
}

/** Level implied by a reporting level: which org-unit level reports an indicator. */
export function reportingUnitLevel(lowestLevel: 'federal' | 'province' | 'district'): OrgUnitLevel {
  return lowestLevel === 'federal' ? 'country' : lowestLevel;
}
