/**
 * One indicator: what it measures and who owns it, its trend against the target path, how org units compare,
 * its disaggregations, who changed its values, and the validation and outlier flags on it.
 */
import { useMemo } from 'react';
import { api } from '../api/client.ts';
import type { Breakdown, IndicatorDetail, OrgUnit } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Link, useQueryState } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { useSettings } from '../app/settings.tsx';
import { useI18n, type I18n } from '../i18n/i18n.tsx';
import { periodEndingIn, recentPeriods } from '../i18n/periods.ts';
import { Chart } from '../ui/Chart.tsx';
import { COLOURS, comparisonOption, trendOption } from '../ui/chart-options.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Await } from '../ui/Loading.tsx';
import { OrgUnitPicker, provinceOf } from '../ui/OrgUnitPicker.tsx';
import { StatusBadge } from '../ui/Status.tsx';

const TREND_PERIODS = 12;
const OWNERS_SHOWN = 3;

/** `sex=F;age=15-19` in words, from the indicator's categories. */
export function disaggregationLabel(i18n: I18n, key: string, categories: Breakdown['categories']): string {
  if (!key) return i18n.t('entry.total');
  return key.split(';').map((part) => {
    const [c, o] = part.split('=');
    const cat = categories.find((x) => x.code === c);
    const opt = cat?.options.find((x) => x.code === o);
    return cat && opt ? `${i18n.name(cat)}: ${i18n.name(opt)}` : part;
  }).join('، ');
}

export function IndicatorScreen({ code }: { code: string }) {
  const i18n = useI18n();
  const { period: assessedAt } = useSettings();
  const [query, setQuery] = useQueryState();
  const orgUnit = query.get('orgUnit') ?? 'PK';
  const detail = useApi(() => api.indicator(code), [code]);
  return (
    <Await state={detail}>
      {(ind) => {
        const periods = recentPeriods(ind.frequency, TREND_PERIODS, { includeCurrent: true });
        const period = query.get('period') ?? periodEndingIn(ind.frequency, assessedAt);
        return (
          <section>
            <nav aria-label={i18n.t('crumbs.label')} className="crumbs">
              <Link to="/">{i18n.t('nav.scorecard')}</Link> › <Link to={paths.pillar(ind.pillar.code)}>{i18n.name(ind.pillar)}</Link>
              {' › '}<Link to={paths.objective(ind.objective.code)}>{i18n.name(ind.objective)}</Link>
            </nav>
            <h1><code translate="no">{ind.code}</code> {i18n.name(ind)}</h1>
            <div className="scope-bar">
              <OrgUnitPicker idPrefix="indicator-unit" value={orgUnit} onChange={(c) => setQuery({ orgUnit: c === 'PK' ? null : c })} />
              <label>
                <span>{i18n.t('indicator.period')}</span>
                <select value={period} onChange={(e) => setQuery({ period: e.target.value })}>
                  {(periods.includes(period) ? periods : [period, ...periods]).map((p) => <option key={p} value={p}>{i18n.period(p)}</option>)}
                </select>
              </label>
            </div>
            <Trend ind={ind} orgUnit={orgUnit} periods={[...periods].reverse()} />
            <div className="columns">
              <Definition ind={ind} />
              <StatusCard code={code} orgUnit={orgUnit} assessedAt={assessedAt} />
            </div>
            <Comparison ind={ind} orgUnit={orgUnit} period={period} />
            <BreakdownSection ind={ind} orgUnit={orgUnit} period={period} />
            <Flags ind={ind} orgUnit={orgUnit} period={period} />
            <Changes ind={ind} orgUnit={orgUnit} />
          </section>
        );
      }}
    </Await>
  );
}

