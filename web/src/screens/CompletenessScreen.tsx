/** Who reports: the institutions' league table and the reporting rate of each org unit in each quarter. */
import { api } from '../api/client.ts';
import type { HeatmapCell, OrgUnit } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Link, useQueryState } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { useSettings } from '../app/settings.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { periodsBetween, recentPeriods } from '../i18n/periods.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Await } from '../ui/Loading.tsx';

const rate = (c: { expected: number; received: number }) => (c.expected ? c.received / c.expected : null);

function rateTone(r: number | null): string {
  if (r === null) return 'none';
  if (r >= 0.8) return 'good';
  if (r >= 0.5) return 'fair';
  return 'poor';
}

export function CompletenessScreen() {
  const i18n = useI18n();
  const { framework } = useSettings();
  const [query, setQuery] = useQueryState();
  const quarters = recentPeriods('quarterly', 12);
  const to = query.get('to') ?? quarters[0]!;
  const from = query.get('from') ?? quarters[3]!;
  const level = query.get('level') === 'district' ? 'district' : 'province';
  const report = useApi(() => api.completeness({ from, to, framework }), [from, to, framework]);
  const heat = useApi(() => api.heatmap({ from, to, framework, level }), [from, to, framework, level]);
  const units = useApi(() => api.orgUnits({ level }), [level]);
  return (
    <section>
      <h1>{i18n.t('completeness.title')}</h1>
      <p className="lead">{i18n.t('completeness.lead')}</p>
      <div className="scope-bar">
        <label>
          <span>{i18n.t('completeness.from')}</span>
          <select value={from} onChange={(e) => setQuery({ from: e.target.value })}>
            {quarters.map((q) => <option key={q} value={q}>{i18n.period(q)}</option>)}
          </select>
        </label>
        <label>
          <span>{i18n.t('completeness.to')}</span>
          <select value={to} onChange={(e) => setQuery({ to: e.target.value })}>
            {quarters.map((q) => <option key={q} value={q}>{i18n.period(q)}</option>)}
          </select>
        </label>
        <label>
          <span>{i18n.t('completeness.level')}</span>
          <select value={level} onChange={(e) => setQuery({ level: e.target.value === 'district' ? 'district' : null })}>
            <option value="province">{i18n.t('level.province')}</option>
            <option value="district">{i18n.t('level.district')}</option>
          </select>
        </label>
      </div>
      <Await state={report}>
        {(r) => (
          <>
            <p className="big-figure">
              {i18n.t('completeness.total', { rate: i18n.pct(r.totals.reportingRate), onTime: i18n.pct(r.totals.timelinessRate), expected: i18n.num(r.totals.expected) })}
            </p>
            <h2>{i18n.t('completeness.league')}</h2>
            <DataTable
              rows={r.institutions}
              caption={i18n.t('completeness.leagueCaption', { from: i18n.period(from), to: i18n.period(to) })}
              rowKey={(x) => x.code}
              initialSort={{ key: 'rate', desc: true }}
              columns={[
                { key: 'rank', header: i18n.t('col.rank'), numeric: true, render: (x) => i18n.num(r.institutions.indexOf(x) + 1) },
                { key: 'name', header: i18n.t('col.institution'), sortValue: (x) => i18n.name(x), filterText: (x) => `${x.nameEn} ${x.nameUr} ${x.code}`, render: (x) => i18n.name(x) },
                { key: 'expected', header: i18n.t('col.expected'), numeric: true, sortValue: (x) => x.expected, render: (x) => i18n.num(x.expected) },
                { key: 'received', header: i18n.t('col.received'), numeric: true, sortValue: (x) => x.received, render: (x) => i18n.num(x.received) },
                { key: 'onTime', header: i18n.t('col.onTime'), numeric: true, sortValue: (x) => x.onTime, render: (x) => i18n.num(x.onTime) },
                {
                  key: 'rate', header: i18n.t('col.reportingRate'), numeric: true, sortValue: (x) => x.reportingRate,
                  render: (x) => <span className="rate"><span className="bar" style={{ width: `${Math.round((x.reportingRate ?? 0) * 100)}%` }} />{i18n.pct(x.reportingRate)}</span>,
                },
                { key: 'timely', header: i18n.t('col.timeliness'), numeric: true, sortValue: (x) => x.timelinessRate, render: (x) => i18n.pct(x.timelinessRate) },
              ]}
            />
          </>
        )}
      </Await>
      <h2>{i18n.t('completeness.heatmap')}</h2>
      <Await state={heat}>{(cells) => <Heatmap cells={cells} units={units.data ?? []} periods={periodsBetween(from, to)} />}</Await>
    </section>
  );
}

function Heatmap({ cells, units, periods }: { cells: HeatmapCell[]; units: OrgUnit[]; periods: string[] }) {
  const i18n = useI18n();
  const codes = [...new Set(cells.map((c) => c.orgUnit))];
  const name = (code: string) => {
    const u = units.find((x) => x.code === code);
    return u ? i18n.name(u) : code;
  };
  const at = (u: string, p: string) => cells.find((c) => c.orgUnit === u && c.period === p);
  return (
    <>
      <ul className="legend" aria-label={i18n.t('legend.label')}>
        <li className="tone-good"><span aria-hidden="true">✓ </span>{i18n.t('completeness.good')}</li>
        <li className="tone-fair"><span aria-hidden="true">↗ </span>{i18n.t('completeness.fair')}</li>
        <li className="tone-poor"><span aria-hidden="true">✗ </span>{i18n.t('completeness.poor')}</li>
        <li className="tone-none"><span aria-hidden="true">∅ </span>{i18n.t('completeness.none')}</li>
      </ul>
      <div className="table-scroll">
        <table className="heatmap">
          <caption>{i18n.t('completeness.heatmapCaption')}</caption>
          <thead>
            <tr><th scope="col">{i18n.t('col.orgUnit')}</th>{periods.map((p) => <th key={p} scope="col">{i18n.period(p)}</th>)}</tr>
          </thead>
          <tbody>
            {[...codes].sort((a, b) => name(a).localeCompare(name(b), i18n.lang)).map((u) => (
              <tr key={u}>
                <th scope="row"><Link to={paths.orgUnit(u)}>{name(u)}</Link></th>
                {periods.map((p) => {
                  const c = at(u, p);
                  const r = c ? rate(c) : null;
                  const tone = rateTone(r);
                  return (
                    <td key={p} className={`heat tone-${tone}`} title={c ? i18n.t('completeness.cellTitle', { received: i18n.num(c.received), expected: i18n.num(c.expected), onTime: i18n.num(c.onTime) }) : undefined}>
                      <span aria-hidden="true">{({ good: '✓', fair: '↗', poor: '✗', none: '∅' } as Record<string, string>)[tone]} </span>
                      {r === null ? '–' : i18n.pct(r)}
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
