/**
 * The home screen: the national scorecard (how each pillar stands in each province) for users with a national
 * grant; for everyone else the screen of their own top unit, so nobody lands on figures they may not read.
 */
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { Link } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { NATIONAL, useScope } from '../app/scope.ts';
import { useSettings } from '../app/settings.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Await } from '../ui/Loading.tsx';
import { ReviewPackLink } from '../ui/ReviewPackLink.tsx';
import { ScopeBar } from '../ui/ScopeBar.tsx';
import { ScoreGrid, ScoreLegend } from '../ui/ScoreGrid.tsx';
import { OrgUnitScreen } from './OrgUnitScreen.tsx';

export function HomeScreen() {
  const i18n = useI18n();
  const scope = useScope();
  if (!scope) return <p className="muted" role="status">{i18n.t('loading')}</p>;
  if (scope.national) return <NationalScorecard />;
  const [home, ...others] = scope.homes;
  if (!home) return <p className="notice">{i18n.t('home.noGrant')}</p>;
  return (
    <>
      <OrgUnitScreen code={home.code} asHome />
      {others.length > 0 && (
        <nav aria-label={i18n.t('home.otherUnits')}>
          <h2>{i18n.t('home.otherUnits')}</h2>
          <ul className="chips">
            {others.map((u) => <li key={u.code}><Link to={paths.orgUnit(u.code)}>{i18n.name(u)}</Link></li>)}
          </ul>
        </nav>
      )}
    </>
  );
}

function NationalScorecard() {
  const i18n = useI18n();
  const { framework, period } = useSettings();
  const grid = useApi(() => api.scorecard({ framework, assessedAt: period }), [framework, period]);
  return (
    <section>
      <h1>{i18n.t('home.title')}</h1>
      <p className="lead">{i18n.t('home.lead')}</p>
      <ScopeBar />
      <ScoreLegend />
      <Await state={grid}>
        {(g) => <ScoreGrid grid={g} caption={i18n.t('home.caption', { period: i18n.period(g.assessedAt) })} />}
      </Await>
      <p className="muted small">{i18n.t('home.method')}</p>
      <ReviewPackLink orgUnit={NATIONAL} />
    </section>
  );
}
