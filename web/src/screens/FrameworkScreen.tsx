/** The frameworks as a tree (pillars → objectives → indicators), searchable by code or name in English and Urdu. */
import { useMemo } from 'react';
import { api } from '../api/client.ts';
import type { Framework, IndicatorDef } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Link, useQueryState } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { DEFAULT_FRAMEWORK } from '../app/settings.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Await } from '../ui/Loading.tsx';

export function FrameworkScreen() {
  const i18n = useI18n();
  const [query, setQuery] = useQueryState();
  const code = query.get('framework') ?? DEFAULT_FRAMEWORK;
  const q = query.get('q') ?? '';
  const frameworks = useApi(() => api.frameworks(), []);
  const tree = useApi(() => api.framework(code), [code]);
  return (
    <section>
      <h1>{i18n.t('framework.title')}</h1>
      <div className="scope-bar">
        <label>
          <span>{i18n.t('scope.framework')}</span>
          <select value={code} onChange={(e) => setQuery({ framework: e.target.value })}>
            {(frameworks.data ?? []).map((f) => <option key={f.code} value={f.code}>{i18n.name(f)} ({i18n.t('framework.count', { count: i18n.num(f.indicators) })})</option>)}
          </select>
        </label>
        <label className="grow">
          <span>{i18n.t('framework.search')}</span>
          <input type="search" value={q} placeholder={i18n.t('framework.searchHint')} onChange={(e) => setQuery({ q: e.target.value || null })} />
        </label>
      </div>
      <Await state={tree}>{(fw) => <Tree fw={fw} q={q} />}</Await>
    </section>
  );
}

function matches(ind: IndicatorDef, needle: string): boolean {
  return [ind.code, ind.nameEn, ind.nameUr].some((s) => s.toLocaleLowerCase().includes(needle));
}

function Tree({ fw, q }: { fw: Framework; q: string }) {
  const i18n = useI18n();
  const needle = q.trim().toLocaleLowerCase();
  const pillars = useMemo(() => fw.pillars.map((p) => ({
    ...p,
    objectives: p.objectives.map((o) => ({ ...o, indicators: needle ? o.indicators.filter((i) => matches(i, needle)) : o.indicators }))
      .filter((o) => !needle || o.indicators.length > 0),
  })).filter((p) => !needle || p.objectives.length > 0), [fw, needle]);
  const found = pillars.reduce((n, p) => n + p.objectives.reduce((m, o) => m + o.indicators.length, 0), 0);
  return (
    <>
      <p role="status">{needle ? i18n.t('framework.found', { count: i18n.num(found) }) : i18n.name(fw)}</p>
      <ul className="tree">
        {pillars.map((p) => (
          <li key={p.code}>
            <details open={Boolean(needle)}>
              <summary><code translate="no">{p.code}</code> {i18n.name(p)} <span className="muted small">({i18n.t('framework.count', { count: i18n.num(p.objectives.reduce((n, o) => n + o.indicators.length, 0)) })})</span></summary>
              <ul>
                {p.objectives.map((o) => (
                  <li key={o.code}>
                    <details open={Boolean(needle)}>
                      <summary><code translate="no">{o.code}</code> {i18n.name(o)}</summary>
                      <ul>
                        {o.indicators.map((ind) => (
                          <li key={ind.code} className="tree-indicator">
                            <Link to={paths.indicator(ind.code)}><code translate="no">{ind.code}</code> {i18n.name(ind)}</Link>
                            <span className="muted small"> · {i18n.t(`unit.${ind.unitType}`)} · {i18n.t(`frequency.${ind.frequency}`)} · {i18n.t(`reportingLevel.${ind.lowestLevel}`)}</span>
                          </li>
                        ))}
                      </ul>
                    </details>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
