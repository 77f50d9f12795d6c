/** The framework and period the scorecards are read for, shared by every screen and kept across visits. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { lastEndedPeriod } from '../i18n/periods.ts';

export const DEFAULT_FRAMEWORK = 'NPVE-2024';

interface Settings {
  framework: string;
  /** A quarter: the scorecards' "as of". */
  period: string;
  set(changes: Partial<Pick<Settings, 'framework' | 'period'>>): void;
}

const STORAGE_KEY = 'jaiza.settings';
const SettingsContext = createContext<Settings | null>(null);

function stored(): { framework?: string; period?: string } {
  try {
    return JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}') as { framework?: string; period?: string };
  } catch {
    return {};
  }
}

export function SettingsProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState(() => {
    const s = stored();
    return { framework: s.framework ?? DEFAULT_FRAMEWORK, period: s.period ?? lastEndedPeriod('quarterly') };
  });
  const set = useCallback((changes: Partial<{ framework: string; period: string }>) => {
    setState((s) => {
      const next = { ...s, ...changes };
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  const value = useMemo(() => ({ ...state, set }), [state, set]);
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

export function useSettings(): Settings {
  const s = useContext(SettingsContext);
  if (!s) throw new Error('useSettings outside SettingsProvider');
  return s;
}
