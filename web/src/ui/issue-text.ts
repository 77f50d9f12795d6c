/** A problem the server reported, in the reader's language: by its code, since server messages are English. */
import type { I18n, MessageKey } from '../i18n/i18n.tsx';

const KNOWN = new Set([
  'not_a_number', 'negative_count', 'non_integer_count', 'percentage_out_of_range', 'not_yes_no', 'milestone_out_of_range',
  'negative_value', 'below_min', 'above_max', 'required', 'unknown_indicator', 'unknown_org_unit', 'invalid_period',
  'wrong_frequency', 'wrong_level', 'not_valid_in_period', 'invalid_disaggregation', 'unknown_category', 'unknown_option',
  'ratio_needs_parts', 'not_a_ratio', 'numerator_exceeds_denominator', 'duplicate', 'not_text', 'empty_file', 'empty',
  'unknown_format', 'too_large', 'not_finite', 'not_json', 'invalid',
]);

export function issueText(
  i18n: Pick<I18n, 'lang' | 't' | 'name' | 'num'>,
  issue: { code: string; message: string; rule?: { nameEn: string; nameUr: string }; outlier?: { median: number } },
): string {
  if (issue.code.startsWith('rule:')) {
    return issue.rule ? i18n.t('issue.rule', { name: i18n.name(issue.rule) }) : i18n.lang === 'en' ? issue.message : i18n.t('issue.ruleUnnamed');
  }
  if (issue.code === 'outlier' && issue.outlier) return i18n.t('issue.outlier', { median: i18n.num(issue.outlier.median) });
  // English readers get the server's own words, which carry the exact values.
  if (i18n.lang === 'en') return issue.message;
  return KNOWN.has(issue.code) ? i18n.t(`issue.${issue.code}` as MessageKey) : i18n.t('issue.other');
}
