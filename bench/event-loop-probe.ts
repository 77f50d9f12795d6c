/**
 * Loaded into the served process with `node --import`: the server's own event-loop delay, measured from inside.
 * Each SIGUSR2 writes the largest delay (ms) since the previous one to $JAIZA_BENCH_EVENT_LOOP_FILE and starts afresh,
 * so a benchmark can leave start-up (migrations, opening the database) out of its figure.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.JAIZA_BENCH_EVENT_LOOP_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const report = () => {
    writeFileSync(file, String(delay.max / 1e6));
    delay.reset();
  };
  process.on('SIGUSR2', report);
  process.on('exit', report);
}
