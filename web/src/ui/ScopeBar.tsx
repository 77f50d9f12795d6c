/** The framework and "as of" quarter every scorecard screen is read for. */
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useSettings } from '../app/settings.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { recentPeriods } from '../i18n/periods.ts';

export function ScopeBar({ showFramework = true }: { showFramework?: boolean }) {
  const i18n = useI18n();
  const { framework, period, set } = useSettings();
  const frameworks = useApi(() => api.frameworks(), []);
  const quarters = recentPeriods('quarterly', 8, { includeCurrent: true });
  if (!quarters.includes(period)) quarters.push(period);
  return (
    <div className="scope-bar">
      {showFramework && (
        <label>
          <span>{i18n.t('scope.framework')}</span>
          <select value={framework} onChange={(e) => set({ framework: e.target.value })}>
            {(frameworks.data ?? [{ code: framework, nameEn: framework, nameUr: framework }]).map((f) => (
              <option key={f.code} value={f.code}>{i18n.name(f)}</option>
            ))}
          </select>
        </label>
      )}
      <label>
        <span>{i18n.t('scope.period')}</span>
        <select value={period} onChange={(e) => set({ period: e.target.value })}>
          {quarters.map((q) => <option key={q} value={q}>{i18n.period(q)}</option>)}
        </select>
      </label>
    </div>
  );
}