function Definition({ ind }: { ind: IndicatorDetail }) {
  const i18n = useI18n();
  const institutions = useApi(() => api.institutions(), []);
  const owner = (c: string) => {
    const i = institutions.data?.find((x) => x.code === c);
    return i ? i18n.name(i) : c;
  };
  return (
    <div className="card">
      <h2>{i18n.t('indicator.definition')}</h2>
      <p>{i18n.lang === 'ur' && ind.definitionUr ? ind.definitionUr : ind.definitionEn}</p>
      <dl className="facts">
        <dt>{i18n.t('indicator.unit')}</dt><dd>{i18n.t(`unit.${ind.unitType}`)}</dd>
        <dt>{i18n.t('indicator.frequency')}</dt><dd>{i18n.t(`frequency.${ind.frequency}`)}</dd>
        <dt>{i18n.t('indicator.level')}</dt><dd>{i18n.t(`reportingLevel.${ind.lowestLevel}`)}</dd>
        <dt>{i18n.t('indicator.polarity')}</dt><dd>{i18n.t(`polarity.${ind.polarity}`)}</dd>
        <dt>{i18n.t('indicator.phase')}</dt><dd>{i18n.t(`phase.${ind.phase}`)}</dd>
        <dt>{i18n.t('indicator.owners')}</dt>
        <dd>
          <ul className="plain">{ind.institutions.slice(0, OWNERS_SHOWN).map((c, n) => <li key={c}>{owner(c)}{n === 0 && <span className="muted small"> ({i18n.t('indicator.lead')})</span>}</li>)}</ul>
          {ind.institutions.length > OWNERS_SHOWN && (
            <details>
              <summary>{i18n.t('indicator.moreOwners', { count: i18n.num(ind.institutions.length - OWNERS_SHOWN) })}</summary>
              <ul className="plain">{ind.institutions.slice(OWNERS_SHOWN).map((c) => <li key={c}>{owner(c)}</li>)}</ul>
            </details>
          )}
        </dd>
        <dt>{i18n.t('indicator.verification')}</dt><dd lang="en" dir="ltr">{ind.meansOfVerification || '–'}</dd>
        <dt>{i18n.t('indicator.baseline')}</dt>
        <dd>{ind.baselineValue === null ? i18n.t('indicator.noBaseline') : `${i18n.num(ind.baselineValue)} (${ind.baselinePeriod ? i18n.period(ind.baselinePeriod) : ''})`}</dd>
      </dl>
      <h3>{i18n.t('indicator.targets')}</h3>
      {ind.targets.length === 0 ? <p className="muted">{i18n.t('indicator.noTargets')}</p> : (
        <TargetsTable ind={ind} />
      )}
    </div>
  );
}

