/**
 * The committee's quarterly review pack of the country or a province, from GET /api/review-packs: the HTML opens
 * in a new tab, the PDF downloads. Shown only where the user's grants cover the unit, as the route requires.
 */
import { useState } from 'react';
import { useScope } from '../app/scope.ts';
import { useSettings } from '../app/settings.tsx';
import { useI18n, type Lang } from '../i18n/i18n.tsx';
import { recentPeriods } from '../i18n/periods.ts';

export function ReviewPackLink({ orgUnit }: { orgUnit: string }) {
  const i18n = useI18n();
  const settings = useSettings();
  const scope = useScope();
  // The quarter follows the scorecard's until the reader picks another here.
  const [picked, setPicked] = useState<string | null>(null);
  const [lang, setLang] = useState<Lang | null>(null);
  const [format, setFormat] = useState<'html' | 'pdf'>('pdf');
  if (!scope?.covers(orgUnit)) return null;
  const period = picked ?? settings.period;
  const packLang = lang ?? i18n.lang;
  const quarters = recentPeriods('quarterly', 8, { includeCurrent: true });
  if (!quarters.includes(period)) quarters.push(period);
  const href = `/api/review-packs?${new URLSearchParams({ period, orgUnit, lang: packLang, format })}`;
  return (
    <div className="card review-pack" role="group" aria-labelledby="review-pack-title">
      <h2 id="review-pack-title">{i18n.t('pack.title')}</h2>
      <p className="muted small">{i18n.t('pack.lead')}</p>
      <div className="field-row">
        <label>
          <span>{i18n.t('pack.period')}</span>
          <select id="review-pack-period" value={period} onChange={(e) => setPicked(e.target.value)}>
            {quarters.map((q) => <option key={q} value={q}>{i18n.period(q)}</option>)}
          </select>
        </label>
        <label>
          <span>{i18n.t('pack.lang')}</span>
          <select id="review-pack-lang" value={packLang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="en" lang="en">English</option>
            <option value="ur" lang="ur">اردو</option>
          </select>
        </label>
        <label>
          <span>{i18n.t('pack.format')}</span>
          <select id="review-pack-format" value={format} onChange={(e) => setFormat(e.target.value as 'html' | 'pdf')}>
            <option value="pdf">{i18n.t('pack.formatPdf')}</option>
            <option value="html">{i18n.t('pack.formatHtml')}</option>
          </select>
        </label>
        {format === 'pdf'
          ? <a className="button primary" href={href} download>{i18n.t('pack.download')}</a>
          : <a className="button primary" href={href} target="_blank" rel="noopener">{i18n.t('pack.open')}</a>}
      </div>
    </div>
  );
}
