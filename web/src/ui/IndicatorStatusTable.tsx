/** Indicators at one org unit: status, latest value, target; sortable and filterable. */
import type { IndicatorStatus } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { DataTable } from './DataTable.tsx';
import { StatusBadge } from './Status.tsx';

export function IndicatorStatusTable({ rows, caption, orgUnit }: { rows: IndicatorStatus[]; caption: string; orgUnit: string }) {
  const i18n = useI18n();
  return (
    <DataTable
      rows={rows}
      caption={caption}
      rowKey={(r) => `${r.indicator}|${r.orgUnit}`}
      columns={[
        { key: 'code', header: i18n.t('col.code'), render: (r) => <code translate="no">{r.indicator}</code>, sortValue: (r) => r.indicator },
        {
          key: 'name', header: i18n.t('col.indicator'), sortValue: (r) => i18n.name(r), filterText: (r) => `${r.nameEn} ${r.nameUr}`,
          render: (r) => <Link to={paths.indicator(r.indicator, orgUnit)}>{i18n.name(r)}</Link>,
        },
        { key: 'status', header: i18n.t('col.status'), render: (r) => <StatusBadge status={r.status} />, sortValue: (r) => r.status, filterText: (r) => i18n.t(`status.${r.status}` as const) },
        { key: 'latest', header: i18n.t('col.latest'), numeric: true, sortValue: (r) => r.latest?.value ?? null,
          render: (r) => (r.latest ? <>{i18n.num(r.latest.value)} <span className="muted small">{i18n.period(r.latest.period)}</span></> : '–') },
        { key: 'target', header: i18n.t('col.target'), numeric: true, sortValue: (r) => r.target?.value ?? null,
          render: (r) => (r.target ? <>{i18n.num(r.target.value)} <span className="muted small">{r.target.period ? i18n.period(r.target.period) : i18n.t(`phase.${r.target.phase as 'short'}`)}</span></> : '–') },
      ]}
    />
  );
}