function TargetsTable({ ind }: { ind: IndicatorDetail }) {
  const i18n = useI18n();
  const units = useApi(() => api.orgUnits(), []);
  const unitName = (c: string) => {
    const u = units.data?.find((x) => x.code === c);
    return u ? i18n.name(u) : c;
  };
  return (
    <table className="compact">
      <caption className="sr-only">{i18n.t('indicator.targets')}</caption>
      <thead><tr><th scope="col">{i18n.t('col.orgUnit')}</th><th scope="col">{i18n.t('col.when')}</th><th scope="col" className="num">{i18n.t('col.target')}</th></tr></thead>
      <tbody>
        {ind.targets.map((t) => (
          <tr key={`${t.orgUnit}|${t.period ?? t.phase}`}>
            <td>{unitName(t.orgUnit)}</td>
            <td>{t.period ? i18n.period(t.period) : i18n.t(`phase.${t.phase!}`)}</td>
            <td className="num">{i18n.num(t.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StatusCard({ code, orgUnit, assessedAt }: { code: string; orgUnit: string; assessedAt: string }) {
  const i18n = useI18n();
  const status = useApi(() => api.indicatorStatuses({ indicator: code, orgUnit, assessedAt }), [code, orgUnit, assessedAt]);
  return (
    <div className="card">
      <h2>{i18n.t('indicator.status', { period: i18n.period(assessedAt) })}</h2>
      <Await state={status}>
        {(rows) => {
          const r = rows[0];
          if (!r) return <p className="muted">{i18n.t('table.empty')}</p>;
          return (
            <>
              <p className="big-status"><StatusBadge status={r.status} /></p>
              <dl className="facts">
                <dt>{i18n.t('col.latest')}</dt><dd>{r.latest ? `${i18n.num(r.latest.value)} (${i18n.period(r.latest.period)})` : '–'}</dd>
                <dt>{i18n.t('col.target')}</dt><dd>{r.target ? `${i18n.num(r.target.value)} (${r.target.period ? i18n.period(r.target.period) : i18n.t(`phase.${r.target.phase as 'short'}`)})` : '–'}</dd>
                {r.ratio !== null && <><dt>{i18n.t('indicator.ratio')}</dt><dd>{i18n.pct(r.ratio)}</dd></>}
              </dl>
            </>
          );
        }}
      </Await>
    </div>
  );
}

function Trend({ ind, orgUnit, periods }: { ind: IndicatorDetail; orgUnit: string; periods: string[] }) {
  const i18n = useI18n();
  const values = useApi(() => api.analytics({ indicator: ind.code, orgUnit, period: periods.join(';') }), [ind.code, orgUnit, periods.join(';')]);
  const path = useApi(() => api.targetPath(ind.code, orgUnit), [ind.code, orgUnit]);
  const option = useMemo(() => {
    if (!values.data || !path.data) return null;
    const series = periods.map((p) => values.data!.find((c) => c.period === p)?.value ?? null);
    const first = series.findIndex((v) => v !== null);
    const start = path.data.baseline ?? (first >= 0 ? { period: periods[first]!, value: series[first]! } : null);
    const last = periods.at(-1)!;
    // The path runs to the first target at or after the trend's end; later ones would squash the trend.
    const upcoming = path.data.targets.filter((t) => t.period <= last);
    const next = path.data.targets.find((t) => t.period > last);
    const points = [...(start ? [start] : []), ...upcoming.filter((t) => !start || t.period > start.period), ...(next ? [next] : [])];
    return { option: trendOption(i18n, { periods, values: series, path: points.length > 1 ? points : [] }), hasPath: points.length > 1 };
  }, [values.data, path.data, periods.join(';'), i18n]);
  return (
    <section className="card">
      <h2>{i18n.t('indicator.trend')}</h2>
      <Await state={values}>
        {(cells) => (
          <>
            {option && (
              <>
                <ul className="chart-legend">
                  <li><span className="swatch" style={{ borderColor: COLOURS.value }} aria-hidden="true" />{i18n.t('chart.value')}</li>
                  {option.hasPath && <li><span className="swatch dashed" style={{ borderColor: COLOURS.target }} aria-hidden="true" />{i18n.t('chart.targetPath')}</li>}
                </ul>
                <Chart option={option.option} label={i18n.t('indicator.trendLabel', { name: i18n.name(ind) })} />
              </>
            )}
            <details>
              <summary>{i18n.t('indicator.trendTable')}</summary>
              <table className="compact">
                <thead><tr><th scope="col">{i18n.t('col.period')}</th><th scope="col" className="num">{i18n.t('chart.value')}</th></tr></thead>
                <tbody>{cells.map((c) => <tr key={c.period}><td>{i18n.period(c.period)}</td><td className="num">{i18n.num(c.value)}</td></tr>)}</tbody>
              </table>
            </details>
          </>
        )}
      </Await>
    </section>
  );
}

/** The units to compare with: a country's provinces, or the districts (or provinces) around a unit. */
function comparisonScope(ind: IndicatorDetail, orgUnit: string, units: OrgUnit[]): string {
  const unit = units.find((u) => u.code === orgUnit);
  if (!unit || unit.level === 'country' || ind.lowestLevel !== 'district') return 'children:PK';
  return `level:district:${provinceOf(units, orgUnit)}`;
}

function Comparison({ ind, orgUnit, period }: { ind: IndicatorDetail; orgUnit: string; period: string }) {
  const i18n = useI18n();
  const units = useApi(() => api.orgUnits(), []);
  const scope = units.data ? comparisonScope(ind, orgUnit, units.data) : null;
  const cells = useApi(scope ? () => api.analytics({ indicator: ind.code, orgUnit: scope, period }) : null, [ind.code, scope, period]);
  if (ind.lowestLevel === 'federal') return null;
  const name = (c: string) => {
    const u = units.data?.find((x) => x.code === c);
    return u ? i18n.name(u) : c;
  };
  return (
    <section className="card">
      <h2>{i18n.t('indicator.comparison', { period: i18n.period(period) })}</h2>
      <Await state={cells}>
        {(rows) => {
          const shown = rows.filter((r) => !units.data?.find((u) => u.code === r.orgUnit)?.validTo || r.value !== null);
          return (
            <>
              <Chart height={Math.max(200, shown.length * 24 + 50)} label={i18n.t('indicator.comparisonLabel', { name: i18n.name(ind) })}
                option={comparisonOption(i18n, shown.map((r) => ({ name: name(r.orgUnit), value: r.value, highlight: r.orgUnit === orgUnit })))} />
              <DataTable
                rows={shown}
                caption={i18n.t('indicator.comparisonTable')}
                rowKey={(r) => r.orgUnit}
                initialSort={{ key: 'value', desc: true }}
                columns={[
                  { key: 'unit', header: i18n.t('col.orgUnit'), sortValue: (r) => name(r.orgUnit), render: (r) => <Link to={paths.indicator(ind.code, r.orgUnit)}>{name(r.orgUnit)}</Link> },
                  { key: 'value', header: i18n.t('chart.value'), numeric: true, sortValue: (r) => r.value, render: (r) => i18n.num(r.value) },
                  ...(ind.unitType === 'percentage' ? [
                    { key: 'num', header: i18n.t('entry.numerator'), numeric: true, sortValue: (r: typeof rows[number]) => r.numerator, render: (r: typeof rows[number]) => i18n.num(r.numerator) },
                    { key: 'den', header: i18n.t('entry.denominator'), numeric: true, sortValue: (r: typeof rows[number]) => r.denominator, render: (r: typeof rows[number]) => i18n.num(r.denominator) },
                  ] : []),
                ]}
              />
            </>
          );
        }}
      </Await>
    </section>
  );
}

function BreakdownSection({ ind, orgUnit, period }: { ind: IndicatorDetail; orgUnit: string; period: string }) {
  const i18n = useI18n();
  const breakdown = useApi(ind.disaggregations.length ? () => api.breakdown(ind.code, orgUnit, period) : null, [ind.code, orgUnit, period]);
  if (!ind.disaggregations.length) return null;
  return (
    <section className="card">
      <h2>{i18n.t('indicator.breakdown', { period: i18n.period(period) })}</h2>
      <Await state={breakdown}>
        {(b) => (
          <div className="breakdown">
            {b.categories.map((c) => {
              const max = Math.max(0, ...c.options.map((o) => o.value ?? 0));
              return (
                <table key={c.code} className="compact">
                  <caption>{i18n.name(c)}</caption>
                  <thead><tr><th scope="col">{i18n.t('col.option')}</th><th scope="col" className="num">{i18n.t('chart.value')}</th><th scope="col"><span className="sr-only">{i18n.t('col.bar')}</span></th></tr></thead>
                  <tbody>
                    {c.options.map((o) => (
                      <tr key={o.code}>
                        <td>{i18n.name(o)}</td>
                        <td className="num">{i18n.num(o.value)}</td>
                        <td className="bar-cell"><span className="bar" style={{ width: `${max > 0 && o.value ? (100 * o.value) / max : 0}%` }} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              );
            })}
          </div>
        )}
      </Await>
    </section>
  );
}

function Flags({ ind, orgUnit, period }: { ind: IndicatorDetail; orgUnit: string; period: string }) {
  const i18n = useI18n();
  const flags = useApi(() => api.flags(ind.code, orgUnit, period), [ind.code, orgUnit, period]);
  const units = useApi(() => api.orgUnits(), []);
  const name = (c: string) => {
    const u = units.data?.find((x) => x.code === c);
    return u ? i18n.name(u) : c;
  };
  return (
    <section className="card">
      <h2>{i18n.t('indicator.flags', { period: i18n.period(period) })}</h2>
      <Await state={flags}>
        {(f) => (
          <>
            {f.violations.length === 0 && f.outliers.length === 0 && <p><span aria-hidden="true">✓ </span>{i18n.t('indicator.noFlags')}</p>}
            {f.violations.length > 0 && (
              <ul className="issues">
                {f.violations.map((v) => {
                  const rule = f.rules.find((r) => r.code === v.rule);
                  return (
                    <li key={`${v.rule}|${v.orgUnit}`} className={v.severity}>
                      <span aria-hidden="true">{v.severity === 'error' ? '✖ ' : '⚠ '}</span>
                      <strong>{i18n.t(v.severity === 'error' ? 'issue.error' : 'issue.warning')}:</strong> {name(v.orgUnit)} — {rule ? i18n.name(rule) : v.rule}
                      {' '}({i18n.num(v.left)} / {i18n.num(v.right)})
                    </li>
                  );
                })}
              </ul>
            )}
            {f.outliers.length > 0 && (
              <ul className="issues">
                {f.outliers.map((o) => (
                  <li key={`${o.orgUnit}|${o.disaggregation}`} className="warning">
                    <span aria-hidden="true">⚠ </span>
                    {i18n.t('indicator.outlier', { unit: name(o.orgUnit), value: i18n.num(o.value), median: i18n.num(o.median) })}
                  </li>
                ))}
              </ul>
            )}
            {f.rules.length > 0 && <p className="muted small">{i18n.t('indicator.rulesChecked', { rules: f.rules.map((r) => i18n.name(r)).join('، ') })}</p>}
          </>
        )}
      </Await>
    </section>
  );
}

function Changes({ ind, orgUnit }: { ind: IndicatorDetail; orgUnit: string }) {
  const i18n = useI18n();
  const changes = useApi(() => api.changes(ind.code, orgUnit), [ind.code, orgUnit]);
  const units = useApi(() => api.orgUnits(), []);
  const categories = useApi(ind.disaggregations.length ? () => api.breakdown(ind.code, orgUnit, periodEndingIn(ind.frequency, recentPeriods('quarterly', 1)[0]!)) : null, [ind.code, orgUnit]);
  const name = (c: string) => {
    const u = units.data?.find((x) => x.code === c);
    return u ? i18n.name(u) : c;
  };
  return (
    <section className="card">
      <h2>{i18n.t('indicator.history')}</h2>
      <Await state={changes}>
        {(rows) => (
          <DataTable
            rows={rows}
            caption={i18n.t('indicator.historyCaption')}
            rowKey={(r) => `${r.orgUnit}|${r.period}|${r.disaggregation}|${r.action}|${r.changedAt}`}
            columns={[
              { key: 'when', header: i18n.t('col.when'), sortValue: (r) => r.changedAt, render: (r) => i18n.date(r.changedAt) },
              { key: 'unit', header: i18n.t('col.orgUnit'), sortValue: (r) => name(r.orgUnit), render: (r) => name(r.orgUnit) },
              { key: 'period', header: i18n.t('col.period'), sortValue: (r) => r.period, render: (r) => i18n.period(r.period), filterText: (r) => i18n.period(r.period) },
              { key: 'disagg', header: i18n.t('col.disaggregation'), sortValue: (r) => r.disaggregation, render: (r) => disaggregationLabel(i18n, r.disaggregation, categories.data?.categories ?? []) },
              { key: 'action', header: i18n.t('col.action'), sortValue: (r) => r.action, render: (r) => i18n.t(`action.${r.action}`) },
              { key: 'change', header: i18n.t('col.change'), render: (r) => (r.action === 'create' ? i18n.num(r.newValue) : `${i18n.num(r.oldValue)} → ${i18n.num(r.newValue)}`) },
              { key: 'who', header: i18n.t('col.who'), sortValue: (r) => r.changedBy, render: (r) => <span translate="no">{r.changedBy}</span> },
            ]}
          />
        )}
      </Await>
    </section>
  );
}
