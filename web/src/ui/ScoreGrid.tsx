/** Pillar × org-unit grid: per cell the share of KPIs on track, with its tone, symbol and the no-data and stale counts. */
import type { PillarGrid } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { shareTone } from './Status.tsx';

const TONE_SYMBOL = { good: '✓', fair: '↗', poor: '✗', none: '∅' } as const;

/** orgUnit: the unit whose children are the columns; a pillar's row leads to the pillar there. */
export function ScoreGrid({ grid, caption, orgUnit }: { grid: PillarGrid; caption: string; orgUnit?: string }) {
  const i18n = useI18n();
  const cell = (pillar: string, orgUnit: string) => grid.cells.find((c) => c.pillar === pillar && c.orgUnit === orgUnit);
  return (
    <div className="table-scroll">
      <table className="score-grid">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{i18n.t('grid.pillar')}</th>
            {grid.orgUnits.map((u) => (
              <th key={u.code} scope="col"><Link to={paths.orgUnit(u.code)}>{i18n.name(u)}</Link></th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.pillars.map((p) => (
            <tr key={p.code}>
              <th scope="row"><Link to={paths.pillar(p.code, orgUnit)}>{i18n.name(p)}</Link></th>
              {grid.orgUnits.map((u) => {
                const c = cell(p.code, u.code);
                if (!c || c.indicators === 0) return <td key={u.code} className="cell tone-none"><span className="muted">{i18n.t('grid.noIndicators')}</span></td>;
                const tone = shareTone(c.onTrackShare);
                return (
                  <td key={u.code} className={`cell tone-${tone}`}>
                    <Link to={paths.pillar(p.code, u.code)} className="cell-link"
                      aria-label={i18n.t('grid.cellLabel', { pillar: i18n.name(p), unit: i18n.name(u) })}>
                      <span className="share">
                        <span aria-hidden="true">{TONE_SYMBOL[tone]} </span>
                        {c.onTrackShare === null ? i18n.t('grid.notAssessed') : i18n.t('grid.onTrack', { share: i18n.pct(c.onTrackShare) })}
                      </span>
                      <span className="counts">
                        {i18n.t('grid.counts', { noData: i18n.num(c.noData), stale: i18n.num(c.stale), total: i18n.num(c.indicators) })}
                      </span>
                    </Link>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ScoreLegend() {
  const { t } = useI18n();
  return (
    <ul className="legend" aria-label={t('legend.label')}>
      <li className="tone-good"><span aria-hidden="true">✓ </span>{t('legend.good')}</li>
      <li className="tone-fair"><span aria-hidden="true">↗ </span>{t('legend.fair')}</li>
      <li className="tone-poor"><span aria-hidden="true">✗ </span>{t('legend.poor')}</li>
      <li className="tone-none"><span aria-hidden="true">∅ </span>{t('legend.none')}</li>
    </ul>
  );
}
