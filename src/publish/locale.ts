/**
 * English and Urdu for everything a publication prints that is not stored text: numbers, dates and periods
 * by the locale's own conventions, progress statuses, units and the suppression symbol.
 */
import type { SuppressionReason } from '../domain/disclosure-control.ts';
import type { UnitType } from '../domain/framework.ts';
import { parsePeriod } from '../domain/period.ts';
import type { ProgressStatus } from '../domain/progress.ts';

export const LANGS = ['en', 'ur'] as const;
export type Lang = (typeof LANGS)[number];

export const LOCALE: Record<Lang, string> = { en: 'en-PK', ur: 'ur-PK' };
export const DIRECTION: Record<Lang, 'ltr' | 'rtl'> = { en: 'ltr', ur: 'rtl' };

/** A stored name in the reader's language, the English one where no Urdu was given. */
export function named(lang: Lang, n: { nameEn: string; nameUr: string }): string {
  return lang === 'ur' && n.nameUr ? n.nameUr : n.nameEn;
}

export function formatNumber(lang: Lang, value: number, digits = 0): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}

/** A value in its indicator's unit: percentages to one decimal, currency in rupees, yes/no and milestones in words. */
export function formatValue(lang: Lang, unitType: UnitType, value: number): string {
  switch (unitType) {
    case 'percentage':
      return new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
    case 'currency':
      return new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'PKR', maximumFractionDigits: 0 }).format(value);
    case 'yes_no':
      return value >= 1 ? T[lang].yes : T[lang].no;
    case 'milestone':
      return `${formatNumber(lang, value)} – ${MILESTONES[lang][Math.round(value)] ?? ''}`;
    case 'index':
      return formatNumber(lang, value, 2);
    case 'count':
      return formatNumber(lang, value);
  }
}

export function formatShare(lang: Lang, share: number): string {
  return new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatDate(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeZone: 'Asia/Karachi' }).format(new Date(iso));
}

function monthName(lang: Lang, isoDate: string, style: 'long' | 'short'): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { month: style, timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** "Oct–Dec 2025", "اکتوبر تا دسمبر 2025", "FY 2025-26", "مالی سال 2025-26". */
export function formatPeriod(lang: Lang, code: string): string {
  const p = parsePeriod(code);
  const year = p.start.slice(0, 4);
  const style = lang === 'ur' ? 'long' : 'short';
  switch (p.type) {
    case 'monthly':
      return `${monthName(lang, p.start, 'long')} ${year}`;
    case 'year':
      return year;
    case 'fiscal_year': {
      const next = String(Number(year) + 1).slice(2);
      // Digits joined by a hyphen stay one left-to-right run in Urdu text too, so the order is the same.
      return lang === 'ur' ? `مالی سال ${year}-${next}` : `FY ${year}-${next}`;
    }
    default: {
      const [from, to] = [monthName(lang, p.start, style), monthName(lang, p.end, style)];
      return lang === 'ur' ? `${from} تا ${to} ${year}` : `${from}–${to} ${year}`;
    }
  }
}

const MILESTONES: Record<Lang, readonly string[]> = {
  en: ['not started', 'drafted', 'approved', 'notified / established', 'operational with evidence'],
  ur: ['آغاز نہیں ہوا', 'مسودہ تیار', 'منظور شدہ', 'اعلامیہ جاری / قائم', 'ثبوت کے ساتھ فعال'],
};

export const STATUS_LABEL: Record<Lang, Record<ProgressStatus, string>> = {
  en: {
    on_track: 'On track', acceleration_needed: 'Acceleration needed', limited_progress: 'Limited progress', moving_away: 'Moving away',
    achieved: 'Achieved', partially_achieved: 'Partially achieved', not_achieved: 'Not achieved', no_data: 'No data', stale: 'Stale data',
    no_target: 'No target',
  },
  ur: {
    on_track: 'درست سمت میں', acceleration_needed: 'رفتار بڑھانے کی ضرورت', limited_progress: 'محدود پیش رفت', moving_away: 'ہدف سے دوری',
    achieved: 'حاصل', partially_achieved: 'جزوی طور پر حاصل', not_achieved: 'حاصل نہیں', no_data: 'کوئی ڈیٹا نہیں', stale: 'پرانا ڈیٹا',
    no_target: 'کوئی ہدف نہیں',
  },
};

export const UNIT_LABEL: Record<Lang, Record<UnitType, string>> = {
  en: { count: 'count', percentage: 'percentage', currency: 'Pakistani rupees', yes_no: 'yes / no', milestone: 'milestone stage 0–4', index: 'index' },
  ur: { count: 'تعداد', percentage: 'فیصد', currency: 'پاکستانی روپے', yes_no: 'ہاں / نہیں', milestone: 'سنگِ میل کا مرحلہ 0 تا 4', index: 'اشاریہ عدد' },
};

/** The symbol a suppressed cell shows, and what it means. */
export const SUPPRESSED_SYMBOL: Record<Lang, string> = { en: '[c]', ur: '[پ]' };

export function suppressionNote(lang: Lang, threshold: number): string {
  return lang === 'ur'
    ? `${SUPPRESSED_SYMBOL.ur} افراد کی شناخت سے بچاؤ کے لیے پوشیدہ: 1 سے ${threshold - 1} تک کی تعداد، ایسا عدد جس سے ایسی تعداد معلوم کی جا سکے، یا ${threshold} سے کم کی بنیاد پر شرح۔`
    : `${SUPPRESSED_SYMBOL.en} Suppressed so that no one can be identified: a count from 1 to ${threshold - 1}, a figure from which such a count could be worked out, or a rate on a base under ${threshold}.`;
}

export const SUPPRESSION_REASON: Record<Lang, Record<SuppressionReason, string>> = {
  en: { small_count: 'a count under the threshold', complementary: 'would reveal a small count through the totals', small_denominator: 'a rate on a small base' },
  ur: { small_count: 'حد سے کم تعداد', complementary: 'میزان کے ذریعے کم تعداد ظاہر کر دیتا', small_denominator: 'کم بنیاد پر شرح' },
};

/** Words shared by the portal and the pack. */
export const T: Record<Lang, Record<'yes' | 'no' | 'total' | 'target' | 'syntheticNotice', string>> = {
  en: { yes: 'yes', no: 'no', total: 'Total', target: 'Target', syntheticNotice: 'Demo data: every value shown is synthetic, not a real figure.' },
  ur: { yes: 'ہاں', no: 'نہیں', total: 'کل', target: 'ہدف', syntheticNotice: 'نمونہ ڈیٹا: یہاں دکھائی گئی تمام اقدار فرضی ہیں، حقیقی اعداد نہیں۔' },
};
