/**
 * A trend line against its target, rendered on the server as SVG by ECharts: no script reaches the reader,
 * and the same picture serves the portal and the printed pack.
 */
import * as echarts from 'echarts';

export interface TrendChart {
  width: number;
  height: number;
  /** Period labels along the time axis, oldest first. */
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  target?: { value: number; label: string } | null;
  fontFamily: string;
  /** Tick and label text for a value. */
  format: (value: number) => string;
}

const COLOURS = ['#0b5d3b', '#b5651d', '#3a5a9b', '#7a3b69'];

export function trendChartSvg(c: TrendChart): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: c.width, height: c.height });
  try {
    chart.setOption({
      animation: false,
      color: COLOURS,
      textStyle: { fontFamily: c.fontFamily, fontSize: 12 },
      legend: { top: 0, show: c.series.length > 1, textStyle: { fontFamily: c.fontFamily } },
      grid: { left: 70, right: 24, top: c.series.length > 1 ? 36 : 16, bottom: 36 },
      xAxis: { type: 'category', data: c.categories, axisLabel: { fontFamily: c.fontFamily, hideOverlap: true } },
      yAxis: { type: 'value', scale: false, axisLabel: { fontFamily: c.fontFamily, formatter: (v: number) => c.format(v) } },
      series: c.series.map((s, i) => ({
        type: 'line',
        name: s.name,
        data: s.values,
        connectNulls: false,
        symbolSize: 6,
        lineStyle: { width: 2, type: i === 0 ? 'solid' : 'dashed' },
        ...(i === 0 && c.target
          ? {
              markLine: {
                symbol: 'none',
                silent: true,
                lineStyle: { color: '#a11', type: 'dotted', width: 2 },
                label: { formatter: c.target.label, position: 'insideEndTop', fontFamily: c.fontFamily, color: '#a11' },
                data: [{ yAxis: c.target.value }],
              },
            }
          : {}),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
