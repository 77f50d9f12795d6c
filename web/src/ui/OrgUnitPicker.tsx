/** Picks an org unit: the country, a province, or a district of it. Names in the reader's language. */
import { api } from '../api/client.ts';
import type { OrgUnit } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** The province a unit lies in (a district's parent may be a division). */
export function provinceOf(units: OrgUnit[], code: string): string | null {
  const byCode = new Map(units.map((u) => [u.code, u]));
  for (let u = byCode.get(code); u; u = u.parentCode ? byCode.get(u.parentCode) : undefined) {
    if (u.level === 'province') return u.code;
  }
  return null;
}

export function OrgUnitPicker({ value, onChange, allowCountry = true, idPrefix }: {
  value: string;
  onChange: (code: string) => void;
  allowCountry?: boolean;
  idPrefix: string;
}) {
  const i18n = useI18n();
  const units = useApi(() => api.orgUnits(), []);
  const all = units.data ?? [];
  const province = provinceOf(all, value);
  const provinces = all.filter((u) => u.level === 'province');
  const districts = province ? all.filter((u) => u.level === 'district' && provinceOf(all, u.code) === province && !u.validTo) : [];
  const byName = (a: OrgUnit, b: OrgUnit) => i18n.name(a).localeCompare(i18n.name(b), i18n.lang);
  return (
    <div className="picker">
      <label htmlFor={`${idPrefix}-province`}>
        <span>{i18n.t('picker.province')}</span>
        <select id={`${idPrefix}-province`} value={province ?? ''} onChange={(e) => onChange(e.target.value || 'PK')}>
          {allowCountry && <option value="">{i18n.t('picker.country')}</option>}
          {!allowCountry && !province && <option value="">{i18n.t('picker.choose')}</option>}
          {provinces.map((p) => <option key={p.code} value={p.code}>{i18n.name(p)}</option>)}
        </select>
      </label>
      <label htmlFor={`${idPrefix}-district`}>
        <span>{i18n.t('picker.district')}</span>
        <select id={`${idPrefix}-district`} value={province && value !== province ? value : ''} disabled={!province}
          onChange={(e) => onChange(e.target.value || province!)}>
          <option value="">{i18n.t('picker.wholeProvince')}</option>
          {[...districts].sort(byName).map((d) => <option key={d.code} value={d.code}>{i18n.name(d)}</option>)}
        </select>
      </label>
    </div>
  );
}
