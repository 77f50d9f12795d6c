/** The national scorecard: how each pillar stands in each province for the chosen quarter. */
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useSettings } from '../app/settings.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Await } from '../ui/Loading.tsx';
import { ScopeBar } from '../ui/ScopeBar.tsx';
import { ScoreGrid, ScoreLegend } from '../ui/ScoreGrid.tsx';

export function HomeScreen() {
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
    </section>
  );
}
