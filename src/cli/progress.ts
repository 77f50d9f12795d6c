/** Progress for long operations: a bar on a terminal, a line every few seconds in logs. */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, extra?: string): void;
  stop(): void;
}

export function progressBar(label: string, total: number, unit: 'bytes' | 'rows'): Progress {
  const format = unit === 'bytes'
    ? `${label} [{bar}] {percentage}% | {done_mb}/{total_mb} MB | {rows} rows | {eta_formatted} left`
    : `${label} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left`;
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 3000, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  bar.start(Math.max(total, 1), 0, { done_mb: '0.0', total_mb: mb(total), rows: 0 });
  return {
    update(done, extra) {
      bar.update(Math.min(done, total), { done_mb: mb(done), total_mb: mb(total), rows: extra ?? '' });
    },
    stop() {
      bar.stop();
    },
  };
}
