/** A province (its pillar × district grid) or a district (its indicators), with every indicator's status there. */
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { Link } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { useScope } from '../app/scope.ts';
import { useSettings } from '../app/settings.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { IndicatorStatusTable } from '../ui/IndicatorStatusTable.tsx';
import { Await } from '../ui/Loading.tsx';
import { provinceOf } from '../ui/OrgUnitPicker.tsx';
import { ReviewPackLink } from '../ui/ReviewPackLink.tsx';
import { ScopeBar } from '../ui/ScopeBar.tsx';
import { ScoreGrid, ScoreLegend } from '../ui/ScoreGrid.tsx';

/** asHome: shown as a scoped user's home screen, where a breadcrumb back to the scorecard would lead to itself. */
export function OrgUnitScreen({ code, asHome = false }: { code: string; asHome?: boolean }) {
  const i18n = useI18n();
  const scope = useScope();
  const { framework, period } = useSettings();
  const unit = useApi(() => api.orgUnit(code), [code]);
  const level = unit.data?.level;
  const grid = useApi(
    level === 'province' || level === 'country'
      ? () => api.scorecard({ framework, assessedAt: period, level: level === 'country' ? 'province' : 'district', orgUnit: code })
      : null,
    [framework, period, code, level],
  );
  const statuses = useApi(() => api.indicatorStatuses({ framework, orgUnit: code, assessedAt: period }), [framework, code, period]);
  const tree = useApi(() => api.framework(framework), [framework]);
  // A unit answers for the indicators reported at its level or below it.
  const reported = new Set(tree.data?.pillars.flatMap((p) => p.objectives.flatMap((o) => o.indicators))
    .filter((i) => level === 'country' || (level === 'province' ? i.lowestLevel !== 'federal' : i.lowestLevel === 'district'))
    .map((i) => i.code));
  const units = useApi(() => api.orgUnits(), []);
  // A district's breadcrumb leads to its province, past the division tier, when the user may read there.
  const province = unit.data?.level === 'district' && units.data ? units.data.find((x) => x.code === provinceOf(units.data!, code) && scope?.covers(x.code)) : undefined;
  return (
    <Await state={unit}>
      {(u) => (
        <section>
          {!asHome && (
            <nav aria-label={i18n.t('crumbs.label')} className="crumbs">
              <Link to="/">{i18n.t('nav.scorecard')}</Link>
              {province && <> › <Link to={paths.orgUnit(province.code)}>{i18n.name(province)}</Link></>}
            </nav>
          )}
          <h1>{i18n.name(u)} <span className="muted small">{i18n.t(`level.${u.level}`)}</span></h1>
          {u.validTo && <p className="notice">{i18n.t('orgUnit.retired', { date: u.validTo })}</p>}
          <ScopeBar />
          {u.level === 'district' && (
            <p><Link className="button" to={paths.dataEntry({ orgUnit: u.code })}>{i18n.t('orgUnit.enterData')}</Link></p>
          )}
          {grid.data !== undefined || grid.loading ? (
            <>
              <h2>{i18n.t('orgUnit.gridTitle')}</h2>
              <ScoreLegend />
              <Await state={grid}>{(g) => <ScoreGrid grid={g} orgUnit={code} caption={i18n.t('orgUnit.gridCaption', { period: i18n.period(g.assessedAt) })} />}</Await>
            </>
          ) : null}
          {(u.level === 'country' || u.level === 'province') && <ReviewPackLink orgUnit={u.code} />}
          <h2>{i18n.t('orgUnit.indicatorsTitle')}</h2>
          <Await state={statuses}>
            {(rows) => <IndicatorStatusTable rows={rows.filter((r) => reported.has(r.indicator))} orgUnit={code} caption={i18n.t('orgUnit.indicatorsCaption', { unit: i18n.name(u), period: i18n.period(period) })} />}
          </Await>
        </section>
      )}
    </Await>
  );
}
