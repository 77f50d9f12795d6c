/**
 * Language, direction and locale formatting. Every label comes from a dictionary (en.ts, ur.ts: the same keys),
 * names of indicators, org units and institutions from their own Urdu fields, numbers and dates from Intl.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Named } from '../api/types.ts';
import { en, type MessageKey } from './en.ts';
import { ur } from './ur.ts';
import { periodMonths } from './periods.ts';

export type Lang = 'en' | 'ur';
export type { MessageKey };

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en, ur };
const LOCALES: Record<Lang, string> = { en: 'en-PK', ur: 'ur-PK' };
const STORAGE_KEY = 'jaiza.lang';

export interface I18n {
  lang: Lang;
  dir: 'ltr' | 'rtl';
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** A number in the locale; null reads as a dash. */
  num(n: number | null | undefined, digits?: number): string;
  /** A share 0–1 as a percentage. */
  pct(share: number | null | undefined): string;
  date(iso: string | Date): string;
  period(code: string): string;
  name(item: Pick<Named, 'nameEn' | 'nameUr'>): string;
}

export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return DICTIONARIES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

function initialLang(): Lang {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'ur' || stored === 'en' ? stored : 'en';
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    window.localStorage.setItem(STORAGE_KEY, l);
    setLangState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'ur' ? 'rtl' : 'ltr';
    document.title = translate(lang, 'app.title');
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const locale = LOCALES[lang];
    const numbers = new Map<number, Intl.NumberFormat>();
    const numberFormat = (digits: number) => {
      let f = numbers.get(digits);
      if (!f) numbers.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
      return f;
    };
    const plainYear = new Intl.NumberFormat(locale, { useGrouping: false });
    const month = new Intl.DateTimeFormat(locale, { month: lang === 'ur' ? 'long' : 'short', timeZone: 'UTC' });
    const monthName = (m: number) => month.format(new Date(Date.UTC(Math.floor(m / 12), m % 12, 1)));
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
    const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
    return {
      lang,
      dir: lang === 'ur' ? 'rtl' : 'ltr',
      setLang,
      t,
      num: (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : numberFormat(digits).format(n)),
      pct: (share) => (share === null || share === undefined ? '–' : `${numberFormat(0).format(Math.round(share * 100))}%`),
      date: (iso) => dateTime.format(typeof iso === 'string' ? new Date(iso) : iso),
      period(code) {
        const p = periodMonths(code);
        if (!p) return code;
        const year = (m: number) => plainYear.format(Math.floor(m / 12));
        switch (p.type) {
          case 'monthly':
            return `${monthName(p.first)} ${year(p.first)}`;
          case 'year':
            return year(p.first);
          case 'fiscal_year':
            return t('period.fiscalYear', { from: year(p.first), to: plainYear.format((Math.floor(p.first / 12) + 1) % 100).padStart(2, plainYear.format(0)) });
          default:
            return `${monthName(p.first)}–${monthName(p.last)} ${year(p.last)}`;
        }
      },
      name: (item) => (lang === 'ur' && item.nameUr ? item.nameUr : item.nameEn),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
