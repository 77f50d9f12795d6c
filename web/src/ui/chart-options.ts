/** ECharts options for the indicator page, mirrored for right-to-left and set in the reader's font. */
import type { EChartsCoreOption } from 'echarts/core';
import type { I18n } from '../i18n/i18n.tsx';
import { periodsBetween } from '../i18n/periods.ts';

export const COLOURS = { value: '#0f5f8c', target: '#a1491a', highlight: '#b3261e', bar: '#3b7dbf' };

function base(i18n: I18n): EChartsCoreOption {
  return {
    textStyle: { fontFamily: i18n.lang === 'ur' ? "'Noto Nastaliq Urdu', system-ui, sans-serif" : 'system-ui, sans-serif', fontSize: 13, color: '#1f2933' },
    animation: false,
    tooltip: { trigger: 'axis', textStyle: { fontFamily: i18n.lang === 'ur' ? "'Noto Nastaliq Urdu', sans-serif" : 'system-ui, sans-serif' } },
  };
}

export interface TrendInput {
  periods: string[];
  values: (number | null)[];
  /** Where the target path starts and the targets it runs through. */
  path: { period: string; value: number }[];
}

export function trendOption(i18n: I18n, input: TrendInput): EChartsCoreOption {
  const rtl = i18n.dir === 'rtl';
  // Codes of one period type sort as text in time order (2025Q4 < 2026Q1, 202509 < 202510); the axis has no gaps.
  const known = [...new Set([...input.periods, ...input.path.map((p) => p.period)])].sort((a, b) => (a < b ? -1 : 1));
  const axis = periodsBetween(known[0]!, known.at(-1)!);
  const latest = input.values.reduce<number>((at, v, i) => (v === null ? at : i), -1);
  const values = axis.map((p) => {
    const i = input.periods.indexOf(p);
    const v = i >= 0 ? input.values[i] ?? null : null;
    return i === latest && v !== null
      ? { value: v, label: { show: true, position: 'top', formatter: () => i18n.num(v), fontWeight: 'bold', color: COLOURS.value } }
      : v;
  });
  const path = axis.map((p) => input.path.find((x) => x.period === p)?.value ?? null);
  return {
    ...base(i18n),
    grid: { top: 24, bottom: 40, left: rtl ? 20 : 60, right: rtl ? 60 : 20 },
    xAxis: { type: 'category', data: axis, inverse: rtl, axisLabel: { formatter: (c: string) => i18n.period(c), hideOverlap: true } },
    yAxis: { type: 'value', position: rtl ? 'right' : 'left', axisLabel: { formatter: (v: number) => i18n.num(v) } },
    series: [
      { name: i18n.t('chart.value'), type: 'line', data: values, connectNulls: false, symbolSize: 7, lineStyle: { width: 3, color: COLOURS.value }, itemStyle: { color: COLOURS.value } },
      { name: i18n.t('chart.targetPath'), type: 'line', data: path, connectNulls: true, symbol: 'diamond', symbolSize: 9, lineStyle: { type: 'dashed', width: 2, color: COLOURS.target }, itemStyle: { color: COLOURS.target } },
    ],
  };
}

export function comparisonOption(i18n: I18n, bars: { name: string; value: number | null; highlight: boolean }[]): EChartsCoreOption {
  const rtl = i18n.dir === 'rtl';
  const sorted = [...bars].sort((a, b) => (a.value ?? -Infinity) - (b.value ?? -Infinity));
  return {
    ...base(i18n),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { top: 10, bottom: 30, left: rtl ? 50 : 150, right: rtl ? 150 : 50 },
    xAxis: { type: 'value', inverse: rtl, axisLabel: { formatter: (v: number) => i18n.num(v) } },
    yAxis: { type: 'category', position: rtl ? 'right' : 'left', data: sorted.map((b) => b.name), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{
      type: 'bar',
      name: i18n.t('chart.value'),
      data: sorted.map((b) => ({ value: b.value, itemStyle: { color: b.highlight ? COLOURS.highlight : COLOURS.bar } })),
      label: { show: true, position: rtl ? 'left' : 'right', formatter: (p: { value: number | null }) => i18n.num(p.value) },
    }],
  };
}
