/**
 * Where the signed-in user's grants reach in the org-unit tree, as the server's scope check reads them: a grant
 * covers its unit and everything under it. The home screen opens at the top units; links stay inside the reach.
 */
import { useMemo } from 'react';
import { api } from '../api/client.ts';
import type { Grant } from '../api/governance.ts';
import type { OrgUnit } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from './session.tsx';

export interface Scope {
  /** A grant covers the whole country. */
  national: boolean;
  /** Below national scope: the granted units no other grant lies above, highest level first. */
  homes: OrgUnit[];
  /** Whether a grant covers the unit. Every role carries read, so this is where the user may read. */
  covers(code: string): boolean;
}

/** The country: the unit the API's org-unit parameters default to. */
export const NATIONAL = 'PK';

const EVERYWHERE: Scope = { national: true, homes: [], covers: () => true };

const LEVEL_ORDER: OrgUnit['level'][] = ['country', 'province', 'division', 'district'];

export function scopeOf(grants: Grant[], units: OrgUnit[]): Scope {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const granted = new Set(grants.map((g) => g.orgUnit));
  const covers = (code: string) => {
    for (let u = byCode.get(code); u; u = u.parentCode ? byCode.get(u.parentCode) : undefined) {
      if (granted.has(u.code)) return true;
    }
    return false;
  };
  const homes = [...granted]
    .map((code) => byCode.get(code))
    .filter((u): u is OrgUnit => u !== undefined && !(u.parentCode && covers(u.parentCode)))
    .sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.code.localeCompare(b.code));
  return homes[0]?.level === 'country' ? EVERYWHERE : { national: false, homes, covers };
}

/** The signed-in user's scope; undefined until the org units are loaded. */
export function useScope(): Scope | undefined {
  const { me } = useSession();
  // A national grant needs no org-unit tree to decide, so the national scorecard loads at once.
  const national = Boolean(me?.grants.some((g) => g.orgUnit === NATIONAL));
  const units = useApi(me && !national ? () => api.orgUnits() : null, [me, national]);
  return useMemo(() => (national ? EVERYWHERE : me && units.data ? scopeOf(me.grants, units.data) : undefined), [national, me, units.data]);
}
