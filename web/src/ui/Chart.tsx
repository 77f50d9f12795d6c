/** An ECharts chart, loaded on first use so screens without charts never download it. */
import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

type Module = typeof import('./echarts-setup.ts');
let loading: Promise<Module> | null = null;
const load = () => (loading ??= import('./echarts-setup.ts'));

/** Fetches the chart library while the browser is idle, so the first chart a user opens draws at once. */
export function preloadCharts(): void {
  const start = () => void load();
  // Safari has no requestIdleCallback.
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(start, { timeout: 5000 });
  else setTimeout(start, 2000);
}

export function Chart({ option, label, height = 300 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<Module['echarts']['init']> | null>(null);
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    let live = true;
    let observer: ResizeObserver | null = null;
    void load().then(({ echarts }) => {
      if (!live || !el.current) return;
      chart.current = echarts.init(el.current, undefined, { renderer: 'svg' });
      chart.current.setOption(latest.current, true);
      observer = new ResizeObserver(() => chart.current?.resize());
      observer.observe(el.current);
    });
    return () => {
      live = false;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
    // The chart is created once per mount; option changes are applied below.
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={el} className="chart" role="img" aria-label={label} style={{ height }} />;
}
