/** A pillar or an objective: the status of each of its indicators at an org unit and the units under it. */
import { api } from '../api/client.ts';
import type { Framework, IndicatorStatus, ProgressStatus } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Link, useRouter } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { useSettings } from '../app/settings.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Await } from '../ui/Loading.tsx';
import { ScopeBar } from '../ui/ScopeBar.tsx';
import { STATUS_SYMBOL, StatusLegend, statusTone } from '../ui/Status.tsx';

/** The units compared: a country's provinces, a province's districts, or a district alone. */
function unitsUnder(code: string, level: string | undefined): string {
  if (level === 'country') return `${code},children:${code}`;
  if (level === 'province') return `${code},level:district:${code}`;
  return code;
}

function locate(fw: Framework, pillar?: string, objective?: string) {
  for (const p of fw.pillars) {
    if (p.code === pillar) return { pillar: p, objective: null };
    const o = p.objectives.find((x) => x.code === objective);
    if (o) return { pillar: p, objective: o };
  }
  return null;
}

export function StatusScreen({ pillar, objective }: { pillar?: string; objective?: string }) {
  const i18n = useI18n();
  const { framework, period } = useSettings();
  const { query } = useRouter();
  const orgUnit = query.get('orgUnit') ?? 'PK';
  const unit = useApi(() => api.orgUnit(orgUnit), [orgUnit]);
  const tree = useApi(() => api.framework(framework), [framework]);
  const where = tree.data ? locate(tree.data, pillar, objective) : null;
  const statuses = useApi(
    unit.data && where ? () => api.indicatorStatuses({ framework, pillar: where.pillar.code, orgUnit: unitsUnder(orgUnit, unit.data!.level), assessedAt: period }) : null,
    [framework, where?.pillar.code, orgUnit, unit.data?.level, period],
  );
  if (tree.data && !where) return <section><h1>{i18n.t('notFound.title')}</h1></section>;
  const title = where ? i18n.name(where.objective ?? where.pillar) : pillar ?? objective ?? '';
  return (
    <section>
      <nav aria-label={i18n.t('crumbs.label')} className="crumbs">
        <Link to="/">{i18n.t('nav.scorecard')}</Link>
        {where?.objective && <> › <Link to={paths.pillar(where.pillar.code, orgUnit)}>{i18n.name(where.pillar)}</Link></>}
        {unit.data && unit.data.level !== 'country' && <> › <Link to={paths.orgUnit(orgUnit)}>{i18n.name(unit.data)}</Link></>}
      </nav>
      <h1>{title}</h1>
      {where && !where.objective && (
        <ul className="chips" aria-label={i18n.t('status.objectives')}>
          {where.pillar.objectives.map((o) => <li key={o.code}><Link to={paths.objective(o.code, orgUnit)}>{i18n.name(o)}</Link></li>)}
        </ul>
      )}
      <ScopeBar showFramework={false} />
      <Await state={statuses}>
        {(rows) => <StatusMatrix rows={objective ? rows.filter((r) => r.objective === objective) : rows} orgUnit={orgUnit} />}
      </Await>
    </section>
  );
}

function StatusMatrix({ rows, orgUnit }: { rows: IndicatorStatus[]; orgUnit: string }) {
  const i18n = useI18n();
  const units = [...new Set(rows.map((r) => r.orgUnit))];
  const names = useApi(() => api.orgUnits(), []);
  const unitName = (code: string) => {
    const u = names.data?.find((x) => x.code === code);
    return u ? i18n.name(u) : code;
  };
  const indicators = [...new Map(rows.map((r) => [r.indicator, r])).values()];
  const at = (ind: string, unit: string) => rows.find((r) => r.indicator === ind && r.orgUnit === unit);
  const count = (s: ProgressStatus) => rows.filter((r) => r.orgUnit === orgUnit && r.status === s).length;
  return (
    <>
      <StatusLegend />
      <p>{i18n.t('status.summary', { onTrack: i18n.num(count('on_track') + count('achieved')), total: i18n.num(indicators.length), noData: i18n.num(count('no_data')), stale: i18n.num(count('stale')) })}</p>
      <div className="table-scroll">
        <table className="status-matrix">
          <caption>{i18n.t('status.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{i18n.t('col.indicator')}</th>
              {units.map((u) => <th key={u} scope="col"><Link to={paths.orgUnit(u)}>{unitName(u)}</Link></th>)}
            </tr>
          </thead>
          <tbody>
            {indicators.map((ind) => (
              <tr key={ind.indicator}>
                <th scope="row"><Link to={paths.indicator(ind.indicator, orgUnit)}><code translate="no">{ind.indicator}</code> {i18n.name(ind)}</Link></th>
                {units.map((u) => {
                  const r = at(ind.indicator, u);
                  if (!r) return <td key={u} />;
                  const label = i18n.t(`status.${r.status}` as const);
                  return (
                    <td key={u} className={`mark tone-${statusTone(r.status)}`}>
                      <Link to={paths.indicator(r.indicator, u)} title={label}>
                        <span aria-hidden="true">{STATUS_SYMBOL[r.status]}</span>
                        <span className="sr-only">{label}</span>
                        {r.latest && <span className="value">{i18n.num(r.latest.value)}</span>}
                      </Link>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
