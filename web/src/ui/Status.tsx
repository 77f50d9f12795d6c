/** Progress status with its symbol and words: colour is never the only signal. */
import type { ProgressStatus } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';

export const STATUS_SYMBOL: Record<ProgressStatus, string> = {
  on_track: '✓', acceleration_needed: '↗', limited_progress: '→', moving_away: '↘', achieved: '★',
  partially_achieved: '◐', not_achieved: '✗', no_data: '∅', stale: '◔', no_target: '○',
};

/** Statuses grouped into the four colours of the scorecards. */
export function statusTone(s: ProgressStatus): 'good' | 'fair' | 'poor' | 'none' {
  if (s === 'on_track' || s === 'achieved') return 'good';
  if (s === 'acceleration_needed' || s === 'partially_achieved') return 'fair';
  if (s === 'limited_progress' || s === 'moving_away' || s === 'not_achieved') return 'poor';
  return 'none';
}

export function StatusBadge({ status, short }: { status: ProgressStatus; short?: boolean }) {
  const { t } = useI18n();
  const label = t(`status.${status}` as const);
  return (
    <span className={`status tone-${statusTone(status)}`} title={short ? label : undefined}>
      <span aria-hidden="true" className="symbol">{STATUS_SYMBOL[status]}</span>
      {short ? <span className="sr-only">{label}</span> : <span>{label}</span>}
    </span>
  );
}

/** A cell of a pillar grid: the share on track decides the tone. */
export function shareTone(share: number | null): 'good' | 'fair' | 'poor' | 'none' {
  if (share === null) return 'none';
  if (share >= 2 / 3) return 'good';
  if (share >= 1 / 3) return 'fair';
  return 'poor';
}

/** What each symbol of a status table means. */
export function StatusLegend() {
  const { t } = useI18n();
  return (
    <ul className="legend" aria-label={t('legend.label')}>
      {(Object.keys(STATUS_SYMBOL) as ProgressStatus[]).map((s) => (
        <li key={s} className={`tone-${statusTone(s)}`}><span aria-hidden="true">{STATUS_SYMBOL[s]} </span>{t(`status.${s}` as const)}</li>
      ))}
    </ul>
  );
}
