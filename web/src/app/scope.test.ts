import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../api/types.ts';
import { scopeOf } from './scope.ts';

const unit = (code: string, level: OrgUnit['level'], parentCode: string | null): OrgUnit =>
  ({ code, nameEn: code, nameUr: code, level, parentCode, validFrom: null, validTo: null, status: 'active' });
const UNITS = [
  unit('PK', 'country', null),
  unit('PK-PB', 'province', 'PK'),
  unit('PK-PB-LHD', 'division', 'PK-PB'),
  unit('PK-PB-LHR', 'district', 'PK-PB-LHD'),
  unit('PK-KP', 'province', 'PK'),
];

describe('a user\'s scope', () => {
  it('covers a grant\'s unit and everything under it, past the division tier, and nothing beside or above it', () => {
    const s = scopeOf([{ role: 'reviewer', orgUnit: 'PK-PB' }], UNITS);
    expect(['PK-PB', 'PK-PB-LHD', 'PK-PB-LHR'].map(s.covers)).toEqual([true, true, true]);
    expect(['PK', 'PK-KP', 'PK-XX'].map(s.covers)).toEqual([false, false, false]);
  });

  it('opens at the top granted units, highest level first, leaving out grants under another; a national grant covers all', () => {
    const s = scopeOf([
      { role: 'data_clerk', orgUnit: 'PK-PB-LHR' },
      { role: 'reviewer', orgUnit: 'PK-KP' },
      { role: 'reviewer', orgUnit: 'PK-PB-LHD' },
    ], UNITS);
    expect(s.homes.map((u) => u.code)).toEqual(['PK-KP', 'PK-PB-LHD']);
    expect(s.national).toBe(false);
    const national = scopeOf([{ role: 'admin', orgUnit: 'PK' }, { role: 'data_clerk', orgUnit: 'PK-PB' }], UNITS);
    expect([national.national, national.covers('PK-KP')]).toEqual([true, true]);
  });
});
