/** A table whose columns sort (click or Enter on a header) and whose rows filter by the text they show. */
import { useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** What the cell shows. */
  render: (row: T) => ReactNode;
  /** What sorting compares; numbers sort numerically, nulls last. */
  sortValue?: (row: T) => string | number | null;
  /** What the filter matches against, besides sortValue. */
  filterText?: (row: T) => string;
  numeric?: boolean;
}

/** Rows shown before "show all": long tables stay scannable on a small laptop. */
const PAGE = 15;

export function DataTable<T>({ rows, columns, caption, rowKey, initialSort, filterLabel, empty }: {
  rows: T[];
  columns: Column<T>[];
  caption: ReactNode;
  rowKey: (row: T) => string;
  initialSort?: { key: string; desc?: boolean };
  filterLabel?: string;
  empty?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const [sort, setSort] = useState(initialSort ?? null);
  const [filter, setFilter] = useState('');
  const [all, setAll] = useState(false);
  const shown = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    let out = needle
      ? rows.filter((r) => columns.some((c) => (c.filterText?.(r) ?? String(c.sortValue?.(r) ?? '')).toLocaleLowerCase().includes(needle)))
      : rows;
    const col = sort && columns.find((c) => c.key === sort.key);
    if (sort && col?.sortValue) {
      const value = col.sortValue;
      out = [...out].sort((a, b) => {
        const x = value(a);
        const y = value(b);
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), lang);
        return sort.desc ? -c : c;
      });
    }
    return out;
  }, [rows, columns, filter, sort, lang]);

  return (
    <div className="data-table">
      <label className="table-filter">
        <span>{filterLabel ?? t('table.filter')}</span>
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <div className="table-scroll">
        <table>
          <caption>{caption} <span className="muted">({t('table.rows', { shown: shown.length, total: rows.length })})</span></caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const active = sort?.key === c.key;
                return (
                  <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}
                    aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : c.sortValue ? 'none' : undefined}>
                    {c.sortValue ? (
                      <button type="button" className="sort" onClick={() => setSort({ key: c.key, desc: active ? !sort!.desc : false })}>
                        {c.header}
                        <span aria-hidden="true" className="sort-mark">{active ? (sort!.desc ? '▼' : '▲') : '↕'}</span>
                      </button>
                    ) : c.header}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {(all ? shown : shown.slice(0, PAGE)).map((r) => (
              <tr key={rowKey(r)}>
                {columns.map((c) => <td key={c.key} className={c.numeric ? 'num' : undefined}>{c.render(r)}</td>)}
              </tr>
            ))}
            {shown.length === 0 && (
              <tr><td colSpan={columns.length} className="muted">{empty ?? t('table.empty')}</td></tr>
            )}
          </tbody>
        </table>
      </div>
      {!all && shown.length > PAGE && (
        <button type="button" className="show-all" onClick={() => setAll(true)}>{t('table.showAll', { total: shown.length })}</button>
      )}
    </div>
  );
}
